package web

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/mail"
)

// Sign-in links are e-mails sent on anybody's request, so both the address
// and the client are held back.
const (
	linksPerAddress = 3
	linksPerClient  = 10
	linkWindow      = 15 * time.Minute
)

const userKey = "user"

// sessionCookie is the cookie's name; on https the __Host- prefix makes
// browsers refuse it from subdomains and over plain http.
func (s *Server) sessionCookie() string {
	if s.secureCookies() {
		return "__Host-sid"
	}
	return "sid"
}

// withUser puts the signed-in user, if any, into the request.
func (s *Server) withUser(c *fiber.Ctx) error {
	id := c.Cookies(s.sessionCookie())
	if id == "" {
		return c.Next()
	}
	u, err := s.Auth.Authenticate(c.UserContext(), id)
	switch {
	case err == nil:
		c.Locals(userKey, &u)
	case apperr.Is(err, apperr.CodeUnauthorized):
		s.clearSessionCookie(c)
	default:
		return err
	}
	return c.Next()
}

func currentUser(c *fiber.Ctx) *auth.User {
	u, _ := c.Locals(userKey).(*auth.User)
	return u
}

// requireUser lets only signed-in users through: a page asks them to sign
// in and come back; a form post is refused.
func (s *Server) requireUser(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Next()
	}
	if c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
		return c.Redirect("/min-side/logg-inn?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	return errNoSession
}

var errNoSession = &apperr.Error{Code: apperr.CodeUnauthorized, Message: "Du er ikke logget inn. / You are not signed in."}

func (s *Server) setSessionCookie(c *fiber.Ctx, id string) {
	c.Cookie(&fiber.Cookie{Name: s.sessionCookie(), Value: id, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secureCookies(), SessionOnly: true})
}

func (s *Server) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: s.sessionCookie(), Value: "", Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secureCookies(), Expires: time.Unix(1, 0), MaxAge: -1})
}

type signInBody struct {
	State string // "form", "sent", "link", "invalid"
	CSRF  string
	Email string
	Next  string
	Token string
	Error *formError
	// SignedOut thanks the visitor for signing out.
	SignedOut bool
}

func (s *Server) renderSignIn(c *fiber.Ctx, status int, body signInBody) error {
	l := s.lang(c)
	body.CSRF, _ = c.Locals("csrf").(string)
	v := s.newView(c, l, l.T("signin.heading"), nil, false)
	v.Noindex, v.Nav, v.Body = true, "account", body
	return s.render(c, status, "signin", "layout", v)
}

func (s *Server) signInForm(c *fiber.Ctx) error {
	if u := currentUser(c); u != nil {
		return c.Redirect("/min-side", fiber.StatusSeeOther)
	}
	return s.renderSignIn(c, fiber.StatusOK, signInBody{State: "form", Next: auth.SafeNext(c.Query("next")),
		SignedOut: c.Query("utlogget") == "1"})
}

// linkLimits hold back sign-in e-mails per client address and per e-mail
// address; the page says what happened and when to try again.
func (s *Server) linkLimits() []fiber.Handler {
	reached := func(c *fiber.Ctx) error {
		l := s.lang(c)
		return s.renderSignIn(c, fiber.StatusTooManyRequests, signInBody{State: "form",
			Email: strings.Clone(c.FormValue("email")), Next: auth.SafeNext(c.FormValue("next")),
			Error: &formError{"email", l.T("signin.error.rate_limited", "minutes", l.Int(int(linkWindow.Minutes())))}})
	}
	return []fiber.Handler{
		limiter.New(limiter.Config{Max: linksPerClient, Expiration: linkWindow, LimitReached: reached}),
		limiter.New(limiter.Config{Max: linksPerAddress, Expiration: linkWindow, LimitReached: reached,
			KeyGenerator: func(c *fiber.Ctx) string {
				return "address:" + strings.ToLower(strings.TrimSpace(c.FormValue("email")))
			}}),
	}
}

// signInSubmit sends a sign-in link. The answer is the same whether or
// not the address has an account: every valid address gets a link, and an
// account is made when a link is first spent.
func (s *Server) signInSubmit(c *fiber.Ctx) error {
	l := s.lang(c)
	email, next := strings.Clone(c.FormValue("email")), auth.SafeNext(c.FormValue("next"))
	token, address, err := s.Auth.RequestLink(c.UserContext(), email, next)
	if apperr.Is(err, apperr.CodeInvalidParameter) {
		return s.renderSignIn(c, fiber.StatusBadRequest, signInBody{State: "form", Email: email, Next: next,
			Error: &formError{"email", l.T("signin.error.email")}})
	} else if err != nil {
		return err
	}
	link := s.BaseURL + "/min-side/logg-inn/lenke?token=" + token
	msg := mail.Message{To: address, Subject: l.T("mail.signin.subject"),
		Text: l.T("mail.signin.text", "link", link, "minutes", l.Int(int(auth.LinkTTL.Minutes())))}
	if err := s.Mailer.Send(c.UserContext(), msg); err != nil {
		return &apperr.Error{Code: apperr.CodeMailUnavailable, Message: "E-posten kunne ikke sendes. / The e-mail could not be sent.", Err: err}
	}
	return s.renderSignIn(c, fiber.StatusOK, signInBody{State: "sent", Email: address})
}

// signInLink is where the e-mail's link leads: a page with one button.
// Opening it spends nothing, so mail scanners that follow links do no harm.
func (s *Server) signInLink(c *fiber.Ctx) error {
	token := strings.Clone(c.Query("token"))
	if err := s.Auth.CheckLink(c.UserContext(), token); apperr.Is(err, apperr.CodeUnauthorized) {
		return s.renderSignIn(c, fiber.StatusGone, signInBody{State: "invalid"})
	} else if err != nil {
		return err
	}
	c.Set("Referrer-Policy", "no-referrer") // the token is in this page's URL
	return s.renderSignIn(c, fiber.StatusOK, signInBody{State: "link", Token: token})
}

// signInSpend spends the link and starts the session.
func (s *Server) signInSpend(c *fiber.Ctx) error {
	id, next, err := s.Auth.SpendLink(c.UserContext(), strings.Clone(c.FormValue("token")))
	if apperr.Is(err, apperr.CodeUnauthorized) {
		return s.renderSignIn(c, fiber.StatusGone, signInBody{State: "invalid"})
	} else if err != nil {
		return err
	}
	// A new session id at every sign-in; any old one ends.
	if old := c.Cookies(s.sessionCookie()); old != "" {
		if err := s.Auth.Logout(c.UserContext(), old); err != nil {
			return err
		}
	}
	s.setSessionCookie(c, id)
	if next == "" {
		next = "/min-side"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

func (s *Server) signOut(c *fiber.Ctx) error {
	if err := s.Auth.Logout(c.UserContext(), c.Cookies(s.sessionCookie())); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return c.Redirect("/min-side/logg-inn?utlogget=1", fiber.StatusSeeOther)
}
