package moderation

import (
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
)

func TestFilterMatches(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	old, recent := now.AddDate(-2, 0, 0), now.AddDate(0, -1, 0)
	shop := &listing.Listing{Name: "Skomakeren i Marken", OrgNumber: "974760673", District: "bergenhus", Categories: []string{"sko"},
		Status: listing.StatusPublished, Source: listing.Source{Kind: listing.SourceOSM}, VerifiedAt: &old, ConfirmedAt: &recent}
	for _, tt := range []struct {
		f    Filter
		text string
		want bool
	}{
		{Filter{}, "", true},
		{Filter{}, "marken", true},
		{Filter{}, "974 760", true},
		{Filter{}, "oasen", false},
		{Filter{District: "fana"}, "", false},
		{Filter{Category: "sko", Status: listing.StatusPublished, Source: listing.SourceOSM}, "", true},
		{Filter{Source: listing.SourceRegister}, "", false},
		{Filter{Approximate: true}, "", false},
		{Filter{UncheckedFor: 365 * 24 * time.Hour}, "", false}, // confirmed a month ago
		{Filter{UncheckedFor: 7 * 24 * time.Hour}, "", true},
	} {
		if got := tt.f.matches(shop, tt.text, now); got != tt.want {
			t.Errorf("%+v %q: %v, want %v", tt.f, tt.text, got, tt.want)
		}
	}
}
