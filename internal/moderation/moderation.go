// Package moderation is what the municipality does to listings and
// claims: verify, reject, hide, unhide, revert an edit, mark repair-voucher
// participation, decide claims, close error reports. Every action is a
// write through the listing service, so it is audit-logged with the
// admin's name and reaches the search index at once.
package moderation

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/audit"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/label"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/mail"
	"github.com/bergenreparerer/reparerer/internal/owner"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/printout"
	"github.com/bergenreparerer/reparerer/internal/reminder"
	"github.com/bergenreparerer/reparerer/internal/report"
)

// HideReasons are the reasons a listing may be hidden for, in the order
// the form offers them.
var HideReasons = []string{"temporarily_closed", "permanently_closed", "not_eligible", "removal_requested", "unreachable"}

// Rejected is the hide reason of a registration the municipality refused.
const Rejected = "rejected"

// MaxReason bounds a free-text reason, in characters.
const MaxReason = 1000

// Service carries out the municipality's actions.
type Service struct {
	Listings *listing.Service
	Audit    audit.Store
	Claims   *owner.Service
	Reports  report.Store
	// Scans and Reminders fill a listing's dossier.
	Scans     printout.Scans
	Reminders *reminder.Service
	Mailer    mail.Sender
	// Seen keeps which recent edits each editor has marked as seen.
	Seen SeenStore
	// Labels are the quality labels marks may name.
	Labels   label.Store
	Messages *i18n.Catalogue
	Now      func() time.Time
	Log      *slog.Logger
	BaseURL  string
}

func actor(admin auth.User) string { return "admin:" + admin.Email }

// load returns the listing if it is still at the version the admin saw,
// so nobody verifies or hides content they have not looked at.
func (s *Service) load(ctx context.Context, id string, version int) (*listing.Listing, error) {
	l, err := s.Listings.Store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if l.Version != version {
		return nil, apperr.Conflict("err.moderation.stale_version")
	}
	return l, nil
}

func (s *Service) write(ctx context.Context, l *listing.Listing, admin auth.User, action listing.Action, note string) error {
	if err := s.Listings.Update(ctx, l, listing.Change{Actor: actor(admin), Action: action, Note: note}); err != nil {
		return err
	}
	s.Log.Info("moderation: listing written", "action", action, "listing_id", l.ID, "admin", admin.Email, "note", note)
	return nil
}

// Verify says the municipality has checked the listing: it is published
// (a waiting registration goes live) and shows the date publicly.
func (s *Service) Verify(ctx context.Context, admin auth.User, id string, version int, nameConsent bool) (*listing.Listing, error) {
	l, err := s.load(ctx, id, version)
	if err != nil {
		return nil, err
	}
	if l.Status == listing.StatusHidden {
		return nil, apperr.Conflict("err.moderation.verify_hidden")
	}
	if l.NeedsNameConsent() && !nameConsent {
		// A sole proprietorship's name from the register may be a person's:
		// published when its owner has claimed it, or the editor confirms
		// the owner agreed.
		owners, err := s.Claims.OwnerEmails(ctx, l.ID)
		if err != nil {
			return nil, err
		}
		if len(owners) == 0 {
			return nil, apperr.Invalid("name_consent", "err.moderation.name_consent")
		}
	}
	l.Status = listing.StatusPublished
	l.RecordVerification(admin.Email, s.Now().UTC())
	return l, s.write(ctx, l, admin, listing.ActionVerify, "")
}

// Reject refuses a waiting registration with a reason, which is e-mailed
// to its owners. The listing is kept, hidden, with its history.
func (s *Service) Reject(ctx context.Context, admin auth.User, id string, version int, reason string) (*listing.Listing, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return nil, err
	}
	l, err := s.load(ctx, id, version)
	if err != nil {
		return nil, err
	}
	if l.Status != listing.StatusPending {
		return nil, apperr.Conflict("err.moderation.reject_not_waiting")
	}
	l.Status, l.HideReason = listing.StatusHidden, Rejected
	if err := s.write(ctx, l, admin, listing.ActionReject, reason); err != nil {
		return nil, err
	}
	return l, s.tellOwners(ctx, l, "mail.rejected", "reason", reason)
}

// tellOwners e-mails every owner of l (in both languages) what the
// municipality did; a listing nobody owns tells nobody.
func (s *Service) tellOwners(ctx context.Context, l *listing.Listing, key string, args ...any) error {
	owners, err := s.Claims.OwnerEmails(ctx, l.ID)
	if err != nil {
		return err
	}
	subject, text := s.Messages.Bilingual(key+".subject", key+".text", append([]any{"name", l.Name}, args...)...)
	for _, to := range owners {
		if err := s.Mailer.Send(ctx, mail.Message{To: to, Subject: subject, Text: text}); err != nil {
			return err
		}
	}
	return nil
}

// Hide takes a listing out of the map and search for one of HideReasons.
func (s *Service) Hide(ctx context.Context, admin auth.User, id string, version int, reason, note string) (*listing.Listing, error) {
	if !slices.Contains(HideReasons, reason) {
		return nil, apperr.Invalid("reason", "err.moderation.reason_unknown")
	}
	note, err := checkOptionalReason(note)
	if err != nil {
		return nil, err
	}
	l, err := s.load(ctx, id, version)
	if err != nil {
		return nil, err
	}
	l.Status, l.HideReason = listing.StatusHidden, reason
	// The reason is in the change itself (hide_reason); the note is the
	// editor's words.
	if err := s.write(ctx, l, admin, listing.ActionHide, note); err != nil {
		return nil, err
	}
	// One e-mail in both languages: the reason named in both.
	why := s.Messages.For(i18n.NB).T("admin.hide."+reason) + " / " + s.Messages.For(i18n.EN).T("admin.hide."+reason)
	return l, s.tellOwners(ctx, l, "mail.hidden", "reason", why, "note", noteOrNone(note))
}

// noteOrNone is an editor's note for an e-mail, or a dash.
func noteOrNone(note string) string {
	if strings.TrimSpace(note) == "" {
		return "–"
	}
	return note
}

// Unhide publishes a hidden listing again.
func (s *Service) Unhide(ctx context.Context, admin auth.User, id string, version int) (*listing.Listing, error) {
	l, err := s.load(ctx, id, version)
	if err != nil {
		return nil, err
	}
	if l.Status != listing.StatusHidden {
		return nil, apperr.Conflict("err.moderation.not_hidden")
	}
	l.Status, l.HideReason = listing.StatusPublished, ""
	return l, s.write(ctx, l, admin, listing.ActionUnhide, "")
}

// Reverted is what a revert did.
type Reverted struct {
	Listing *listing.Listing
	// Restored are the fields set back; Left are those changed again
	// since (or not revertible) and kept as they are.
	Restored, Left []string
}

// Revert sets the fields one audit entry changed back to their values
// before it, where nobody has changed them since.
func (s *Service) Revert(ctx context.Context, admin auth.User, entryID int64, reason string) (Reverted, error) {
	reason, err := checkOptionalReason(reason)
	if err != nil {
		return Reverted{}, err
	}
	e, err := s.Audit.Entry(ctx, entryID)
	if err != nil {
		return Reverted{}, err
	}
	l, err := s.Listings.Store.Get(ctx, e.ListingID)
	if err != nil {
		return Reverted{}, err
	}
	restored, left, err := listing.Restore(l, e.Changes)
	if err != nil {
		return Reverted{}, err
	}
	if len(restored) == 0 {
		return Reverted{Listing: l, Left: left}, apperr.Conflict("err.moderation.nothing_to_revert")
	}
	note := strings.TrimSpace("revert #" + strconv.FormatInt(entryID, 10) + " " + reason)
	if err := s.write(ctx, l, admin, listing.ActionRevert, note); err != nil {
		return Reverted{}, err
	}
	r := Reverted{Listing: l, Restored: restored, Left: left}
	if !strings.HasPrefix(e.Actor, "owner:") {
		return r, nil // only an owner's own change is theirs to hear about
	}
	labels := make([]string, len(restored))
	for i, f := range restored {
		key := "form.field." + strings.ReplaceAll(f, ".", "_")
		labels[i] = s.Messages.For(i18n.NB).T(key) + " / " + s.Messages.For(i18n.EN).T(key)
	}
	return r, s.tellOwners(ctx, l, "mail.reverted", "fields", strings.Join(labels, ", "), "reason", noteOrNone(reason))
}

// RemoveOwner takes the listing away from one of its owners, who is told
// by e-mail; their open sessions lose access at once.
func (s *Service) RemoveOwner(ctx context.Context, admin auth.User, listingID, email, reason string) error {
	reason, err := checkOptionalReason(reason)
	if err != nil {
		return err
	}
	l, err := s.Listings.Store.Get(ctx, listingID)
	if err != nil {
		return err
	}
	ch := listing.Change{Actor: actor(admin), Action: listing.ActionOwnerRemoved, Note: strings.TrimSpace(email + " " + reason)}
	if err := s.Claims.Remove(ctx, listingID, email, ch); err != nil {
		return err
	}
	subject, text := s.Messages.Bilingual("mail.owner_removed.subject", "mail.owner_removed.text", "name", l.Name, "reason", noteOrNone(reason))
	return s.Mailer.Send(ctx, mail.Message{To: email, Subject: subject, Text: text})
}

// SetVoucher marks whether the listing takes part in the city's repair
// voucher scheme (reparasjonsbonus).
func (s *Service) SetVoucher(ctx context.Context, admin auth.User, id string, version int, on bool) (*listing.Listing, error) {
	l, err := s.load(ctx, id, version)
	if err != nil {
		return nil, err
	}
	if l.AcceptsRepairVoucher == on {
		return l, nil
	}
	l.AcceptsRepairVoucher = on
	return l, s.write(ctx, l, admin, listing.ActionVoucher, "")
}

// SetMarks sets the listing's quality marks — the repair gift card and the
// labels, each valid through an optional date — as an editor decided. A
// label the municipality does not keep is refused.
func (s *Service) SetMarks(ctx context.Context, admin auth.User, id string, version int, giftCard bool, marks []listing.Mark) (*listing.Listing, error) {
	l, err := s.load(ctx, id, version)
	if err != nil {
		return nil, err
	}
	known, err := s.Labels.Labels(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range marks {
		if !slices.ContainsFunc(known, func(k label.Label) bool { return k.Slug == m.Label }) {
			return nil, apperr.Invalid("marks", "err.listing.mark_invalid", "label", m.Label)
		}
	}
	l.AcceptsGiftCard, l.Marks = giftCard, marks
	return l, s.write(ctx, l, admin, listing.ActionMarks, "")
}

// DecideClaim approves or rejects a claim and tells the claimant; a
// rejection needs a reason, which the e-mail gives.
func (s *Service) DecideClaim(ctx context.Context, admin auth.User, claimID string, approve bool, reason string) (owner.Claim, error) {
	var err error
	if !approve {
		if reason, err = checkReason(reason); err != nil {
			return owner.Claim{}, err
		}
	}
	c, err := s.Claims.Decide(ctx, claimID, approve, actor(admin))
	if err != nil {
		return c, err
	}
	action := listing.ActionClaimRejected
	if approve {
		action = listing.ActionClaimApproved
	}
	if err := s.Audit.Record(ctx, c.ListingID, listing.Change{Actor: actor(admin), Action: action,
		Note: strings.TrimSpace(c.Email + " " + reason)}); err != nil {
		return c, err
	}
	l, err := s.Listings.Store.Get(ctx, c.ListingID)
	if err != nil {
		return c, err
	}
	key := "mail.claim_rejected"
	if approve {
		key = "mail.claim_approved"
	}
	subject, text := s.Messages.Bilingual(key+".subject", key+".text", "name", l.Name, "reason", reason,
		"link", paths.Absolute(s.BaseURL, paths.Account))
	return c, s.Mailer.Send(ctx, mail.Message{To: c.Email, Subject: subject, Text: text})
}

// CloseReport marks an error report handled.
func (s *Service) CloseReport(ctx context.Context, admin auth.User, id string) error {
	r, err := s.Reports.CloseReport(ctx, id, actor(admin), s.Now().UTC())
	if err != nil {
		return err
	}
	return s.Audit.Record(ctx, r.ListingID, listing.Change{Actor: actor(admin), Action: listing.ActionReportClosed,
		Note: r.Reason + ": " + r.Message})
}

func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", apperr.Invalid("reason", "err.moderation.reason_missing")
	}
	return checkOptionalReason(reason)
}

func checkOptionalReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if !utf8.ValidString(reason) || utf8.RuneCountInString(reason) > MaxReason {
		return "", apperr.Invalid("reason", "err.moderation.reason_too_long", "max", MaxReason)
	}
	return reason, nil
}

// Named pairs a thing waiting for the municipality with its listing's name.
type Named[T any] struct {
	Item        T
	ListingName string
}

// Queue is what waits for the municipality.
type Queue struct {
	// Pending are registrations waiting for verification, newest first.
	Pending []*listing.Listing
	Claims  []owner.Named
	// Edits are the owners' recent edits and registrations, newest first.
	Edits   []Named[audit.Entry]
	Reports []Named[report.Report]
	// Reverify are published listings an identifying fact of which
	// changed after the municipality's last check, most recent first.
	Reverify []*listing.Listing
}

// reverify lists the published listings whose verification no longer
// covers an identifying fact.
func (s *Service) reverify(ctx context.Context) ([]*listing.Listing, error) {
	published, err := s.Listings.Store.Published(ctx)
	if err != nil {
		return nil, err
	}
	type changed struct {
		l  *listing.Listing
		at time.Time
	}
	var found []changed
	for _, l := range published {
		if at, _, ok := l.ChangedSinceVerification(); ok {
			found = append(found, changed{l, at})
		}
	}
	slices.SortFunc(found, func(a, b changed) int { return b.at.Compare(a.at) })
	out := make([]*listing.Listing, len(found))
	for i, f := range found {
		out[i] = f.l
	}
	return out, nil
}

// SeenStore keeps the editors' "seen" marks on audit entries.
type SeenStore interface {
	MarkSeen(ctx context.Context, userID string, entryID int64) error
	Seen(ctx context.Context, userID string, entryIDs []int64) (map[int64]bool, error)
}

// MarkSeen marks a recent edit as seen by the editor.
func (s *Service) MarkSeen(ctx context.Context, admin auth.User, entryID int64) error {
	if _, err := s.Audit.Entry(ctx, entryID); err != nil {
		return err
	}
	return s.Seen.MarkSeen(ctx, admin.ID, entryID)
}

// SeenBy returns which of the entries the editor has marked as seen.
func (s *Service) SeenBy(ctx context.Context, admin auth.User, entryIDs []int64) (map[int64]bool, error) {
	return s.Seen.Seen(ctx, admin.ID, entryIDs)
}

// RecentEdits is how many owner edits the queue shows.
const RecentEdits = 30

// Queue returns the review queue; the listings' names are read in one
// query.
func (s *Service) Queue(ctx context.Context) (Queue, error) {
	var q Queue
	var err error
	if q.Pending, err = s.Listings.Store.WithStatus(ctx, listing.StatusPending); err != nil {
		return q, err
	}
	if q.Claims, err = s.Claims.Pending(ctx); err != nil {
		return q, err
	}
	if q.Reverify, err = s.reverify(ctx); err != nil {
		return q, err
	}
	edits, err := s.Audit.Recent(ctx, RecentEdits, listing.ActionOwnerEdit, listing.ActionOwnerRegister)
	if err != nil {
		return q, err
	}
	reports, err := s.Reports.OpenReports(ctx)
	if err != nil {
		return q, err
	}
	ids := make([]string, 0, len(edits)+len(reports))
	for _, e := range edits {
		ids = append(ids, e.ListingID)
	}
	for _, r := range reports {
		ids = append(ids, r.ListingID)
	}
	names, err := s.Listings.Store.Names(ctx, ids)
	if err != nil {
		return q, err
	}
	for _, e := range edits {
		q.Edits = append(q.Edits, Named[audit.Entry]{e, names[e.ListingID]})
	}
	for _, r := range reports {
		q.Reports = append(q.Reports, Named[report.Report]{r, names[r.ListingID]})
	}
	return q, nil
}

// Dossier is everything the municipality knows of one listing.
type Dossier struct {
	Listing *listing.Listing
	Owners  []string // their e-mail addresses
	// History is the listing's audit log, oldest first.
	History []audit.Entry
	// Scans counts visits from the listing's sticker.
	Scans int
	// UnansweredSince is when the unanswered "still correct?" e-mail went
	// out, nil when there is none.
	UnansweredSince *time.Time
}

// Dossier returns the listing of id with its owners, history, sticker
// visits and reminder state.
func (s *Service) Dossier(ctx context.Context, id string) (Dossier, error) {
	var d Dossier
	var err error
	if d.Listing, err = s.Listings.Store.Get(ctx, id); err != nil {
		return d, err
	}
	if d.Owners, err = s.Claims.OwnerEmails(ctx, id); err != nil {
		return d, err
	}
	if d.History, err = s.Audit.History(ctx, id); err != nil {
		return d, err
	}
	if d.Scans, err = s.Scans.Scans(ctx, id); err != nil {
		return d, err
	}
	d.UnansweredSince, err = s.Reminders.UnansweredSince(ctx, d.Listing)
	return d, err
}
