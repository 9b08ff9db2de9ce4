package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/owner"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/web/form"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

type claimBody struct {
	Name, ListingURL, Action, Email, Next string
	SignedIn                              bool
	ClaimantName, OrgNumber               string
	// AskOrgNumber: the listing has none; the claimant's, checked against
	// the register, is written to it when the claim is approved.
	AskOrgNumber bool
	Roles        []view.Check
	Error        *form.Error
}

// claimForm is "Er dette din bedrift?". A visitor who is not signed in is
// asked to sign in first, so every claim comes from a proven address.
func (a *account) claimForm(c *fiber.Ctx) error {
	lst, err := published(c, a.listings)
	if err != nil {
		return err
	}
	return a.renderClaim(c, fiber.StatusOK, lst, claimInput{}, nil)
}

func (a *account) claimSubmit(c *fiber.Ctx) error {
	lst, err := published(c, a.listings)
	if err != nil {
		return err
	}
	v := postValues(c)
	in := claimInput{name: v.Get("name"), role: v.Get("role")}
	if lst.OrgNumber == "" {
		in.orgnr = strings.ReplaceAll(strings.TrimSpace(v.Get("org_number")), " ", "")
	}
	if e := checkOrgNumber(c, a.register, in.orgnr, "", lst.Name); e != nil {
		return a.renderClaim(c, fiber.StatusBadRequest, lst, in, &form.Error{Field: "org_number", Message: a.lang(c).T(e.Key, e.Args...)})
	}
	cl, err := a.owners.Submit(c.UserContext(), *currentUser(c), lst, in.name, in.role, in.orgnr)
	var ae *apperr.Error
	if errors.As(err, &ae) && (ae.Code == apperr.CodeInvalidParameter || ae.Code == apperr.CodeConflict) {
		field, key := ae.Field, "claim.error."+ae.Field
		if ae.Field == "role" {
			field = "role-" + owner.Roles[0]
		}
		if ae.Code == apperr.CodeConflict {
			field, key = "name", "claim.error.conflict"
		}
		return a.renderClaim(c, fiber.StatusBadRequest, lst, in, &form.Error{Field: field, Message: a.lang(c).T(key)})
	} else if err != nil {
		return err
	}
	notice := "claim_pending"
	if cl.Status == owner.StatusApproved {
		notice = "claim_approved"
	}
	return c.Redirect(paths.AccountNotice(notice), fiber.StatusSeeOther)
}

// claimInput is what a claimant wrote.
type claimInput struct{ name, role, orgnr string }

func (a *account) renderClaim(c *fiber.Ctx, status int, lst *listing.Listing, in claimInput, ferr *form.Error) error {
	l := a.lang(c)
	path := paths.Claim(lst.Slug)
	role := in.role
	body := claimBody{Name: lst.Name, ListingURL: paths.Listing(lst.Slug), Action: path, Next: path,
		ClaimantName: in.name, OrgNumber: in.orgnr, AskOrgNumber: lst.OrgNumber == "", Error: ferr}
	if u := currentUser(c); u != nil {
		body.SignedIn, body.Email = true, u.Email
	}
	for _, r := range owner.Roles {
		body.Roles = append(body.Roles, view.Check{Value: r, Label: l.T("claim.role." + r), Checked: r == role})
	}
	return a.render(c, status, "claim", a.private(c, l, l.T("claim.heading", "name", lst.Name), "", body))
}

type confirmBody struct {
	State, Name, ListingURL, EditURL, Token string
}

// confirmLink is where "Ja, alt stemmer" leads: a page with one button.
// A mail scanner following the link confirms nothing.
func (a *account) confirmLink(c *fiber.Ctx) error {
	token := queryValues(c).Get("token")
	_, lst, err := a.reminders.Check(c.UserContext(), token)
	if apperr.Is(err, apperr.CodeUnauthorized) {
		return a.renderConfirm(c, fiber.StatusGone, confirmBody{State: "invalid"})
	} else if err != nil {
		return err
	}
	c.Set("Referrer-Policy", "no-referrer")
	return a.renderConfirm(c, fiber.StatusOK, confirmBody{State: "ask", Name: lst.Name, Token: token,
		EditURL: paths.EditListing(lst.ID)})
}

func (a *account) confirmSubmit(c *fiber.Ctx) error {
	lst, err := a.reminders.Confirm(c.UserContext(), postValues(c).Get("token"))
	if apperr.Is(err, apperr.CodeUnauthorized) {
		return a.renderConfirm(c, fiber.StatusGone, confirmBody{State: "invalid"})
	} else if err != nil {
		return err
	}
	body := confirmBody{State: "done", Name: lst.Name, EditURL: paths.EditListing(lst.ID)}
	if lst.Published() {
		body.ListingURL = paths.Listing(lst.Slug)
	}
	return a.renderConfirm(c, fiber.StatusOK, body)
}

func (a *account) renderConfirm(c *fiber.Ctx, status int, body confirmBody) error {
	l := a.lang(c)
	return a.render(c, status, "confirm", a.private(c, l, l.T("confirm.heading"), "", body))
}
