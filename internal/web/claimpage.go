package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/owner"
)

type claimBody struct {
	Name, ListingURL, Action, CSRF, Email, Next string
	SignedIn                                    bool
	ClaimantName                                string
	Roles                                       []checkOption
	Error                                       *formError
}

// claimForm is "Er dette din bedrift?". A visitor who is not signed in is
// asked to sign in first, so every claim comes from a proven address.
func (s *Server) claimForm(c *fiber.Ctx) error {
	lst, err := s.publishedListing(c)
	if err != nil {
		return err
	}
	return s.renderClaim(c, fiber.StatusOK, lst, "", "", nil)
}

func (s *Server) claimSubmit(c *fiber.Ctx) error {
	lst, err := s.publishedListing(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	name, role := strings.Clone(c.FormValue("name")), strings.Clone(c.FormValue("role"))
	cl, err := s.Owners.Submit(c.UserContext(), *u, lst, name, role)
	var ae *apperr.Error
	if apperr.Is(err, apperr.CodeInvalidParameter) || apperr.Is(err, apperr.CodeConflict) {
		errors.As(err, &ae)
		l := s.lang(c)
		field := "name"
		if ae.Field == "role" {
			field = "role-" + owner.Roles[0]
		}
		key := "claim.error." + ae.Field
		if apperr.Is(err, apperr.CodeConflict) {
			key = "claim.error.conflict"
		}
		return s.renderClaim(c, fiber.StatusBadRequest, lst, name, role, &formError{field, l.T(key)})
	} else if err != nil {
		return err
	}
	notice := "claim_pending"
	if cl.Status == owner.StatusApproved {
		notice = "claim_approved"
	}
	return c.Redirect("/min-side?melding="+notice, fiber.StatusSeeOther)
}

func (s *Server) renderClaim(c *fiber.Ctx, status int, lst *listing.Listing, name, role string, ferr *formError) error {
	l := s.lang(c)
	path := "/reparator/" + lst.Slug + "/eier"
	body := claimBody{Name: lst.Name, ListingURL: "/reparator/" + lst.Slug, Action: path, Next: path,
		ClaimantName: name, Error: ferr}
	body.CSRF, _ = c.Locals("csrf").(string)
	if u := currentUser(c); u != nil {
		body.SignedIn, body.Email = true, u.Email
	}
	for _, r := range owner.Roles {
		body.Roles = append(body.Roles, checkOption{r, l.T("claim.role." + r), r == role})
	}
	v := s.newView(c, l, l.T("claim.heading", "name", lst.Name), nil, false)
	v.Noindex, v.Body = true, body
	return s.render(c, status, "claim", "layout", v)
}

type confirmBody struct {
	State, Name, ListingURL, EditURL, CSRF, Token string
}

// confirmLink is where "Ja, alt stemmer" leads: a page with one button.
// A mail scanner following the link confirms nothing.
func (s *Server) confirmLink(c *fiber.Ctx) error {
	token := strings.Clone(c.Query("token"))
	_, lst, err := s.Reminders.Check(c.UserContext(), token)
	if apperr.Is(err, apperr.CodeUnauthorized) {
		return s.renderConfirm(c, fiber.StatusGone, confirmBody{State: "invalid"})
	} else if err != nil {
		return err
	}
	c.Set("Referrer-Policy", "no-referrer")
	return s.renderConfirm(c, fiber.StatusOK, confirmBody{State: "ask", Name: lst.Name, Token: token,
		EditURL: "/min-side/oppforing/" + lst.ID})
}

func (s *Server) confirmSubmit(c *fiber.Ctx) error {
	lst, err := s.Reminders.Confirm(c.UserContext(), strings.Clone(c.FormValue("token")))
	if apperr.Is(err, apperr.CodeUnauthorized) {
		return s.renderConfirm(c, fiber.StatusGone, confirmBody{State: "invalid"})
	} else if err != nil {
		return err
	}
	body := confirmBody{State: "done", Name: lst.Name, EditURL: "/min-side/oppforing/" + lst.ID}
	if lst.Published() {
		body.ListingURL = "/reparator/" + lst.Slug
	}
	return s.renderConfirm(c, fiber.StatusOK, body)
}

func (s *Server) renderConfirm(c *fiber.Ctx, status int, body confirmBody) error {
	l := s.lang(c)
	body.CSRF, _ = c.Locals("csrf").(string)
	v := s.newView(c, l, l.T("confirm.heading"), nil, false)
	v.Noindex, v.Body = true, body
	return s.render(c, status, "confirm", "layout", v)
}

// postcodeCentre answers the register form's map: where a Bergen postcode
// is, so the pin can start there.
func (s *Server) postcodeCentre(c *fiber.Ctx) error {
	p, ok := s.Postcodes.Lookup(c.Params("code"))
	if !ok {
		return apperr.NotFound("Ukjent postnummer. / Unknown postcode.")
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.JSON(fiber.Map{"postcode": p.Code, "place": p.Name, "lat": p.Lat, "lng": p.Lng})
}
