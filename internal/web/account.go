package web

import (
	"errors"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/audit"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/owner"
)

type accountBody struct {
	Admin    bool
	Email    string
	CSRF     string
	Listings []ownedListing
	Claims   []claimView
	Notice   string
}

type ownedListing struct {
	Name, Status, StatusText, EditURL, PageURL, ConfirmedText string
}

type claimView struct{ Name, StatusText string }

// account is "Min side": the user's listings and claims.
func (s *Server) account(c *fiber.Ctx) error {
	l, u := s.lang(c), currentUser(c)
	ctx := c.UserContext()
	owned, err := s.Owners.Store.Listings(ctx, u.ID)
	if err != nil {
		return err
	}
	body := accountBody{Email: u.Email, Admin: u.Admin()}
	body.CSRF, _ = c.Locals("csrf").(string)
	for _, lst := range owned {
		o := ownedListing{Name: lst.Name, Status: string(lst.Status), StatusText: l.T("account.status." + string(lst.Status)),
			EditURL: "/min-side/oppforing/" + lst.ID}
		if lst.Published() {
			o.PageURL = "/reparator/" + lst.Slug
		}
		if lst.ConfirmedAt != nil {
			o.ConfirmedText = l.T("listing.confirmed", "date", l.Date(lst.ConfirmedAt.In(openinghours.Oslo)))
		}
		body.Listings = append(body.Listings, o)
	}
	claims, err := s.Owners.Store.ClaimsBy(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, cl := range claims {
		if cl.Status == owner.StatusApproved {
			continue // the listing is in the list above
		}
		lst, err := s.Listings.Get(ctx, cl.ListingID)
		if err != nil {
			return err
		}
		body.Claims = append(body.Claims, claimView{lst.Name, l.T("account.claim." + cl.Status)})
	}
	if n := c.Query("melding"); n != "" && l.Has("account.notice."+n) {
		body.Notice = l.T("account.notice." + n)
	}
	v := s.newView(c, l, l.T("account.heading"), nil, false)
	v.Noindex, v.Nav, v.Body = true, "account", body
	return s.render(c, fiber.StatusOK, "account", "layout", v)
}

// ownListing loads the listing of the :id parameter if the user may edit
// it: its owner, or the municipality. Anyone else is refused, and learns
// nothing about whether the listing exists.
func (s *Server) ownListing(c *fiber.Ctx) (*listing.Listing, error) {
	u := currentUser(c)
	id := c.Params("id")
	if !u.Admin() {
		owns, err := s.Owners.Store.Owns(c.UserContext(), u.ID, id)
		if err != nil {
			return nil, err
		}
		if !owns {
			return nil, errNotYours
		}
	}
	return s.Listings.Get(c.UserContext(), id)
}

var errNotYours = &apperr.Error{Code: apperr.CodeNotOwner, Message: "Du kan ikke endre denne oppføringen. / You may not edit this listing."}

func (s *Server) registerForm(c *fiber.Ctx) error {
	f := listingForm{Categories: map[string]bool{}, City: "Bergen", Wheelchair: listing.WheelchairUnknown}
	return s.renderListingForm(c, fiber.StatusOK, nil, f, nil, nil)
}

func (s *Server) registerSubmit(c *fiber.Ctx) error {
	u := currentUser(c)
	f := parseListingForm(c)
	l := &listing.Listing{Status: listing.StatusPending, Source: listing.Source{Kind: listing.SourceOwner}}
	bad := s.apply(&f, l, listingForm{})
	l.AcceptsRepairVoucher = u.Admin() && f.Voucher // the scheme's members are the municipality's to mark
	err := s.checkOwnerListing(l)
	if len(bad) > 0 {
		return s.refuseListingForm(c, nil, f, bad, err)
	}
	if err == nil {
		err = s.Writes.Create(c.UserContext(), l, listing.Change{Actor: "owner:" + u.Email, Action: listing.ActionOwnerRegister, OwnerID: u.ID})
	}
	if len(listing.Problems(err)) > 0 {
		return s.refuseListingForm(c, nil, f, nil, err)
	} else if err != nil {
		return err
	}
	s.Log.Info("listing: registered by its owner; waiting for verification", "listing_id", l.ID, "user_id", u.ID)
	return c.Redirect("/min-side?melding=registered", fiber.StatusSeeOther)
}

// checkOwnerListing is Normalize plus the rules for owners' listings.
func (s *Server) checkOwnerListing(l *listing.Listing) error {
	err := listing.Normalize(l, s.Districts)
	if orgErr := listing.RequireOrgNumber(l); orgErr != nil {
		if _, already := listing.Problems(err)["org_number"]; !already {
			return errors.Join(err, orgErr)
		}
	}
	return err
}

func (s *Server) editForm(c *fiber.Ctx) error {
	lst, err := s.ownListing(c)
	if err != nil {
		return err
	}
	return s.renderListingForm(c, fiber.StatusOK, lst, formFromListing(lst, s.Now().In(openinghours.Oslo)), nil, nil)
}

func (s *Server) editSubmit(c *fiber.Ctx) error {
	lst, err := s.ownListing(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	f := parseListingForm(c)
	current := *lst
	original := formFromListing(lst, s.Now().In(openinghours.Oslo))
	bad := s.apply(&f, lst, original)
	if !u.Admin() {
		lst.AcceptsRepairVoucher = current.AcceptsRepairVoucher // the municipality's to mark
	}
	if err := s.checkOwnerListing(lst); err != nil || len(bad) > 0 {
		return s.refuseListingForm(c, &current, f, bad, err)
	}
	lst.Version = f.Version // the version the form was opened at
	action := listing.ActionOwnerEdit
	if u.Admin() {
		action = listing.ActionAdminEdit
	}
	err = s.Writes.Update(c.UserContext(), lst, listing.Change{Actor: string(u.Role) + ":" + u.Email, Action: action})
	switch {
	case apperr.Is(err, apperr.CodeConflict):
		return s.conflict(c, &current, f)
	case len(listing.Problems(err)) > 0:
		return s.refuseListingForm(c, &current, f, nil, err)
	case err != nil:
		return err
	}
	s.Log.Info("listing: edited by its owner", "listing_id", lst.ID, "user_id", u.ID, "version", lst.Version)
	return c.Redirect("/min-side?melding=saved", fiber.StatusSeeOther)
}

// conflict shows the form as the owner sent it, with what others changed
// since it was opened; saving again keeps the owner's values on purpose.
func (s *Server) conflict(c *fiber.Ctx, current *listing.Listing, f listingForm) error {
	since, err := s.Audit.Since(c.UserContext(), current.ID, f.Version)
	if err != nil {
		return err
	}
	f.Version = current.Version
	return s.renderListingForm(c, fiber.StatusConflict, current, f, nil, since)
}

func (s *Server) refuseListingForm(c *fiber.Ctx, lst *listing.Listing, f listingForm, bad map[string]string, err error) error {
	return s.renderListingForm(c, fiber.StatusBadRequest, lst, f, problems(bad, err, s.lang(c)), nil)
}

type listingFormBody struct {
	New                      bool
	Admin                    bool
	Action, CSRF, ListingURL string
	F                        listingForm
	Categories               []checkOption
	Days                     []dayView
	Exceptions               []exceptionView
	Wheelchair               []checkOption
	Errors                   map[string]string
	ErrorList                []formError
	Conflict                 []conflictRow
	MaxSlots, MaxExceptions  int
}

type checkOption struct {
	Value, Label string
	Checked      bool
}

type dayView struct {
	Index int
	Name  string
	Slots []slotView
}

type slotView struct {
	Index    int
	From, To string
}

type exceptionView struct {
	Index int
	exceptionRowForm
}

type conflictRow struct{ Field, By, When, Now string }

func (s *Server) renderListingForm(c *fiber.Ctx, status int, lst *listing.Listing, f listingForm, errs map[string]string, since []audit.Entry) error {
	l := s.lang(c)
	body := listingFormBody{New: lst == nil, F: f, Errors: errs, MaxSlots: maxSlots, MaxExceptions: maxExceptions,
		Action: "/min-side/ny"}
	body.CSRF, _ = c.Locals("csrf").(string)
	body.Admin = currentUser(c).Admin()
	if lst != nil {
		body.Action = "/min-side/oppforing/" + lst.ID
		if lst.Published() {
			body.ListingURL = "/reparator/" + lst.Slug
		}
	}
	for _, cat := range category.All() {
		body.Categories = append(body.Categories, checkOption{cat.Slug, categoryName(cat, l), f.Categories[cat.Slug]})
	}
	for d := range f.Days {
		day := dayView{Index: d, Name: l.Weekday(d)}
		for i := 0; i < max(slotsShown, len(f.Days[d])); i++ {
			sv := slotView{Index: i}
			if i < len(f.Days[d]) {
				sv.From, sv.To = f.Days[d][i].From, f.Days[d][i].To
			}
			day.Slots = append(day.Slots, sv)
		}
		body.Days = append(body.Days, day)
	}
	for i := 0; i < len(f.Exceptions)+exceptionsAdded && i < maxExceptions; i++ {
		ev := exceptionView{Index: i}
		if i < len(f.Exceptions) {
			ev.exceptionRowForm = f.Exceptions[i]
		}
		body.Exceptions = append(body.Exceptions, ev)
	}
	for _, w := range []string{listing.WheelchairYes, listing.WheelchairNo, listing.WheelchairUnknown} {
		body.Wheelchair = append(body.Wheelchair, checkOption{w, l.T("form.wheelchair." + w), f.Wheelchair == w})
	}
	for id, msg := range errs {
		body.ErrorList = append(body.ErrorList, formError{id, msg})
	}
	sort.Slice(body.ErrorList, func(i, j int) bool { return formOrder(body.ErrorList[i].Field) < formOrder(body.ErrorList[j].Field) })
	for _, e := range since {
		for _, ch := range e.Changes {
			row := conflictRow{Field: fieldLabel(l, ch.Field), By: actorText(l, e.Actor), When: s.when(l, e.At),
				Now: valueText(l, ch.Field, ch.After)}
			if ch.Field == "opening_hours" {
				row.Now = l.T("conflict.hours_changed") // the form below shows them
			}
			body.Conflict = append(body.Conflict, row)
		}
	}
	title := l.T("edit.heading", "name", f.Name)
	if body.New {
		title = l.T("register.heading")
	}
	v := s.newView(c, l, title, nil, false)
	v.Noindex, v.Nav, v.Body = true, "account", body
	v.Script["page"] = "listing-form"
	return s.render(c, status, "listingform", "layout", v)
}

// formOrder ranks input ids in the order the form shows them, so the
// error summary reads top to bottom.
func formOrder(id string) string {
	order := []string{"name", "org_number", "category", "services", "description_nb", "description_en",
		"street", "postcode", "city", "lat", "phone", "email", "website", "h", "x", "price_info", "price_from_nok", "wheelchair"}
	for i, prefix := range order {
		if strings.HasPrefix(id, prefix) {
			return string(rune('a'+i)) + id
		}
	}
	return "z" + id
}

func fieldLabel(l *i18n.Localizer, field string) string {
	key := "form.field." + strings.ReplaceAll(field, ".", "_")
	if l.Has(key) {
		return l.T(key)
	}
	return field
}

// actorText names who made a change without showing other people's
// addresses: the municipality, another owner, an import.
func actorText(l *i18n.Localizer, actor string) string {
	kind, _, _ := strings.Cut(actor, ":")
	key := "conflict.actor." + kind
	if l.Has(key) {
		return l.T(key)
	}
	return l.T("conflict.actor.other")
}
