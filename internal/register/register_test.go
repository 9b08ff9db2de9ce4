package register_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/register"
	"github.com/bergenreparerer/reparerer/internal/register/registertest"
)

func client(s *registertest.Server) *register.Client {
	c := register.New(s.URL, slog.New(slog.DiscardHandler))
	c.Backoff = time.Millisecond
	return c
}

func TestUnitLookups(t *testing.T) {
	s := registertest.Start(t,
		registertest.Unit{OrgNumber: "912345678", Name: "SKOMAKER JENSEN", OrgForm: "BEDR", Street: "Marken 1", Postcode: "5017", City: "Bergen",
			Municipality: "4601", Parent: "998877665", Codes: []string{"95.23"}},
		registertest.Unit{OrgNumber: "998877665", Name: "SKOMAKER JENSEN AS", OrgForm: "AS", Entity: true, Bankrupt: true, Municipality: "4601"},
		registertest.Unit{OrgNumber: "923456789", Name: "KARI NORDMANN SØM", OrgForm: "ENK", Entity: true, Street: "Nygårdsgaten 1",
			Postcode: "5015", City: "Bergen", Municipality: "4601", Codes: []string{"95.29"}},
		registertest.Unit{OrgNumber: "934567890", Name: "NEDLAGT SYKKEL", Deleted: true},
	)
	c := client(s)
	ctx := context.Background()
	u, err := c.Unit(ctx, "912345678")
	if err != nil || u.Name != "SKOMAKER JENSEN" || u.Address.Street != "Marken 1" || u.Address.Municipality != "4601" ||
		len(u.Codes) != 1 || u.Codes[0] != "95.23" || !u.Bankrupt {
		t.Errorf("unit %+v %v, want the unit with its entity's bankruptcy", u, err)
	}
	if u, err := c.Unit(ctx, "923456789"); err != nil || u.OrgForm != "ENK" || u.Address.Postcode != "5015" {
		t.Errorf("an entity without units: %+v %v", u, err)
	}
	if u, err := c.Unit(ctx, "934567890"); err != nil || !u.Removed {
		t.Errorf("a deleted unit (410): %+v %v", u, err)
	}
	if _, err := c.Unit(ctx, "945678901"); !errors.Is(err, register.ErrNotFound) {
		t.Errorf("an unknown number: %v", err)
	}
	if _, err := c.Unit(ctx, "12345"); !errors.Is(err, register.ErrNotFound) {
		t.Errorf("not a number: %v", err)
	}
}

func TestOutagesSlownessAndGarbage(t *testing.T) {
	s := registertest.Start(t, registertest.Unit{OrgNumber: "912345678", Name: "X", Municipality: "4601", Codes: []string{"95.23"}})
	c := client(s)
	ctx := context.Background()
	s.Down = true
	before := s.Requests
	if _, err := c.Unit(ctx, "912345678"); !errors.Is(err, register.ErrUnavailable) {
		t.Errorf("down: %v", err)
	}
	if tries := s.Requests - before; tries != 3 {
		t.Errorf("%d requests, want 3 (two retries)", tries)
	}
	if calls, failures := c.Stats(); calls != 3 || failures != 1 {
		t.Errorf("stats %d calls %d failures", calls, failures)
	}
	s.Down, s.Garbage = false, true
	if _, err := c.Unit(ctx, "912345678"); !errors.Is(err, register.ErrUnavailable) {
		t.Errorf("garbage: %v", err)
	}
	s.Garbage, s.Slow = false, 300*time.Millisecond
	c.HTTP.Timeout, c.Retries = 50*time.Millisecond, 0
	if _, err := c.Unit(ctx, "912345678"); !errors.Is(err, register.ErrUnavailable) {
		t.Errorf("slow: %v", err)
	}
}

func TestSearchPages(t *testing.T) {
	var units []registertest.Unit
	for i := 0; i < 150; i++ {
		units = append(units, registertest.Unit{OrgNumber: fmt.Sprintf("9%08d", i), Name: fmt.Sprintf("Verksted %d", i), Municipality: "4601",
			Postcode: "5003", Codes: []string{"95.29"}})
	}
	units = append(units, registertest.Unit{OrgNumber: "899999999", Name: "Oslo", Municipality: "0301", Codes: []string{"95.29"}},
		registertest.Unit{OrgNumber: "899999998", Name: "Bilverksted", Municipality: "4601", Codes: []string{"45.20"}})
	s := registertest.Start(t, units...)
	got, err := client(s).Search(context.Background(), "4601", []string{"95.23", "95.29"})
	if err != nil || len(got) != 150 {
		t.Errorf("search: %d units, %v; want the 150 repair units of 4601 over two pages", len(got), err)
	}
}
