package position_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/geocoder"
	"github.com/bergenreparerer/reparerer/internal/geocoder/geocodertest"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/position"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

// Every address an owner or editor writes is placed through the address
// API: a new one, a changed one whose pin nobody moved, an approximate one
// again; a pin a person moved is kept; no match, or an API too slow for
// someone waiting at a form, places it at the postcode's centre, marked.
func TestOwnersAddressesArePlaced(t *testing.T) {
	ctx := context.Background()
	api := geocodertest.Start(t,
		geocodertest.Address{Text: "Strandgaten 1", Postcode: "5013", Municipality: "4601", Lat: 60.39450, Lon: 5.32410},
		geocodertest.Address{Text: "Nesttunvegen 96", Postcode: "5221", Municipality: "4601", Lat: 60.31920, Lon: 5.35260},
		geocodertest.Address{Text: "Nesttunvegen 100", Postcode: "5221", Municipality: "4601", Lat: 60.31880, Lon: 5.35300})
	postcodes := testenv.Postcodes(t)
	finder := &position.Finder{Geocoder: geocoder.New(api.URL, slog.New(slog.DiscardHandler)), Postcodes: postcodes, Wait: 300 * time.Millisecond}
	db := testenv.Store(t)
	svc := &listing.Service{Store: db, Districts: testenv.Districts(t), Now: time.Now, Placer: finder}
	u, err := db.EnsureUser(ctx, "eier@sko.example", auth.RoleOwner, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	owner := listing.Editor{UserID: u.ID, Email: u.Email}
	centre := func(code string) listing.Location {
		pc, _ := postcodes.Lookup(code)
		return listing.Location{Lat: pc.Lat, Lng: pc.Lng}
	}

	// The registration form without a pin: the postcode's centre, marked
	// approximate, is replaced by the door.
	l := &listing.Listing{Name: "Skomaker Test", OrgNumber: "923609016", Categories: []string{"sko"},
		Address: listing.Address{Street: "Strandgaten 1", Postcode: "5013"}, Location: centre("5013"), ApproximatePosition: true}
	if err := svc.Register(ctx, l, owner); err != nil {
		t.Fatal(err)
	}
	if l.ApproximatePosition || l.Location != (listing.Location{Lat: 60.3945, Lng: 5.3241}) {
		t.Fatalf("registered at %+v, approximate %v", l.Location, l.ApproximatePosition)
	}

	edit := func(change func(*listing.Listing)) *listing.Listing {
		t.Helper()
		current, err := db.Get(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		next := *current
		change(&next)
		if err := svc.Edit(ctx, current, &next, current.Version, owner); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Get(ctx, l.ID)
		return got
	}
	// A move without touching the pin: the new door.
	got := edit(func(n *listing.Listing) { n.Address = listing.Address{Street: "Nesttunvegen 96", Postcode: "5221"} })
	if got.ApproximatePosition || got.Location != (listing.Location{Lat: 60.3192, Lng: 5.3526}) || got.District != "fana" {
		t.Errorf("moved to %+v in %s, approximate %v", got.Location, got.District, got.ApproximatePosition)
	}
	// A pin the owner dragged is theirs, even with a new address.
	dragged := listing.Location{Lat: 60.3195, Lng: 5.3530}
	got = edit(func(n *listing.Listing) { n.Address.Street, n.Location = "Nesttunvegen 98", dragged })
	if got.ApproximatePosition || got.Location != dragged {
		t.Errorf("dragged pin: %+v, approximate %v", got.Location, got.ApproximatePosition)
	}
	// An address the API does not know: the postcode's centre, marked.
	got = edit(func(n *listing.Listing) { n.Address = listing.Address{Street: "Ukjentveien 3", Postcode: "5013"} })
	if !got.ApproximatePosition || got.Location != centre("5013") {
		t.Errorf("unknown address: %+v, approximate %v", got.Location, got.ApproximatePosition)
	}
	// A slow API does not hold the form: the centre, at once. (An address
	// not asked for before: answers are kept for a while.)
	api.SetSlow(2 * time.Second)
	got = edit(func(n *listing.Listing) { n.Address = listing.Address{Street: "Nesttunvegen 100", Postcode: "5221"} })
	if !got.ApproximatePosition || got.Location != centre("5221") {
		t.Errorf("slow API: %+v, approximate %v (waited for the answer?)", got.Location, got.ApproximatePosition)
	}
	// Once it answers again, saving the approximate listing finds the door.
	api.SetSlow(0)
	got = edit(func(n *listing.Listing) { n.Phone = "+4755000000" })
	if got.ApproximatePosition || got.Location != (listing.Location{Lat: 60.3188, Lng: 5.353}) {
		t.Errorf("approximate, saved again: %+v, approximate %v", got.Location, got.ApproximatePosition)
	}
}
