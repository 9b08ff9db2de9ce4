package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/coverage"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/report"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
	"github.com/bergenreparerer/reparerer/internal/web/form"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

func (p *public) apiRepairer(c *fiber.Ctx) error {
	l, err := published(c, p.listings)
	if err != nil {
		return err
	}
	return c.JSON(view.NewPublic(l, p.now()))
}

func (p *public) listingPage(c *fiber.Ctx) error {
	l := p.lang(c)
	lst, err := published(c, p.listings)
	if err != nil {
		return err
	}
	if c.Query("kilde") == paths.QRSource {
		return p.countScan(c, lst)
	}
	unanswered, err := p.reminders.UnansweredSince(c.UserContext(), lst)
	if err != nil {
		return err
	}
	body := view.NewListing(l, lst, p.districts.Name(lst.District), p.now())
	body.UnconfirmedText = view.UnconfirmedText(l, unanswered)
	body.ReportSent = c.Query("meldt") == "1"
	if body.Marks, err = p.marks(c, l, lst); err != nil {
		return err
	}
	v := p.newPage(c, l, lst.Name, nil, true)
	v.OGTitle = lst.Name
	v.OGType = "business.business"
	v.Description = l.T("listing.meta_description", "name", lst.Name, "categories", body.CategoryText,
		"district", body.DistrictName, "address", body.AddressText)
	body.JSONLD = view.JSONLD(lst, v.Canonical, body.Description, body.Deviations)
	var status, class string
	if body.Sessions, status, class, err = p.events.listingSessions(c.UserContext(), l, lst); err != nil {
		return err
	}
	if status != "" {
		body.StatusText, body.StatusClass = status, class
	}
	if len(body.Sessions) > 0 {
		body.FeedURL = paths.ListingFeed(lst.Slug)
		body.FollowURL = paths.Follow + "?oppforing=" + url.QueryEscape(lst.Slug)
		body.JSONLD["event"] = view.EventsLD(body.Sessions, lst)
	}
	v.Body = body
	return p.render(c, fiber.StatusOK, "listing", v)
}

// marks are the listing's quality marks that hold now, each linking to
// what it means (/merker): the city's verification, the repair voucher,
// the gift card, and the labels.
func (p *public) marks(c *fiber.Ctx, l *i18n.Localizer, lst *listing.Listing) ([]view.Link, error) {
	var out []view.Link
	if lst.VerifiedAt != nil {
		out = append(out, view.Link{Href: paths.Marks + "#verified", Text: l.T("marks.verified_on", "date", l.Date(*lst.VerifiedAt))})
	}
	if lst.AcceptsRepairVoucher {
		out = append(out, view.Link{Href: paths.Marks + "#voucher", Text: l.T("badge.voucher")})
	}
	if lst.AcceptsGiftCard {
		out = append(out, view.Link{Href: paths.Marks + "#gift-card", Text: l.T("marks.gift_card_heading")})
	}
	valid := lst.ValidMarks(p.now())
	if len(valid) == 0 {
		return out, nil
	}
	labels, err := p.labels.Labels(c.UserContext())
	if err != nil {
		return nil, err
	}
	for _, m := range valid {
		for _, lb := range labels {
			if lb.Slug == m.Label {
				out = append(out, view.Link{Href: paths.Marks + "#" + lb.Slug, Text: l.T("marks.label", "name", lb.Name, "issuer", lb.Issuer)})
			}
		}
	}
	return out, nil
}

// countScan counts a visit from a sticker — once a day per listing and
// client, so repeated requests are one visit — and sends the visitor on to
// the clean address, so reloads and shared links are not counted again.
func (p *public) countScan(c *fiber.Ctx, lst *listing.Listing) error {
	day := p.now().In(openinghours.Oslo).Format(time.DateOnly)
	if !p.scansSeen.first(c.UserContext(), day, lst.ID, clientIP(c)) {
		return c.Redirect(paths.Listing(lst.Slug), fiber.StatusFound)
	}
	if err := p.scans.CountScan(c.UserContext(), lst.ID, day); err != nil {
		p.log.Warn("qr: visit not counted", "listing_id", lst.ID, "error", err)
	}
	return c.Redirect(paths.Listing(lst.Slug), fiber.StatusFound)
}

// postcodeCentre answers the register form's map: where a Bergen postcode
// is, so the pin can start there.
func (p *public) postcodeCentre(c *fiber.Ctx) error {
	pc, ok := p.postcodes.Lookup(c.Params("code"))
	if !ok {
		return apperr.NotFound("err.unknown_postcode")
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.JSON(fiber.Map{"postcode": pc.Code, "place": pc.Name, "lat": pc.Lat, "lng": pc.Lng})
}

type reportBody struct {
	Name, ListingURL, Action string
	Reasons                  []view.Check
	Message, Email           string
	// CorrectionFields offer the fields a report may propose a value for.
	CorrectionFields []view.Option
	Correction       string
	Error            *form.Error
}

func (p *public) reportForm(c *fiber.Ctx) error {
	lst, err := published(c, p.listings)
	if err != nil {
		return err
	}
	return p.renderReport(c, lst, report.Report{}, nil, fiber.StatusOK)
}

func (p *public) reportSubmit(c *fiber.Ctx) error {
	lst, err := published(c, p.listings)
	if err != nil {
		return err
	}
	if filledHoneypot(c) {
		p.log.Info("report: dropped a robot's report", "listing_id", lst.ID)
		return c.Redirect(paths.ReportSent(lst.Slug), fiber.StatusSeeOther)
	}
	v := postValues(c)
	r := report.Report{ListingID: lst.ID, Reason: v.Get("reason"), Message: v.Get("message"), Email: v.Get("email"),
		CorrectionField: v.Get("correction_field"), Correction: v.Get("correction")}
	if err := r.Normalize(); err != nil {
		field := ""
		var ae *apperr.Error
		if errors.As(err, &ae) {
			field = ae.Field
		}
		target := field
		if field == "reason" {
			target = "reason-" + report.Reasons[0]
		}
		return p.renderReport(c, lst, r, &form.Error{Field: target, Message: p.lang(c).T("report.error." + field)}, fiber.StatusBadRequest)
	}
	if err := p.reports.CreateReport(c.UserContext(), &r); err != nil {
		return err
	}
	if r.Correction != "" {
		// A proposed value joins the suggestions, beside the report.
		sg := suggestion.Suggestion{ListingID: lst.ID, Field: r.CorrectionField, Current: listing.FieldText(lst, r.CorrectionField),
			Proposed: r.Correction, Source: listing.SourcePublicTip, Evidence: "Meld fra om feil " + r.ID}
		if _, err := p.suggestions.Raise(c.UserContext(), []suggestion.Suggestion{sg}); err != nil {
			return err
		}
	}
	p.log.Info("report: received", "listing_id", lst.ID, "report_id", r.ID, "reason", r.Reason, "correction", r.CorrectionField)
	return c.Redirect(paths.ReportSent(lst.Slug), fiber.StatusSeeOther)
}

func (p *public) renderReport(c *fiber.Ctx, lst *listing.Listing, r report.Report, ferr *form.Error, status int) error {
	l := p.lang(c)
	body := reportBody{Name: lst.Name, ListingURL: paths.Listing(lst.Slug), Action: paths.Report(lst.Slug),
		Message: r.Message, Email: r.Email, Error: ferr}
	for _, reason := range report.Reasons {
		body.Reasons = append(body.Reasons, view.Check{Value: reason, Label: l.T("report.reason." + reason), Checked: reason == r.Reason})
	}
	body.Correction = r.Correction
	body.CorrectionFields = []view.Option{{Slug: "", Name: l.T("report.correction_none"), Selected: r.CorrectionField == ""}}
	for _, f := range report.CorrectionFields {
		body.CorrectionFields = append(body.CorrectionFields, view.Option{Slug: f, Name: view.FieldLabel(l, f), Selected: f == r.CorrectionField})
	}
	return p.render(c, status, "report", p.private(c, l, l.T("report.heading", "name", lst.Name), "", body))
}

// filledHoneypot reports whether a public form's post filled the field
// people never see: a robot's.
func filledHoneypot(c *fiber.Ctx) bool { return c.FormValue("website") != "" }

// seenToday remembers which clients a day's sticker visits came from, as
// hashes of day, listing and address kept for that day only, so a visit
// is counted once without keeping anyone's address: in the tally every
// instance shares when there is one (a proxy may send one visitor's
// visits to different instances), else (or while it fails) in memory.
type seenToday struct {
	shared coverage.Tally

	mu   sync.Mutex
	day  string
	seen map[[sha256.Size]byte]struct{}
}

// maxSeen bounds the memory: past it, visits are counted unchecked.
const maxSeen = 200_000

// first reports whether this is the day's first visit of the client to
// the listing.
func (s *seenToday) first(ctx context.Context, day, listingID, client string) bool {
	key := sha256.Sum256([]byte(day + "|" + listingID + "|" + client))
	if s.shared != nil {
		// The key's day keeps it from counting past midnight; its time to
		// live only clears it away.
		if n, err := s.shared.Incr(ctx, "visit:"+hex.EncodeToString(key[:16]), 26*time.Hour); err == nil {
			return n == 1
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.day != day || s.seen == nil {
		s.day, s.seen = day, map[[sha256.Size]byte]struct{}{}
	}
	if _, ok := s.seen[key]; ok {
		return false
	}
	if len(s.seen) < maxSeen {
		s.seen[key] = struct{}{}
	}
	return true
}
