package web

import (
	"errors"
	"github.com/gofiber/fiber/v2"
	"unicode/utf8"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/audit"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/registersync"
	"github.com/bergenreparerer/reparerer/internal/web/form"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

type overviewBody struct {
	Admin    bool
	Email    string
	Listings []ownedListing
	Claims   []claimView
	Notice   string
}

type ownedListing struct {
	Name, Status, StatusText, EditURL, PageURL, ConfirmedText string
}

type claimView struct{ Name, StatusText string }

// overview is "Min side": the user's listings and claims.
func (a *account) overview(c *fiber.Ctx) error {
	l, u := a.lang(c), currentUser(c)
	o, err := a.owners.Overview(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	body := overviewBody{Email: u.Email, Admin: u.Admin()}
	for _, lst := range o.Listings {
		ol := ownedListing{Name: lst.Name, Status: string(lst.Status), StatusText: l.T("account.status." + string(lst.Status)),
			EditURL: paths.EditListing(lst.ID), ConfirmedText: view.ConfirmedText(l, lst)}
		if lst.Published() {
			ol.PageURL = paths.Listing(lst.Slug)
		}
		body.Listings = append(body.Listings, ol)
	}
	for _, cl := range o.Claims {
		body.Claims = append(body.Claims, claimView{cl.ListingName, l.T("account.claim." + cl.Status)})
	}
	if n := c.Query("melding"); n != "" && l.Has("account.notice."+n) {
		body.Notice = l.T("account.notice." + n)
	}
	return a.render(c, fiber.StatusOK, "account", a.private(c, l, l.T("account.heading"), "account", body))
}

func (a *account) registerForm(c *fiber.Ctx) error {
	f := form.Listing{Categories: map[string]bool{}, City: "Bergen", Wheelchair: listing.WheelchairUnknown}
	return a.renderListingForm(c, fiber.StatusOK, nil, f, nil, nil)
}

func (a *account) registerSubmit(c *fiber.Ctx) error {
	u := currentUser(c)
	f := form.ParseListing(postValues(c))
	l := &listing.Listing{Status: listing.StatusPending, Source: listing.Source{Kind: listing.SourceOwner}}
	if bad := f.Apply(l, form.Listing{}, a.postcodes); len(bad) > 0 {
		return a.refuseListingForm(c, nil, f, bad, a.writes.CheckOwned(l, nil))
	}
	if e := checkOrgNumber(c, a.register, l.OrgNumber, "", l.Name); e != nil {
		return a.refuseOrgNumber(c, nil, f, e)
	}
	err := a.writes.Register(c.UserContext(), l, editor(u))
	if len(listing.Problems(err)) > 0 {
		return a.refuseListingForm(c, nil, f, nil, err)
	} else if err != nil {
		return err
	}
	a.log.Info("listing: registered by its owner; waiting for verification", "listing_id", l.ID, "user_id", u.ID)
	return c.Redirect(paths.AccountNotice("registered"), fiber.StatusSeeOther)
}

func (a *account) editForm(c *fiber.Ctx) error {
	lst, err := a.owners.Editable(c.UserContext(), *currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return a.renderListingForm(c, fiber.StatusOK, lst, form.FromListing(lst, a.now().In(openinghours.Oslo)), nil, nil)
}

func (a *account) editSubmit(c *fiber.Ctx) error {
	u := currentUser(c)
	current, err := a.owners.Editable(c.UserContext(), *u, c.Params("id"))
	if err != nil {
		return err
	}
	f := form.ParseListing(postValues(c))
	edited := *current
	if bad := f.Apply(&edited, form.FromListing(current, a.now().In(openinghours.Oslo)), a.postcodes); len(bad) > 0 {
		return a.refuseListingForm(c, current, f, bad, a.writes.CheckOwned(&edited, current))
	}
	if e := checkOrgNumber(c, a.register, edited.OrgNumber, current.OrgNumber, edited.Name); e != nil {
		return a.refuseOrgNumber(c, current, f, e)
	}
	err = a.writes.Edit(c.UserContext(), current, &edited, f.Version, editor(u))
	switch {
	case apperr.Is(err, apperr.CodeConflict):
		return a.conflict(c, current, f)
	case len(listing.Problems(err)) > 0:
		return a.refuseListingForm(c, current, f, nil, err)
	case err != nil:
		return err
	}
	a.log.Info("listing: edited by its owner", "listing_id", edited.ID, "user_id", u.ID, "version", edited.Version)
	return c.Redirect(paths.AccountNotice("saved"), fiber.StatusSeeOther)
}

// conflict shows the form as the owner sent it, with what others changed
// since it was opened; saving again keeps the owner's values on purpose.
func (a *account) conflict(c *fiber.Ctx, current *listing.Listing, f form.Listing) error {
	since, err := a.history.Since(c.UserContext(), current.ID, f.Version)
	if err != nil {
		return err
	}
	f.Version = current.Version
	return a.renderListingForm(c, fiber.StatusConflict, current, f, nil, since)
}

func (a *account) refuseListingForm(c *fiber.Ctx, lst *listing.Listing, f form.Listing, bad map[string]string, err error) error {
	return a.renderListingForm(c, fiber.StatusBadRequest, lst, f, form.Problems(bad, err, a.lang(c)), nil)
}

func (a *account) renderListingForm(c *fiber.Ctx, status int, lst *listing.Listing, f form.Listing, errs map[string]string, since []audit.Entry) error {
	l := a.lang(c)
	body := view.NewListingForm(l, lst, f, errs, since, currentUser(c).Admin())
	if lst != nil {
		body.EventsURL = paths.OwnerEvents(lst.ID)
	}
	title := l.T("edit.heading", "name", f.Name)
	if body.New {
		title = l.T("register.heading")
	}
	v := a.private(c, l, title, "account", body)
	v.Script["page"] = "listing-form"
	return a.render(c, status, "listingform", v)
}

// checkOrgNumber checks a new or changed organisation number against the
// register: it must exist, not be deleted, closed or bankrupt, and belong
// to a business whose name plausibly is the one given (a mistyped number
// names another). A register that does not answer (or is switched off)
// does not stop the save.
func checkOrgNumber(c *fiber.Ctx, register *registersync.Service, number, before, name string) *apperr.Error {
	if register == nil || number == "" || number == before || !listing.ValidOrgNumber(number) {
		return nil
	}
	u, err := register.Active(c.UserContext(), number)
	var ae *apperr.Error
	if errors.As(err, &ae) && (ae.Code == apperr.CodeNotFound || ae.Code == apperr.CodeConflict) {
		return ae
	}
	if err == nil && !registersync.NamesMatch(u.Name, name) {
		return apperr.Invalid("org_number", "err.register.name_mismatch", "name", u.Name)
	}
	return nil // a register that does not answer does not stop the save
}

// refuseOrgNumber shows the form with the register's objection at the
// organisation number.
func (a *account) refuseOrgNumber(c *fiber.Ctx, lst *listing.Listing, f form.Listing, e *apperr.Error) error {
	return a.renderListingForm(c, fiber.StatusBadRequest, lst, f, map[string]string{"org_number": a.lang(c).T(e.Key, e.Args...)}, nil)
}

// orgLookup answers the register form's "fill in from the organisation
// number": what Enhetsregisteret says, checked (exists, not deleted or
// bankrupt), for the script to put in the empty fields.
func (a *account) orgLookup(c *fiber.Ctx) error {
	if a.register == nil {
		return apperr.NotFound("err.register.off")
	}
	p, err := a.register.Lookup(c.UserContext(), c.Params("orgnr"))
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// addressSuggest completes the address a repairer is typing from the
// address API, for the form's combobox; without it (switched off, or not
// answering) the form works as it does without a script.
func (a *account) addressSuggest(c *fiber.Ctx) error {
	q := queryValues(c).Get("q")
	if utf8.RuneCountInString(q) > 100 {
		return apperr.Invalid("q", "err.listing.address_too_long")
	}
	found, on, err := a.positions.Suggest(c.UserContext(), q)
	switch {
	case !on:
		return apperr.NotFound("err.geocoder.off")
	case err != nil:
		return apperr.Unavailable(err, "err.geocoder.unavailable")
	}
	// no-store (route): an account's lookups are not kept
	return c.JSON(fiber.Map{"addresses": found})
}
