package web

import (
	"strconv"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

type queueData struct {
	Pending     []listingRow
	Claims      []claimRow
	Edits       []view.Edit
	Reports     []reportRow
	Tips        []tipRow
	Suggestions []suggestionRow
	Reverify    []reverifyRow
}

type reverifyRow struct{ Name, AdminURL, Changed string }

type suggestionRow struct {
	ID, ListingName, AdminURL, Field, Current, Proposed, ProposedRaw, From, Evidence string
	Stale, IsOwner                                                                   bool
	AcceptURL, RejectURL                                                             string
}

type tipRow struct {
	ID, Category, Name, Where, Message, Email, Since, CloseURL string
}

type listingRow struct {
	ID, Name, AdminURL, District, Since string
	Version                             int
	// NeedsNameConsent: verified only from its page, where the editor
	// confirms consent to publish a sole proprietor's name.
	NeedsNameConsent bool
}

type claimRow struct {
	ID, ListingName, AdminURL, Name, Role, Email, Since string
	OrgNumber                                           string
}

type reportRow struct {
	ID, ListingName, AdminURL, Reason, Message, Email, Since string
}

// queue is the review queue: what waits for the municipality.
func (a *admin) queue(c *fiber.Ctx) error {
	l := a.lang(c)
	q, err := a.moderation.Queue(c.UserContext())
	if err != nil {
		return err
	}
	var d queueData
	for _, p := range q.Pending {
		d.Pending = append(d.Pending, listingRow{ID: p.ID, Name: p.Name, AdminURL: paths.AdminListing(p.ID),
			District: a.districts.Name(p.District), Since: view.Moment(l, p.CreatedAt), Version: p.Version,
			NeedsNameConsent: p.NeedsNameConsent()})
	}
	for _, cl := range q.Claims {
		d.Claims = append(d.Claims, claimRow{ID: cl.ID, ListingName: cl.ListingName, AdminURL: paths.AdminListing(cl.ListingID),
			Name: cl.Name, Role: l.T("claim.role." + cl.Role), Email: cl.Email, Since: view.Moment(l, cl.CreatedAt), OrgNumber: cl.OrgNumber})
	}
	ids := make([]int64, 0, len(q.Edits))
	for _, e := range q.Edits {
		ids = append(ids, e.Item.ID)
	}
	seen, err := a.moderation.SeenBy(c.UserContext(), *currentUser(c), ids)
	if err != nil {
		return err
	}
	for _, e := range q.Edits {
		edit := view.NewEdit(l, e.Item, e.ListingName)
		edit.Seen, edit.SeenURL = seen[e.Item.ID], paths.MarkSeen(strconv.FormatInt(e.Item.ID, 10))
		d.Edits = append(d.Edits, edit)
	}
	for _, r := range q.Reports {
		d.Reports = append(d.Reports, reportRow{ID: r.Item.ID, ListingName: r.ListingName, AdminURL: paths.AdminListing(r.Item.ListingID),
			Reason: l.T("report.reason." + r.Item.Reason), Message: r.Item.Message, Email: r.Item.Email, Since: view.Moment(l, r.Item.CreatedAt)})
	}
	for _, lst := range q.Reverify {
		at, source, _ := lst.ChangedSinceVerification()
		d.Reverify = append(d.Reverify, reverifyRow{Name: lst.Name, AdminURL: paths.AdminListing(lst.ID),
			Changed: l.T("admin.reverify.changed", "date", view.Date(l, at), "who", l.T("source."+source))})
	}
	if d.Suggestions, err = a.suggestionRows(c, l); err != nil {
		return err
	}
	tips, err := a.tips.OpenTips(c.UserContext())
	if err != nil {
		return err
	}
	for _, t := range tips {
		row := tipRow{ID: t.ID, Name: t.Name, Where: t.Where, Message: t.Message, Email: t.Email,
			Since: view.Moment(l, t.CreatedAt), CloseURL: paths.CloseTip(t.ID)}
		if cat, ok := category.Lookup(t.Category); ok {
			row.Category = view.CategoryName(cat, l)
		}
		d.Tips = append(d.Tips, row)
	}
	return a.render(c, fiber.StatusOK, "queue", l.T("admin.queue.heading"), d, nil)
}

// closeTip marks a resident's tip handled.
func (a *admin) closeTip(c *fiber.Ctx) error {
	if err := a.tips.CloseTip(c.UserContext(), c.Params("id"), currentUser(c).Email, a.now().UTC()); err != nil {
		return err
	}
	a.log.Info("tip: closed", "tip_id", c.Params("id"))
	return c.Redirect(paths.AdminQueue+"#tips", fiber.StatusSeeOther)
}

// suggestionRows are the open suggestions with their listings' current
// values: a suggestion whose field changed meanwhile says so.
func (a *admin) suggestionRows(c *fiber.Ctx, l *i18n.Localizer) ([]suggestionRow, error) {
	open, err := a.suggestions.Open(c.UserContext())
	if err != nil {
		return nil, err
	}
	var rows []suggestionRow
	for _, sg := range open {
		lst, err := a.listings.Get(c.UserContext(), sg.ListingID)
		if err != nil {
			return nil, err
		}
		rows = append(rows, suggestionRow{ID: sg.ID, ListingName: lst.Name, AdminURL: paths.AdminListing(lst.ID),
			Field: view.FieldLabel(l, sg.Field), Current: view.ValueText(l, sg.Field, sg.Current),
			Proposed: view.ValueText(l, sg.Field, sg.Proposed), ProposedRaw: sg.Proposed,
			From:     l.T("admin.suggestion.from", "source", l.T("source."+sg.Source), "when", view.Moment(l, sg.CreatedAt)),
			Evidence: sg.Evidence, Stale: sg.Stale(lst), IsOwner: sg.Field == suggestion.FieldOwner,
			AcceptURL: paths.AcceptSuggestion(sg.ID), RejectURL: paths.RejectSuggestion(sg.ID)})
	}
	return rows, nil
}

// acceptSuggestion writes a suggested value (as the editor may have
// edited it) to its listing.
func (a *admin) acceptSuggestion(c *fiber.Ctx) error {
	v := postValues(c)
	var value *string
	if edited, ok := v["value"]; ok {
		value = &edited[0]
	}
	if err := a.suggestions.Accept(c.UserContext(), c.Params("id"), currentUser(c).Email, value); err != nil {
		return err
	}
	return c.Redirect(paths.AdminQueue+"?melding=suggestion_accepted#forslag", fiber.StatusSeeOther)
}

// rejectSuggestion closes a suggestion with the editor's reason.
func (a *admin) rejectSuggestion(c *fiber.Ctx) error {
	if err := a.suggestions.Reject(c.UserContext(), c.Params("id"), currentUser(c).Email, postValues(c).Get("reason")); err != nil {
		return err
	}
	return c.Redirect(paths.AdminQueue+"?melding=suggestion_rejected#forslag", fiber.StatusSeeOther)
}

// markSeen marks a recent edit as seen by the editor; other editors still
// see it as new.
func (a *admin) markSeen(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("entry"), 10, 64)
	if err != nil {
		return apperr.NotFound("err.no_such_change")
	}
	if err := a.moderation.MarkSeen(c.UserContext(), *currentUser(c), id); err != nil {
		return err
	}
	return c.Redirect(paths.AdminQueue+"#endringer", fiber.StatusSeeOther)
}
