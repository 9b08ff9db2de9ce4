package registersync_test

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/geocoder"
	"github.com/bergenreparerer/reparerer/internal/geocoder/geocodertest"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/position"
	"github.com/bergenreparerer/reparerer/internal/register"
	"github.com/bergenreparerer/reparerer/internal/register/registertest"
	"github.com/bergenreparerer/reparerer/internal/registersync"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

func bergen(orgnr, name, form, street, postcode string, codes ...string) registertest.Unit {
	return registertest.Unit{OrgNumber: orgnr, Name: name, OrgForm: form, Street: street, Postcode: postcode, City: "Bergen",
		Municipality: "4601", Parent: "999000118", Codes: codes}
}

func TestDiscoverAddAndCheck(t *testing.T) {
	ctx := context.Background()
	srv := registertest.Start(t,
		bergen("912000001", "SKOMAKER I MARKEN", "BEDR", "Marken 37", "5017", "95.23"), // known by number
		bergen("912000028", "FIKS MOBIL BERGEN", "BEDR", "Strandgaten 1", "5013", "95.12"),
		bergen("912000036", "HVITEVARESERVICE VEST", "BEDR", "Kokstadvegen 1", "5257", "95.22"),
		bergen("912000044", "KARI NORDMANN", "ENK", "Nygårdsgaten 1", "5015", "95.29"),
		bergen("912000052", "URMAKER NESTTUN", "BEDR", "Nesttunvegen 1", "5221", "95.25"),
		bergen("912000060", "MØBELTAPETSERER SANDVIKEN", "BEDR", "Sandviksveien 1", "5035", "95.24"),
		bergen("912000079", "SYKKEL OSLO", "BEDR", "Karl Johan 1", "0150", "95.29"), // another municipality
		registertest.Unit{OrgNumber: "999000118", Name: "MORSELSKAP AS", OrgForm: "AS", Entity: true, Municipality: "4601"},
	)
	srv.Set(registertest.Unit{OrgNumber: "912000079", Name: "SYKKEL OSLO", Municipality: "0301", Codes: []string{"95.29"}})
	db := testenv.Store(t)
	districts := testenv.Districts(t)
	now := func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }
	addresses := geocodertest.Start(t,
		geocodertest.Address{Text: "Kokstadvegen 1", Postcode: "5257", City: "Bergen", Municipality: "4601", Lat: 60.2935, Lon: 5.2610},
		geocodertest.Address{Text: "Olav Kyrres gate 11", Postcode: "5014", City: "Bergen", Municipality: "4601", Lat: 60.3906, Lon: 5.3232})
	positions := &position.Finder{Geocoder: geocoder.New(addresses.URL, slog.New(slog.DiscardHandler)), Postcodes: testenv.Postcodes(t)}
	listings := &listing.Service{Store: db, Districts: districts, Now: now, Placer: positions}
	marken := &listing.Listing{Name: "Skomakeren i Marken", OrgNumber: "912000001", Categories: []string{"sko"},
		Address: listing.Address{Street: "Marken 37", Postcode: "5017", City: "Bergen"}, Location: listing.Location{Lat: 60.3924, Lng: 5.3301},
		Status: listing.StatusPublished, Source: listing.Source{Kind: listing.SourceMunicipality}}
	if err := listings.Create(ctx, marken, listing.Change{Actor: "admin:red", Action: listing.ActionCreate}); err != nil {
		t.Fatal(err)
	}
	reg := register.New(srv.URL, slog.New(slog.DiscardHandler))
	suggestions := &suggestion.Service{Store: db, Listings: listings, Now: now}
	s := &registersync.Service{Register: reg, Placer: positions, Listings: listings, Matches: db,
		Suggestions: suggestions, Postcodes: testenv.Postcodes(t), Now: now}

	candidates, err := s.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, c := range candidates {
		numbers = append(numbers, c.OrgNumber)
		if c.OrgNumber == "912000044" && !c.PersonalName {
			t.Error("a sole proprietorship is not flagged as a possible personal name")
		}
	}
	if want := []string{"912000028", "912000036", "912000044", "912000052", "912000060"}; !slices.Equal(numbers, want) {
		t.Errorf("candidates %v, want %v", numbers, want)
	}

	added, err := s.Add(ctx, "912000036", "admin:red@bergen.kommune.no")
	if err != nil {
		t.Fatal(err)
	}
	if added.Status != listing.StatusPending || added.Source.Kind != listing.SourceRegister || !slices.Equal(added.Categories, []string{"hvitevarer"}) ||
		added.District != "ytrebygda" || added.OrgNumber != "912000036" || added.ApproximatePosition || added.Location.Lat != 60.2935 {
		t.Errorf("added %+v", added)
	}
	// An address the geocoder cannot place lands at its postcode's centre,
	// marked approximate.
	fiks, err := s.Add(ctx, "912000028", "admin:red@bergen.kommune.no")
	if err != nil || !fiks.ApproximatePosition {
		t.Errorf("an address without a match: %+v %v", fiks, err)
	}
	if again, _ := s.Discover(ctx); len(again) != 3 {
		t.Errorf("after adding two: %d candidates, want 3", len(again))
	}

	// A first check finds the three numbers alive in the register: the
	// data-quality panel's register matches.
	if _, err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if matched, err := db.RegisterMatches(ctx); err != nil || len(matched) != 3 || matched[marken.ID] != "912000001" {
		t.Errorf("register matches %v %v", matched, err)
	}

	// The register reports a bankruptcy and a new name: suggestions, not
	// changes; a closed unit is no longer a match.
	srv.Set(registertest.Unit{OrgNumber: "999000118", Name: "MORSELSKAP AS", OrgForm: "AS", Entity: true, Municipality: "4601", Bankrupt: true})
	srv.Set(bergen("912000001", "SKOMAKEREN I MARKEN AS", "BEDR", "Marken 37", "5017", "95.23"))
	report, err := s.Check(ctx)
	if err != nil || report.Checked != 3 || report.Suggested != 4 {
		t.Fatalf("check: %+v %v, want 3 checked, 4 suggestions (three closures, one name)", report, err)
	}
	if again, _ := s.Check(ctx); again.Suggested != 0 {
		t.Errorf("a second check raised %d again", again.Suggested)
	}
	if matched, _ := db.RegisterMatches(ctx); len(matched) != 0 {
		t.Errorf("closed units still match: %v", matched)
	}
	if l, _ := db.Get(ctx, marken.ID); l.Status != listing.StatusPublished || l.Name != "Skomakeren i Marken" {
		t.Errorf("the check changed the listing: %+v", l)
	}
	open, _ := db.OpenSuggestions(ctx)
	for _, sg := range open {
		if sg.ListingID == marken.ID && sg.Field == registersync.FieldClosed {
			if err := suggestions.Accept(ctx, sg.ID, "red@bergen.kommune.no", nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	if l, _ := db.Get(ctx, marken.ID); l.Status != listing.StatusHidden || l.HideReason != "permanently_closed" {
		t.Errorf("after accepting the closure: %s %s", l.Status, l.HideReason)
	}

	// A move in the register is one suggestion for street and postcode,
	// telling where the new address lies; accepting it places the listing
	// at the new door.
	srv.Set(bergen("912000028", "FIKS MOBIL BERGEN", "BEDR", "Olav Kyrres gate 11", "5014", "95.12"))
	if report, err := s.Check(ctx); err != nil || report.Suggested != 1 {
		t.Fatalf("after a move: %+v %v, want one suggestion", report, err)
	}
	open, _ = db.OpenSuggestions(ctx)
	var moved *suggestion.Suggestion
	for i, sg := range open {
		if sg.ListingID == fiks.ID && sg.Field == suggestion.FieldAddress {
			moved = &open[i]
		}
	}
	if moved == nil || moved.Current != "Strandgaten 1, 5013" || moved.Proposed != "Olav Kyrres gate 11, 5014" ||
		!strings.Contains(moved.Evidence, "funnet i adresseregisteret (60.39060, 5.32320)") {
		t.Fatalf("the move: %+v", moved)
	}
	// While it waits, the daily check does not ask the address API again.
	asked := addresses.Asked("Olav Kyrres gate 11")
	if report, err := s.Check(ctx); err != nil || report.Suggested != 0 || addresses.Asked("Olav Kyrres gate 11") != asked {
		t.Errorf("a second check of the waiting move: %+v %v, the address API asked %d more times", report, err, addresses.Asked("Olav Kyrres gate 11")-asked)
	}
	if err := suggestions.Accept(ctx, moved.ID, "red@bergen.kommune.no", nil); err != nil {
		t.Fatal(err)
	}
	if l, _ := db.Get(ctx, fiks.ID); l.Address.Street != "Olav Kyrres gate 11" || l.Address.Postcode != "5014" ||
		l.ApproximatePosition || l.Location != (listing.Location{Lat: 60.3906, Lng: 5.3232}) {
		t.Errorf("after accepting the move: %+v at %+v, approximate %v", l.Address, l.Location, l.ApproximatePosition)
	}

	srv.Down = true
	if _, err := s.Check(ctx); err == nil {
		t.Error("a register that is down: no error")
	}
}

// With the reuse option, discovery also finds second-hand shops and
// rental places, and adds each with its kind of place; without it, only
// repairers.
func TestDiscoverSecondHandAndRentalWhenAsked(t *testing.T) {
	ctx := context.Background()
	srv := registertest.Start(t,
		bergen("912000087", "FIKS SKO", "BEDR", "Strandgaten 2", "5013", "95.23"),
		bergen("912000095", "BRUKTHANDELEN VEST", "BEDR", "Strandgaten 3", "5013", "47.79"),
		bergen("912000109", "UTSTYRSUTLEIE BERGEN", "BEDR", "Strandgaten 4", "5013", "77.39"),
		registertest.Unit{OrgNumber: "999000118", Name: "MORSELSKAP AS", OrgForm: "AS", Entity: true, Municipality: "4601"},
	)
	db := testenv.Store(t)
	now := func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }
	positions := &position.Finder{Postcodes: testenv.Postcodes(t)}
	listings := &listing.Service{Store: db, Districts: testenv.Districts(t), Now: now, Placer: positions}
	s := &registersync.Service{Register: register.New(srv.URL, slog.New(slog.DiscardHandler)), Placer: positions, Listings: listings,
		Suggestions: &suggestion.Service{Store: db, Listings: listings, Now: now}, Postcodes: testenv.Postcodes(t), Now: now}

	repairOnly, err := s.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(repairOnly) != 1 || repairOnly[0].Kind != listing.KindRepair {
		t.Fatalf("without the option: %+v", repairOnly)
	}
	s.Reuse = true
	all, err := s.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, c := range all {
		kinds[c.OrgNumber] = c.Kind + " " + strings.Join(c.Categories, ",")
	}
	want := map[string]string{"912000087": "repair sko", "912000095": "second_hand annet", "912000109": "rental verktoy"}
	if !maps.Equal(kinds, want) {
		t.Errorf("with the option: %v, want %v", kinds, want)
	}
	added, err := s.Add(ctx, "912000109", "admin:red@bergen.kommune.no")
	if err != nil {
		t.Fatal(err)
	}
	if added.Kind != listing.KindRental || !slices.Equal(added.Categories, []string{"verktoy"}) {
		t.Errorf("added %s as %s %v", added.Name, added.Kind, added.Categories)
	}
}
