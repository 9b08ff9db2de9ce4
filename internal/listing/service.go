package listing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gosimple/slug"

	"github.com/bergenreparerer/reparerer/internal/district"
)

// ErrSlugTaken is the store refusing a slug another listing took first.
var ErrSlugTaken = errors.New("listing: slug taken")

// maxSlugAttempts bounds how often a create picks its slug again.
const maxSlugAttempts = 20

// Service writes listings: it normalises and validates them, derives the
// district, assigns id and slug, and stamps times before the store sees them.
type Service struct {
	Store     Store
	Districts *district.Map
	Now       func() time.Time
	// Notify, when set, hears of every successful write; the outbox
	// worker wakes on it.
	Notify Notifier
	// Placer, when set, positions every address that is new or changed
	// (see place); nil keeps positions as written.
	Placer Placer
	// Timer, when set, hears how long each write took in the store.
	Timer Timer
}

// Timer hears the store's write latency (package metrics).
type Timer interface {
	StoreWrite(operation string, took time.Duration)
}

func (s *Service) timed(operation string, started time.Time) {
	if s.Timer != nil {
		s.Timer.StoreWrite(operation, time.Since(started))
	}
}

// Locator finds the exact position of a street address in Bergen (see
// package geocoder); ok is false when it has no single match, and an
// error is an outage.
type Locator interface {
	Locate(ctx context.Context, street, postcode string) (Location, bool, error)
}

// Placer finds where an address is: at the door (exact) or at its
// postcode's centre; ok is false for a postcode outside Bergen (see
// package position).
type Placer interface {
	Place(ctx context.Context, street, postcode string) (at Location, exact, ok bool)
}

// place positions l's address when it is new or changed and nobody set
// the position itself, and retries an approximate one: at the door when
// the address API finds it, else at the postcode's centre, marked
// approximate. A position set with the address (a dragged pin, typed
// coordinates, a source's own) is kept.
func (s *Service) place(ctx context.Context, before, l *Listing) {
	if s.Placer == nil {
		return
	}
	if !l.ApproximatePosition {
		if before == nil || l.Location != before.Location || sameAddress(before, l) {
			return
		}
	}
	if at, exact, ok := s.Placer.Place(ctx, l.Address.Street, l.Address.Postcode); ok {
		l.Location, l.ApproximatePosition = at, !exact
	}
}

func sameAddress(a, b *Listing) bool {
	return a.Address.Street == b.Address.Street && a.Address.Postcode == b.Address.Postcode
}

// Notifier hears that a listing was written (and its outbox row committed).
type Notifier interface {
	ListingWritten()
}

func (s *Service) written() {
	if s.Notify != nil {
		s.Notify.ListingWritten()
	}
}

// Editor is who writes a listing through a form: its owner or the
// municipality.
type Editor struct {
	UserID, Email string
	Admin         bool
}

// Actor is how the audit log names the editor.
func (e Editor) Actor() string {
	if e.Admin {
		return "admin:" + e.Email
	}
	return "owner:" + e.Email
}

// CheckOwned normalises l, the edit of current (nil for a new listing),
// and checks it against the rules for listings kept by their owners:
// Normalize, then an organisation number — unless the listing is only a
// repair café, or is one that never had a number (a claimed
// OpenStreetMap listing: its owner's edits are not held hostage to one;
// the claim asks for it and the editor sees it missing). It reports every
// problem at once.
func (s *Service) CheckOwned(l, current *Listing) error {
	err := Normalize(l, s.Districts)
	if current != nil && current.OrgNumber == "" {
		return err
	}
	if orgErr := RequireOrgNumber(l); orgErr != nil {
		if _, already := Problems(err)["org_number"]; !already {
			return errors.Join(err, orgErr)
		}
	}
	return err
}

// Register stores a business registered by by, who becomes its owner in
// the same transaction. It waits, invisible, for the municipality's
// verification; only the municipality may mark repair-voucher
// participation.
func (s *Service) Register(ctx context.Context, l *Listing, by Editor) error {
	l.Status, l.Source = StatusPending, Source{Kind: SourceOwner}
	l.AcceptsRepairVoucher = by.Admin && l.AcceptsRepairVoucher
	s.place(ctx, nil, l)
	if err := s.CheckOwned(l, nil); err != nil {
		return err
	}
	return s.create(ctx, l, Change{Actor: by.Actor(), Action: ActionOwnerRegister, OwnerID: by.UserID})
}

// Edit stores by's edit l of current, made from the form of version: a
// listing changed since is refused as a conflict. An owner cannot change
// repair-voucher participation (the municipality's to mark).
func (s *Service) Edit(ctx context.Context, current, l *Listing, version int, by Editor) error {
	action := ActionAdminEdit
	if !by.Admin {
		l.AcceptsRepairVoucher, action = current.AcceptsRepairVoucher, ActionOwnerEdit
	}
	s.place(ctx, current, l)
	if err := s.CheckOwned(l, current); err != nil {
		return err
	}
	l.Version = version
	return s.update(ctx, l, Change{Actor: by.Actor(), Action: action})
}

// AdoptOrgNumber gives the listing the organisation number when it has
// none (a claimed OpenStreetMap listing); one it has is kept.
func (s *Service) AdoptOrgNumber(ctx context.Context, id, orgnr string, ch Change) error {
	l, err := s.Store.Get(ctx, id)
	if err != nil || l.OrgNumber != "" {
		return err
	}
	l.OrgNumber = orgnr
	return s.Update(ctx, l, ch)
}

// Create validates and inserts a new listing; ch is recorded in the audit log.
func (s *Service) Create(ctx context.Context, l *Listing, ch Change) error {
	s.place(ctx, nil, l)
	if err := Normalize(l, s.Districts); err != nil {
		return err
	}
	return s.create(ctx, l, ch)
}

// create inserts a normalised listing.
func (s *Service) create(ctx context.Context, l *Listing, ch Change) error {
	id, err := newID()
	if err != nil {
		return err
	}
	l.ID = id
	now := s.Now().UTC()
	l.CreatedAt, l.UpdatedAt, l.Version = now, now, 1
	// Two writers may pick the same free slug at once; the store takes
	// one, and the other picks again.
	for attempt := 0; ; attempt++ {
		if l.Slug, err = s.uniqueSlug(ctx, l); err != nil {
			return err
		}
		started := time.Now()
		err = s.Store.Create(ctx, l, ch)
		s.timed("create", started)
		if !errors.Is(err, ErrSlugTaken) || attempt == maxSlugAttempts {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("listing: create %q: %w", l.Name, err)
	}
	s.written()
	return nil
}

// Update validates l and stores it if l.Version is still the stored one.
// The slug never changes, so published links keep working. ch is recorded
// in the audit log with the fields that changed.
func (s *Service) Update(ctx context.Context, l *Listing, ch Change) error {
	if s.Placer != nil {
		before, err := s.Store.Get(ctx, l.ID)
		if err != nil {
			return err
		}
		s.place(ctx, before, l)
	}
	if err := Normalize(l, s.Districts); err != nil {
		return err
	}
	return s.update(ctx, l, ch)
}

// update stores a normalised listing.
func (s *Service) update(ctx context.Context, l *Listing, ch Change) error {
	l.UpdatedAt = s.Now().UTC()
	started := time.Now()
	err := s.Store.Update(ctx, l, ch)
	s.timed("update", started)
	if err != nil {
		return fmt.Errorf("listing: update %s: %w", l.ID, err)
	}
	s.written()
	return nil
}

// uniqueSlug derives the slug from the name; a name already taken gets the
// district added ("xxl-asane"), then the next free number
// ("xxl-asane-2", …, without end).
func (s *Service) uniqueSlug(ctx context.Context, l *Listing) (string, error) {
	base := slug.Make(l.Name) // å→a, ø→o like the district slugs
	if base == "" {
		base = "reparator"
	}
	for _, c := range []string{base, base + "-" + l.District} {
		taken, err := s.Store.SlugTaken(ctx, c)
		if err != nil {
			return "", fmt.Errorf("listing: check slug %q: %w", c, err)
		}
		if !taken {
			return c, nil
		}
	}
	prefix := base + "-" + l.District
	n, err := s.Store.LastSlugNumber(ctx, prefix)
	if err != nil {
		return "", fmt.Errorf("listing: number slug %q: %w", prefix, err)
	}
	return prefix + "-" + strconv.Itoa(max(n, 1)+1), nil
}

func newID() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("listing: new id: %w", err)
	}
	return hex.EncodeToString(b), nil
}
