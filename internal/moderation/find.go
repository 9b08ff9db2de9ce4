package moderation

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Filter finds listings in the console; empty fields match all.
type Filter struct {
	Text     string // in the name, or the organisation number
	District string
	Category string
	Status   listing.Status
	Source   string // listing.Source.Kind
	// UncheckedFor: neither verified nor confirmed within this long (0: any).
	UncheckedFor time.Duration
	Approximate  bool // only listings at their postcode's centre
}

// MaxFound bounds one page of the finder.
const MaxFound = 200

// Find returns the listings that match f, by name, at most MaxFound, and
// how many matched in all.
func (s *Service) Find(ctx context.Context, f Filter) ([]*listing.Listing, int, error) {
	all, err := s.Listings.Store.All(ctx)
	if err != nil {
		return nil, 0, err
	}
	now := s.Now()
	text := strings.ToLower(strings.TrimSpace(f.Text))
	var out []*listing.Listing
	for _, l := range all {
		if f.matches(l, text, now) {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b *listing.Listing) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out[:min(len(out), MaxFound)], len(out), nil
}

func (f Filter) matches(l *listing.Listing, text string, now time.Time) bool {
	switch {
	case text != "" && !strings.Contains(strings.ToLower(l.Name), text) && !strings.Contains(l.OrgNumber, strings.ReplaceAll(text, " ", "")):
		return false
	case f.District != "" && l.District != f.District,
		f.Category != "" && !slices.Contains(l.Categories, f.Category),
		f.Status != "" && l.Status != f.Status,
		f.Source != "" && l.Source.Kind != f.Source,
		f.Approximate && !l.ApproximatePosition:
		return false
	case f.UncheckedFor > 0:
		last := l.VerifiedAt
		if l.ConfirmedAt != nil && (last == nil || l.ConfirmedAt.After(*last)) {
			last = l.ConfirmedAt
		}
		return last == nil || now.Sub(*last) > f.UncheckedFor
	}
	return true
}
