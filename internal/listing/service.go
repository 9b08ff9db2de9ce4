package listing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/gosimple/slug"

	"github.com/bergenreparerer/reparerer/internal/district"
)

// Service writes listings: it normalises and validates them, derives the
// district, assigns id and slug, and stamps times before the store sees them.
type Service struct {
	Store     Store
	Districts *district.Map
	Now       func() time.Time
	// Notify, when set, hears of every successful write; the outbox
	// worker wakes on it.
	Notify Notifier
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

// Create validates and inserts a new listing; ch is recorded in the audit log.
func (s *Service) Create(ctx context.Context, l *Listing, ch Change) error {
	if err := Normalize(l, s.Districts); err != nil {
		return err
	}
	id, err := newID()
	if err != nil {
		return err
	}
	l.ID = id
	if l.Slug, err = s.uniqueSlug(ctx, l); err != nil {
		return err
	}
	now := s.Now().UTC()
	l.CreatedAt, l.UpdatedAt, l.Version = now, now, 1
	if err := s.Store.Create(ctx, l, ch); err != nil {
		return fmt.Errorf("listing: create %q: %w", l.Name, err)
	}
	s.written()
	return nil
}

// Update validates l and stores it if l.Version is still the stored one.
// The slug never changes, so published links keep working. ch is recorded
// in the audit log with the fields that changed.
func (s *Service) Update(ctx context.Context, l *Listing, ch Change) error {
	if err := Normalize(l, s.Districts); err != nil {
		return err
	}
	l.UpdatedAt = s.Now().UTC()
	if err := s.Store.Update(ctx, l, ch); err != nil {
		return fmt.Errorf("listing: update %s: %w", l.ID, err)
	}
	s.written()
	return nil
}

// uniqueSlug derives the slug from the name; a name already taken gets the
// district added ("xxl-asane"), then a number.
func (s *Service) uniqueSlug(ctx context.Context, l *Listing) (string, error) {
	base := slug.Make(l.Name) // å→a, ø→o like the district slugs
	if base == "" {
		base = "reparator"
	}
	candidates := []string{base, base + "-" + l.District}
	for i := 2; i < 100; i++ {
		candidates = append(candidates, base+"-"+l.District+"-"+strconv.Itoa(i))
	}
	for _, c := range candidates {
		taken, err := s.Store.SlugTaken(ctx, c)
		if err != nil {
			return "", fmt.Errorf("listing: check slug %q: %w", c, err)
		}
		if !taken {
			return c, nil
		}
	}
	return "", fmt.Errorf("listing: no free slug for %q", l.Name)
}

func newID() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("listing: new id: %w", err)
	}
	return hex.EncodeToString(b), nil
}
