package geocoder_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/extapi"
	"github.com/bergenreparerer/reparerer/internal/geocoder"
	"github.com/bergenreparerer/reparerer/internal/geocoder/geocodertest"
)

func TestLocate(t *testing.T) {
	s := geocodertest.Start(t,
		geocodertest.Address{Text: "Marken 37", Postcode: "5017", City: "Bergen", Municipality: "4601", Lat: 60.39245, Lon: 5.33012},
		geocodertest.Address{Text: "Storgata 1", Postcode: "5003", City: "Bergen", Municipality: "4601", Lat: 60.39, Lon: 5.32},
		geocodertest.Address{Text: "Storgata 1", Postcode: "5003", City: "Bergen", Municipality: "4601", Lat: 60.40, Lon: 5.35}, // the same text elsewhere
	)
	g := geocoder.New(s.URL, slog.New(slog.DiscardHandler))
	g.Backoff = time.Millisecond
	ctx := context.Background()
	if p, ok, err := g.Locate(ctx, "marken 37", "5017"); err != nil || !ok || p.Lat != 60.39245 || p.Lng != 5.33012 {
		t.Errorf("Marken 37: %+v %v %v", p, ok, err)
	}
	for name, c := range map[string][2]string{"ambiguous": {"Storgata 1", "5003"}, "unknown": {"Ukjentveien 9", "5003"},
		"another postcode": {"Marken 37", "5003"}, "no street": {"", "5017"}} {
		if _, ok, err := g.Locate(ctx, c[0], c[1]); ok || err != nil {
			t.Errorf("%s: ok %v err %v, want no match", name, ok, err)
		}
	}
	// An answer is kept a while: asking again asks the API nothing.
	asked := s.Asked("marken 37") + s.Asked("Marken 37") // at 5017 and at 5003
	if _, ok, err := g.Locate(ctx, "Marken 37", "5017"); !ok || err != nil || s.Asked("marken 37")+s.Asked("Marken 37") != asked {
		t.Errorf("Marken 37 again: ok %v err %v, the API asked again", ok, err)
	}
	// Outages, each for an address not asked before (a kept answer would
	// hide them), and never kept.
	s.Down = true
	if _, _, err := g.Locate(ctx, "Marken 38", "5017"); !errors.Is(err, extapi.ErrUnavailable) {
		t.Errorf("down: %v", err)
	}
	s.Down, s.Garbage = false, true
	if _, _, err := g.Locate(ctx, "Marken 38", "5017"); !errors.Is(err, extapi.ErrUnavailable) {
		t.Errorf("garbage: %v (an outage was kept as an answer?)", err)
	}
	s.Garbage, s.Slow = false, 200*time.Millisecond
	g.HTTP.Timeout, g.Retries = 30*time.Millisecond, 0
	if _, _, err := g.Locate(ctx, "Marken 38", "5017"); !errors.Is(err, extapi.ErrUnavailable) {
		t.Errorf("slow: %v", err)
	}
}

// Address completion: the beginning of an address, in Bergen only, a few
// at most; the API's wildcard never comes from the person typing.
func TestSuggest(t *testing.T) {
	s := geocodertest.Start(t,
		geocodertest.Address{Text: "Marken 37", Postcode: "5017", City: "BERGEN", Municipality: "4601", Lat: 60.39245, Lon: 5.33012},
		geocodertest.Address{Text: "Marken 38", Postcode: "5017", City: "BERGEN", Municipality: "4601", Lat: 60.3925, Lon: 5.3302},
		geocodertest.Address{Text: "Markeveien 1", Postcode: "5012", City: "BERGEN", Municipality: "4601", Lat: 60.3935, Lon: 5.3231},
		geocodertest.Address{Text: "Marken 1", Postcode: "6900", City: "FLORØ", Municipality: "4602", Lat: 61.6, Lon: 5.03},
	)
	g := geocoder.New(s.URL, slog.New(slog.DiscardHandler))
	g.Backoff = time.Millisecond
	ctx := context.Background()
	got, err := g.Suggest(ctx, "mark*en 3")
	if err != nil || len(got) != 2 || got[0].Street != "Marken 37" || got[0].City != "Bergen" || got[0].Postcode != "5017" || got[0].Location.Lat != 60.39245 {
		t.Errorf("Marken 3: %+v %v", got, err)
	}
	if got, err := g.Suggest(ctx, "Mar"); err != nil || len(got) != 3 {
		t.Errorf("Mar: %d in Bergen, want 3 (not Florø's): %+v %v", len(got), got, err)
	}
	if got, _ := g.Suggest(ctx, "Ma"); got != nil {
		t.Errorf("two letters asked the API: %+v", got)
	}
	if last := s.Queries[len(s.Queries)-1]; last != "Mar*" {
		t.Errorf("sent %q", last)
	}
	s.Garbage = true
	if _, err := g.Suggest(ctx, "Marken"); !errors.Is(err, extapi.ErrUnavailable) {
		t.Errorf("garbage: %v", err)
	}
}
