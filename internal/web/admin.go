package web

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/audit"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/moderation"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/reminder"
)

// requireAdmin lets only the municipality through. It runs after
// withUser on every /admin route: a page asks a visitor to sign in, a post
// without a session is refused, and a signed-in repairer is forbidden.
func (s *Server) requireAdmin(c *fiber.Ctx) error {
	u := currentUser(c)
	if u == nil {
		return s.requireUser(c)
	}
	if !u.Admin() {
		return errNotAdmin
	}
	return c.Next()
}

var errNotAdmin = &apperr.Error{Code: apperr.CodeNotAdmin, Message: "Bare Bergen kommune har tilgang. / Only Bergen kommune has access."}

// adminView is what every admin page shares: the sub-navigation, the
// CSRF token and a notice after an action.
type adminView struct {
	Page   string // which admin page: queue, listing, fresh, import, voucher, stats
	CSRF   string
	Notice string
	Error  *formError
	Data   any
}

func (s *Server) renderAdmin(c *fiber.Ctx, status int, page, title string, data any, ferr *formError) error {
	l := s.lang(c)
	body := adminView{Page: page, Data: data, Error: ferr}
	body.CSRF, _ = c.Locals("csrf").(string)
	if n := c.Query("melding"); n != "" && l.Has("admin.notice."+n) {
		body.Notice = l.T("admin.notice." + n)
	}
	v := s.newView(c, l, title, nil, false)
	v.Noindex, v.Nav, v.Body = true, "admin", body
	return s.render(c, status, "admin", "layout", v)
}

type queueData struct {
	Pending []listingRow
	Claims  []claimRow
	Edits   []editRow
	Reports []reportRow
}

type listingRow struct {
	ID, Name, AdminURL, District, Since string
	Version                             int
}

type claimRow struct {
	ID, ListingName, AdminURL, Name, Role, Email, Since string
}

type reportRow struct {
	ID, ListingName, AdminURL, Reason, Message, Email, Since string
}

type editRow struct {
	EntryID                            int64
	ListingName, AdminURL, Actor, When string
	ActionText, Note                   string
	Changes                            []changeRow
	Revertible                         bool
}

type changeRow struct{ Field, Before, After string }

// adminQueue is the review queue: what waits for the municipality.
func (s *Server) adminQueue(c *fiber.Ctx) error {
	l, ctx := s.lang(c), c.UserContext()
	var d queueData
	pending, err := s.Listings.WithStatus(ctx, listing.StatusPending)
	if err != nil {
		return err
	}
	for _, p := range pending {
		d.Pending = append(d.Pending, listingRow{ID: p.ID, Name: p.Name, AdminURL: adminListingURL(p.ID),
			District: s.districtName(p.District), Since: s.when(l, p.CreatedAt), Version: p.Version})
	}
	claims, err := s.Owners.Store.PendingClaims(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	name := func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		if lst, err := s.Listings.Get(ctx, id); err == nil {
			names[id] = lst.Name
		}
		return names[id]
	}
	for _, cl := range claims {
		d.Claims = append(d.Claims, claimRow{ID: cl.ID, ListingName: name(cl.ListingID), AdminURL: adminListingURL(cl.ListingID),
			Name: cl.Name, Role: l.T("claim.role." + cl.Role), Email: cl.Email, Since: s.when(l, cl.CreatedAt)})
	}
	edits, err := s.Audit.Recent(ctx, 30, listing.ActionOwnerEdit, listing.ActionOwnerRegister)
	if err != nil {
		return err
	}
	for _, e := range edits {
		d.Edits = append(d.Edits, s.editRow(l, e, name(e.ListingID)))
	}
	reports, err := s.Reports.OpenReports(ctx)
	if err != nil {
		return err
	}
	for _, r := range reports {
		d.Reports = append(d.Reports, reportRow{ID: r.ID, ListingName: name(r.ListingID), AdminURL: adminListingURL(r.ListingID),
			Reason: l.T("report.reason." + r.Reason), Message: r.Message, Email: r.Email, Since: s.when(l, r.CreatedAt)})
	}
	return s.renderAdmin(c, fiber.StatusOK, "queue", l.T("admin.queue.heading"), d, nil)
}

func adminListingURL(id string) string { return "/admin/oppforing/" + id }

// when is a date and time for the municipality's lists.
func (s *Server) when(l *i18n.Localizer, t time.Time) string {
	t = t.In(openinghours.Oslo)
	return l.Date(t) + " " + l.TimeOf(t)
}

func (s *Server) districtName(slug string) string {
	if d, ok := s.Districts.Lookup(slug); ok {
		return d.Name
	}
	return slug
}

// editRow shows one audit entry as a before/after table.
func (s *Server) editRow(l *i18n.Localizer, e audit.Entry, name string) editRow {
	r := editRow{EntryID: e.ID, ListingName: name, AdminURL: adminListingURL(e.ListingID), Actor: e.Actor,
		When: s.when(l, e.At), ActionText: l.T("admin.action." + string(e.Action)), Note: e.Note}
	for _, ch := range e.Changes {
		r.Changes = append(r.Changes, changeRow{fieldLabel(l, ch.Field), valueText(l, ch.Field, ch.Before), valueText(l, ch.Field, ch.After)})
		r.Revertible = r.Revertible || listing.Revertible(ch.Field)
	}
	r.Revertible = r.Revertible && e.Version > 1 // a listing's first entry is its creation
	return r
}

// valueText shows a stored field value as people read it: names for
// codes, the national form of a phone number, hours in OSM syntax.
func valueText(l *i18n.Localizer, field, value string) string {
	if value == "" {
		return ""
	}
	switch field {
	case "phone":
		return listing.DisplayPhone(value)
	case "categories":
		return categoryNames(strings.Split(value, ", "), l)
	case "opening_hours":
		var sch openinghours.Schedule
		if json.Unmarshal([]byte(value), &sch) != nil {
			return value
		}
		if !sch.Known() && !sch.Unparsed {
			return l.T("admin.hours_unknown")
		}
		return sch.String()
	case "accepts_repair_voucher":
		return l.T("admin.bool." + value)
	case "wheelchair_accessible":
		return l.T("form.wheelchair." + value)
	case "status":
		return l.T("account.status." + value)
	case "hide_reason":
		return l.T("admin.hide." + value)
	}
	return value
}

type listingData struct {
	ID, Name, StatusText, HideReasonText, PageURL, EditURL, Status string
	Version                                                        int
	VerifiedText, ConfirmedText, UnconfirmedText, DistrictName     string
	Voucher                                                        bool
	Owners                                                         []string
	HideReasons                                                    []option
	History                                                        []editRow
	Scans                                                          int
	StickerSVG, StickerPDF                                         string
}

// adminListing is one listing as the municipality sees it: its state, the
// actions, its whole history with revert buttons, and its sticker.
func (s *Server) adminListing(c *fiber.Ctx) error {
	lst, err := s.Listings.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return s.renderAdminListing(c, fiber.StatusOK, lst, nil)
}

func (s *Server) renderAdminListing(c *fiber.Ctx, status int, lst *listing.Listing, ferr *formError) error {
	l, ctx := s.lang(c), c.UserContext()
	d := listingData{ID: lst.ID, Name: lst.Name, Status: string(lst.Status), StatusText: l.T("account.status." + string(lst.Status)),
		EditURL: "/min-side/oppforing/" + lst.ID, Version: lst.Version, Voucher: lst.AcceptsRepairVoucher,
		DistrictName: s.districtName(lst.District), VerifiedText: l.T("listing.not_verified"),
		StickerSVG: adminListingURL(lst.ID) + "/klistremerke.svg", StickerPDF: adminListingURL(lst.ID) + "/klistremerke.pdf"}
	if lst.HideReason != "" {
		d.HideReasonText = l.T("admin.hide." + lst.HideReason)
	}
	if lst.Published() {
		d.PageURL = "/reparator/" + lst.Slug
	}
	if lst.VerifiedAt != nil {
		d.VerifiedText = l.T("listing.verified", "date", l.Date(lst.VerifiedAt.In(openinghours.Oslo))) + " (" + lst.VerifiedBy + ")"
	}
	if lst.ConfirmedAt != nil {
		d.ConfirmedText = l.T("listing.confirmed", "date", l.Date(lst.ConfirmedAt.In(openinghours.Oslo)))
	}
	var err error
	if d.UnconfirmedText, err = s.unconfirmedText(c, l, lst); err != nil {
		return err
	}
	owners, err := s.Owners.Store.Owners(ctx, lst.ID)
	if err != nil {
		return err
	}
	for _, o := range owners {
		d.Owners = append(d.Owners, o.Email)
	}
	for _, r := range moderation.HideReasons {
		d.HideReasons = append(d.HideReasons, option{r, l.T("admin.hide." + r), r == lst.HideReason})
	}
	history, err := s.Audit.History(ctx, lst.ID)
	if err != nil {
		return err
	}
	for i := len(history) - 1; i >= 0; i-- { // newest first
		d.History = append(d.History, s.editRow(l, history[i], lst.Name))
	}
	if d.Scans, err = s.Scans.Scans(ctx, lst.ID); err != nil {
		return err
	}
	return s.renderAdmin(c, status, "listing", lst.Name, d, ferr)
}

// unconfirmedText says, publicly and to the municipality, that the
// business has not answered its last "still correct?" e-mail.
func (s *Server) unconfirmedText(c *fiber.Ctx, l *i18n.Localizer, lst *listing.Listing) (string, error) {
	last, err := s.Reminders.Store.LastSent(c.UserContext(), lst.ID)
	if err != nil {
		return "", err
	}
	r, ok := last[lst.ID]
	if !ok || !reminder.Unconfirmed(lst, &r, s.Now()) {
		return "", nil
	}
	return l.T("listing.unconfirmed", "date", l.Date(r.SentAt.In(openinghours.Oslo))), nil
}

// action runs one moderation action on the :id listing at the version the
// admin's form was made from, then shows the listing again with a notice;
// a refused action shows the page with the reason.
func (s *Server) action(c *fiber.Ctx, notice string, do func(version int) (*listing.Listing, error)) error {
	version, _ := strconv.Atoi(c.FormValue("version"))
	lst, err := do(version)
	if err == nil {
		return c.Redirect(adminListingURL(lst.ID)+"?melding="+notice, fiber.StatusSeeOther)
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || (ae.Code != apperr.CodeInvalid && ae.Code != apperr.CodeConflict) {
		return err
	}
	current, gerr := s.Listings.Get(c.UserContext(), c.Params("id"))
	if gerr != nil {
		return gerr
	}
	l := s.lang(c)
	return s.renderAdminListing(c, statusOf[ae.Code], current, &formError{Field: ae.Field, Message: l.T("admin.error." + string(ae.Code))})
}

func (s *Server) adminVerify(c *fiber.Ctx) error {
	return s.action(c, "verified", func(v int) (*listing.Listing, error) {
		return s.Moderation.Verify(c.UserContext(), *currentUser(c), c.Params("id"), v)
	})
}

func (s *Server) adminReject(c *fiber.Ctx) error {
	return s.action(c, "rejected", func(v int) (*listing.Listing, error) {
		return s.Moderation.Reject(c.UserContext(), *currentUser(c), c.Params("id"), v, c.FormValue("reason"))
	})
}

func (s *Server) adminHide(c *fiber.Ctx) error {
	return s.action(c, "hidden", func(v int) (*listing.Listing, error) {
		return s.Moderation.Hide(c.UserContext(), *currentUser(c), c.Params("id"), v, c.FormValue("reason"), c.FormValue("note"))
	})
}

func (s *Server) adminUnhide(c *fiber.Ctx) error {
	return s.action(c, "unhidden", func(v int) (*listing.Listing, error) {
		return s.Moderation.Unhide(c.UserContext(), *currentUser(c), c.Params("id"), v)
	})
}

func (s *Server) adminVoucher(c *fiber.Ctx) error {
	return s.action(c, "voucher", func(v int) (*listing.Listing, error) {
		return s.Moderation.SetVoucher(c.UserContext(), *currentUser(c), c.Params("id"), v, c.FormValue("voucher") == "on")
	})
}

func (s *Server) adminRevert(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("entry"), 10, 64)
	if err != nil {
		return apperr.NotFound("Fant ingen slik endring. / No such change.")
	}
	r, err := s.Moderation.Revert(c.UserContext(), *currentUser(c), id)
	if apperr.Is(err, apperr.CodeConflict) && r.Listing != nil {
		return s.renderAdminListing(c, fiber.StatusConflict, r.Listing, &formError{Message: s.lang(c).T("admin.error.nothing_to_revert")})
	} else if err != nil {
		return err
	}
	notice := "reverted"
	if len(r.Left) > 0 {
		notice = "reverted_partly"
	}
	return c.Redirect(adminListingURL(r.Listing.ID)+"?melding="+notice, fiber.StatusSeeOther)
}

func (s *Server) adminClaim(c *fiber.Ctx) error {
	decision := c.FormValue("decision")
	if decision != "approve" && decision != "reject" {
		return apperr.Invalid("decision", "Velg godkjenn eller avvis. / Choose approve or reject.")
	}
	approve := decision == "approve"
	_, err := s.Moderation.DecideClaim(c.UserContext(), *currentUser(c), c.Params("id"), approve, c.FormValue("reason"))
	if apperr.Is(err, apperr.CodeInvalid) {
		return c.Redirect("/admin?melding=claim_reason#krav", fiber.StatusSeeOther)
	} else if err != nil {
		return err
	}
	notice := "claim_rejected"
	if approve {
		notice = "claim_approved"
	}
	return c.Redirect("/admin?melding="+notice+"#krav", fiber.StatusSeeOther)
}

func (s *Server) adminCloseReport(c *fiber.Ctx) error {
	if err := s.Moderation.CloseReport(c.UserContext(), *currentUser(c), c.Params("id")); err != nil {
		return err
	}
	return c.Redirect("/admin?melding=report_closed#meldinger", fiber.StatusSeeOther)
}
