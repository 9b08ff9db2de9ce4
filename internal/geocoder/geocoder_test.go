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
	s.Down = true
	if _, _, err := g.Locate(ctx, "Marken 37", "5017"); !errors.Is(err, extapi.ErrUnavailable) {
		t.Errorf("down: %v", err)
	}
	s.Down, s.Garbage = false, true
	if _, _, err := g.Locate(ctx, "Marken 37", "5017"); !errors.Is(err, extapi.ErrUnavailable) {
		t.Errorf("garbage: %v", err)
	}
	s.Garbage, s.Slow = false, 200*time.Millisecond
	g.HTTP.Timeout, g.Retries = 30*time.Millisecond, 0
	if _, _, err := g.Locate(ctx, "Marken 37", "5017"); !errors.Is(err, extapi.ErrUnavailable) {
		t.Errorf("slow: %v", err)
	}
}
