// Package reminder is the "Stemmer alt fortsatt?" loop: every interval
// each owner of a published listing gets an e-mail with a link that
// confirms the listing without signing in. The link carries a signed,
// single-use token; the job that sends the e-mails keeps its state in the
// store, so it never sends two for one period and survives restarts.
package reminder

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/mail"
	"github.com/bergenreparerer/reparerer/internal/owner"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/signed"
)

// Reminder is one "still correct?" e-mail for one listing and period.
type Reminder struct {
	ID        string
	ListingID string
	// Period is the date the reminder fell due; a listing has at most one
	// reminder per period.
	Period    string
	CreatedAt time.Time
	SentAt    *time.Time
	UsedAt    *time.Time
}

// Owned is a listing with owners and the time its current period started.
type Owned struct {
	ListingID string
	// Since is the owner's last confirmation or, if none, when the
	// listing got its first owner.
	Since time.Time
}

// Store keeps the reminders.
type Store interface {
	// OwnedPublished lists the published listings that have owners.
	OwnedPublished(ctx context.Context) ([]Owned, error)
	// CreateReminder stores r unless its listing already has one for the
	// period; it reports whether it stored it.
	CreateReminder(ctx context.Context, r Reminder) (bool, error)
	UnsentReminders(ctx context.Context) ([]Reminder, error)
	MarkReminderSent(ctx context.Context, id string, at time.Time) error
	Reminder(ctx context.Context, id string) (Reminder, error)
	MarkReminderUsed(ctx context.Context, id string, at time.Time) error
	// LastSent returns the newest sent reminder of each listing (or of
	// the one listing given), by listing id.
	LastSent(ctx context.Context, listingID ...string) (map[string]Reminder, error)
	// Secret returns the named key, making a random one the first time.
	Secret(ctx context.Context, name string) ([]byte, error)
}

// Service sends reminders and takes confirmations.
type Service struct {
	Store    Store
	Listings *listing.Service
	Owners   owner.Store
	Mailer   mail.Sender
	Messages *i18n.Catalogue
	Now      func() time.Time
	Log      *slog.Logger
	BaseURL  string
	// Interval is how often an owner is asked (default 90 days).
	Interval time.Duration
}

const secretName = "reminder-links"

// AnswerWindow is how long an owner has to answer a reminder before the
// listing is shown publicly as not confirmed.
const AnswerWindow = 30 * 24 * time.Hour

var errNoAddress = errors.New("reminder: the listing has no owner and no e-mail address")

// Asked is what a bulk "still correct?" request did.
type Asked struct {
	Sent int
	// Already counts listings asked earlier the same day.
	Already int
	// NoAddress lists the listings nobody can be asked about: no owner
	// and no public e-mail address.
	NoAddress []string
}

// Ask sends "still correct?" now to the owners of the listings (or, for
// a listing nobody has claimed, to its public address), outside the
// regular rhythm. A listing is asked at most once a day.
func (s *Service) Ask(ctx context.Context, listingIDs []string) (Asked, error) {
	var out Asked
	for _, id := range listingIDs {
		// The form offers published listings only; anything else is a
		// stale or forged form, refused before anything is sent.
		l, err := s.Listings.Store.Get(ctx, id)
		if apperr.Is(err, apperr.CodeNotFound) || (err == nil && !l.Published()) {
			return out, apperr.Invalid("id", "err.reminder.not_published")
		} else if err != nil {
			return out, err
		}
	}
	now := s.Now().UTC()
	for _, id := range listingIDs {
		r := Reminder{ID: uuid.NewString(), ListingID: id, Period: "asked:" + now.Format(time.DateOnly), CreatedAt: now}
		created, err := s.Store.CreateReminder(ctx, r)
		if err != nil {
			return out, err
		}
		if !created {
			out.Already++
			continue
		}
		err = s.send(ctx, r)
		if errors.Is(err, errNoAddress) {
			out.NoAddress = append(out.NoAddress, id)
			if err := s.Store.MarkReminderUsed(ctx, r.ID, now); err != nil { // nothing to answer
				return out, err
			}
			continue
		} else if err != nil {
			return out, err // left unsent: the regular loop tries again
		}
		if err := s.Store.MarkReminderSent(ctx, r.ID, s.Now().UTC()); err != nil {
			return out, err
		}
		out.Sent++
	}
	return out, nil
}

// Unconfirmed reports whether the listing is to be shown as not confirmed
// by the business: its last reminder went out more than AnswerWindow ago
// and neither that link nor any later confirmation answered it.
func Unconfirmed(l *listing.Listing, last *Reminder, now time.Time) bool {
	if last == nil || last.SentAt == nil || last.UsedAt != nil || now.Sub(*last.SentAt) <= AnswerWindow {
		return false
	}
	return l.ConfirmedAt == nil || l.ConfirmedAt.Before(*last.SentAt)
}

// LastChecked is when someone last said the listing is right: the
// municipality's verification or the owner's confirmation, whichever is
// newer; nil if nobody ever has.
func LastChecked(l *listing.Listing) *time.Time {
	switch {
	case l.VerifiedAt == nil:
		return l.ConfirmedAt
	case l.ConfirmedAt == nil || l.VerifiedAt.After(*l.ConfirmedAt):
		return l.VerifiedAt
	default:
		return l.ConfirmedAt
	}
}

// SendDue creates the reminders that fell due and sends every one not yet
// sent. Running it twice, or after a crash, sends nothing twice for a
// period: the reminder row is made first, and only unsent rows are sent.
func (s *Service) SendDue(ctx context.Context) error {
	owned, err := s.Store.OwnedPublished(ctx)
	if err != nil {
		return err
	}
	now := s.Now().UTC()
	for _, o := range owned {
		periods := int(now.Sub(o.Since) / s.Interval)
		if periods < 1 {
			continue
		}
		due := o.Since.Add(time.Duration(periods) * s.Interval)
		r := Reminder{ID: uuid.NewString(), ListingID: o.ListingID, Period: due.Format(time.DateOnly), CreatedAt: now}
		if _, err := s.Store.CreateReminder(ctx, r); err != nil {
			return err
		}
	}
	unsent, err := s.Store.UnsentReminders(ctx)
	if err != nil {
		return err
	}
	for _, r := range unsent {
		if err := s.send(ctx, r); err != nil {
			s.Log.Warn("reminder: not sent; tried again on the next run", "reminder_id", r.ID, "listing_id", r.ListingID, "error", err)
			continue
		}
		if err := s.Store.MarkReminderSent(ctx, r.ID, s.Now().UTC()); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) send(ctx context.Context, r Reminder) error {
	l, err := s.Listings.Store.Get(ctx, r.ListingID)
	if err != nil {
		return err
	}
	owners, err := s.Owners.Owners(ctx, r.ListingID)
	if err != nil {
		return err
	}
	to, edit := make([]string, 0, len(owners)), paths.Absolute(s.BaseURL, paths.EditListing(l.ID))
	for _, o := range owners {
		to = append(to, o.Email)
	}
	if len(to) == 0 && l.Email != "" {
		// Nobody has claimed the listing: ask the business's public
		// address, and offer the claim instead of the edit form.
		to, edit = []string{l.Email}, paths.Absolute(s.BaseURL, paths.Claim(l.Slug))
	}
	if len(to) == 0 {
		return errNoAddress
	}
	key, err := s.key(ctx)
	if err != nil {
		return err
	}
	confirm := paths.Absolute(s.BaseURL, paths.ConfirmLink(signed.Token(key, tokenPurpose, r.ID)))
	subject, text := s.Messages.Bilingual("mail.reminder.subject", "mail.reminder.text", "name", l.Name, "confirm", confirm, "edit", edit)
	for _, address := range to {
		m := mail.Message{To: address, Subject: subject, Text: text}
		if err := s.Mailer.Send(ctx, m); err != nil {
			return err
		}
	}
	s.Log.Info("reminder: sent", "reminder_id", r.ID, "listing_id", l.ID, "recipients", len(to))
	return nil
}

// Check returns the listing a confirmation link is for, if the link is
// genuine, unused and not older than one interval; nothing is changed.
func (s *Service) Check(ctx context.Context, token string) (Reminder, *listing.Listing, error) {
	invalid := &apperr.Error{Code: apperr.CodeUnauthorized, Field: "token", Key: "err.reminder.link_invalid"}
	key, err := s.key(ctx)
	if err != nil {
		return Reminder{}, nil, err
	}
	id, ok := signed.Check(key, tokenPurpose, token)
	if !ok {
		return Reminder{}, nil, invalid
	}
	r, err := s.Store.Reminder(ctx, id)
	if apperr.Is(err, apperr.CodeNotFound) {
		return r, nil, invalid
	} else if err != nil {
		return r, nil, err
	}
	if r.UsedAt != nil || s.Now().Sub(r.CreatedAt) > s.Interval {
		return r, nil, invalid
	}
	l, err := s.Listings.Store.Get(ctx, r.ListingID)
	return r, l, err
}

// Confirm spends a link: the listing's confirmed_at becomes now.
func (s *Service) Confirm(ctx context.Context, token string) (*listing.Listing, error) {
	r, l, err := s.Check(ctx, token)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	for attempt := 0; ; attempt++ {
		l.ConfirmedAt = &now
		err = s.Listings.Update(ctx, l, listing.Change{Actor: "owner-link:" + r.ID, Action: listing.ActionOwnerConfirm})
		if !apperr.Is(err, apperr.CodeConflict) || attempt == 2 {
			break
		}
		// Someone edited the listing meanwhile; confirming does not touch
		// their change, so take the new version and confirm that.
		if l, err = s.Listings.Store.Get(ctx, r.ListingID); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, err
	}
	if err := s.Store.MarkReminderUsed(ctx, r.ID, now); err != nil {
		return nil, err
	}
	s.Log.Info("reminder: listing confirmed by its owner", "listing_id", l.ID, "reminder_id", r.ID)
	return l, nil
}

// tokenPurpose is what a reminder's link is signed for (signed.Token):
// nobody without the key can make a link for another reminder.
const tokenPurpose = "confirm"

// key is the links' signing key, kept in the store.
func (s *Service) key(ctx context.Context) ([]byte, error) {
	key, err := s.Store.Secret(ctx, secretName)
	if err != nil {
		return nil, fmt.Errorf("reminder: signing key: %w", err)
	}
	return key, nil
}

// The orders of the freshness list.
const (
	SortChecked  = "checked"
	SortName     = "name"
	SortDistrict = "district"
	SortAsked    = "asked"
)

// Sorts are the orders the freshness list offers, the default first.
var Sorts = []string{SortChecked, SortName, SortDistrict, SortAsked}

// Stale is a published listing nobody has verified or confirmed lately.
type Stale struct {
	Listing *listing.Listing
	// Checked is the last verification or confirmation, nil if never.
	Checked *time.Time
	// Asked is when "still correct?" was last sent, nil if never.
	Asked *time.Time
	// Unanswered: that e-mail went unanswered for AnswerWindow.
	Unanswered bool
	// Reachable: it has an owner or a public address to ask.
	Reachable bool
}

// Stale lists the published listings not checked for age, in the order
// sortBy (one of Sorts; districts by name), oldest check first by default.
func (s *Service) Stale(ctx context.Context, age time.Duration, sortBy string) ([]Stale, error) {
	if !slices.Contains(Sorts, sortBy) {
		return nil, apperr.Invalid("sort", "err.sort")
	}
	published, err := s.Listings.Store.Published(ctx)
	if err != nil {
		return nil, err
	}
	last, err := s.Store.LastSent(ctx)
	if err != nil {
		return nil, err
	}
	owned, err := s.Store.OwnedPublished(ctx)
	if err != nil {
		return nil, err
	}
	hasOwner := make(map[string]bool, len(owned))
	for _, o := range owned {
		hasOwner[o.ListingID] = true
	}
	now := s.Now()
	cutoff := now.Add(-age)
	var out []Stale
	for _, l := range published {
		checked := LastChecked(l)
		if checked != nil && checked.After(cutoff) {
			continue
		}
		st := Stale{Listing: l, Checked: checked, Reachable: l.Email != "" || hasOwner[l.ID]}
		if r, ok := last[l.ID]; ok {
			st.Asked, st.Unanswered = r.SentAt, Unconfirmed(l, &r, now)
		}
		out = append(out, st)
	}
	slices.SortStableFunc(out, func(a, b Stale) int {
		switch sortBy {
		case SortName:
			return strings.Compare(strings.ToLower(a.Listing.Name), strings.ToLower(b.Listing.Name))
		case SortDistrict:
			return strings.Compare(s.Listings.Districts.Name(a.Listing.District), s.Listings.Districts.Name(b.Listing.District))
		case SortAsked:
			return compareTimes(a.Asked, b.Asked)
		}
		return compareTimes(a.Checked, b.Checked)
	})
	return out, nil
}

// compareTimes orders never (nil) first.
func compareTimes(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}

// UnansweredSince is when the "still correct?" e-mail the listing's
// business has not answered was sent, or nil when there is none.
func (s *Service) UnansweredSince(ctx context.Context, l *listing.Listing) (*time.Time, error) {
	last, err := s.Store.LastSent(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	r, ok := last[l.ID]
	if !ok || !Unconfirmed(l, &r, s.Now()) {
		return nil, nil
	}
	return r.SentAt, nil
}
