package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/web/form"
)

type signInBody struct {
	State string // "form", "sent", "link", "invalid"
	Email string
	Next  string
	Token string
	Error *form.Error
	// SignedOut thanks the visitor for signing out.
	SignedOut bool
}

func (a *account) renderSignIn(c *fiber.Ctx, status int, body signInBody) error {
	l := a.lang(c)
	return a.render(c, status, "signin", a.private(c, l, l.T("signin.heading"), "account", body))
}

func (a *account) signInForm(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(paths.Account, fiber.StatusSeeOther)
	}
	return a.renderSignIn(c, fiber.StatusOK, signInBody{State: "form", Next: auth.SafeNext(c.Query("next")),
		SignedOut: c.Query("utlogget") == "1"})
}

// linkLimitReached answers a sign-in request over the limits: the page
// says what happened and when to try again.
func (a *account) linkLimitReached(c *fiber.Ctx) error {
	l, v := a.lang(c), postValues(c)
	return a.renderSignIn(c, fiber.StatusTooManyRequests, signInBody{State: "form", Email: v.Get("email"),
		Next:  auth.SafeNext(v.Get("next")),
		Error: &form.Error{Field: "email", Message: l.T("signin.error.rate_limited", "minutes", l.Int(int(linkWindow.Minutes())))}})
}

// linksAlreadySent answers a request for an address that has had its
// links lately exactly as a sent link is answered, sending nothing: the
// person at that address uses a link already in their inbox, whoever
// else asked.
func (a *account) linksAlreadySent(c *fiber.Ctx) error {
	l, v := a.lang(c), postValues(c)
	address, ok := listing.NormalizeEmail(strings.TrimSpace(v.Get("email")))
	if !ok {
		return a.renderSignIn(c, fiber.StatusBadRequest, signInBody{State: "form", Email: v.Get("email"), Next: auth.SafeNext(v.Get("next")),
			Error: &form.Error{Field: "email", Message: l.T("signin.error.email")}})
	}
	return a.renderSignIn(c, fiber.StatusOK, signInBody{State: "sent", Email: address})
}

// signInSubmit sends a sign-in link; the answer is the same whether or
// not the address has an account.
func (a *account) signInSubmit(c *fiber.Ctx) error {
	l, v := a.lang(c), postValues(c)
	email, next := v.Get("email"), auth.SafeNext(v.Get("next"))
	address, err := a.auth.SendLink(c.UserContext(), email, next, l.Lang)
	if apperr.Is(err, apperr.CodeInvalidParameter) {
		return a.renderSignIn(c, fiber.StatusBadRequest, signInBody{State: "form", Email: email, Next: next,
			Error: &form.Error{Field: "email", Message: l.T("signin.error.email")}})
	} else if err != nil {
		return err
	}
	return a.renderSignIn(c, fiber.StatusOK, signInBody{State: "sent", Email: address})
}

// signInLink is where the e-mail's link leads: a page with one button.
// Opening it spends nothing, so mail scanners that follow links do no harm.
func (a *account) signInLink(c *fiber.Ctx) error {
	token := queryValues(c).Get("token")
	if err := a.auth.CheckLink(c.UserContext(), token); apperr.Is(err, apperr.CodeUnauthorized) {
		return a.renderSignIn(c, fiber.StatusGone, signInBody{State: "invalid"})
	} else if err != nil {
		return err
	}
	c.Set("Referrer-Policy", "no-referrer") // the token is in this page's URL
	return a.renderSignIn(c, fiber.StatusOK, signInBody{State: "link", Token: token})
}

// signInSpend spends the link and starts the session; any old one ends.
func (a *account) signInSpend(c *fiber.Ctx) error {
	id, next, err := a.auth.SpendLink(c.UserContext(), postValues(c).Get("token"))
	if apperr.Is(err, apperr.CodeUnauthorized) {
		return a.renderSignIn(c, fiber.StatusGone, signInBody{State: "invalid"})
	} else if err != nil {
		return err
	}
	if old := c.Cookies(a.mw.sessionCookie()); old != "" {
		if err := a.auth.Logout(c.UserContext(), old); err != nil {
			return err
		}
	}
	a.mw.setSessionCookie(c, id)
	if next == "" {
		next = paths.Account
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

func (a *account) signOut(c *fiber.Ctx) error {
	if err := a.auth.Logout(c.UserContext(), c.Cookies(a.mw.sessionCookie())); err != nil {
		return err
	}
	a.mw.clearSessionCookie(c)
	return c.Redirect(paths.SignIn+"?utlogget=1", fiber.StatusSeeOther)
}
