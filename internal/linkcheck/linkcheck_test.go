package linkcheck_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/linkcheck"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

func TestDeadAndMovedWebsitesBecomeSuggestions(t *testing.T) {
	ctx := context.Background()
	alive := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	defer alive.Close()
	dead := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) }))
	defer dead.Close()
	// Moved: the shop's site sends visitors to another domain ("localhost"
	// stands for it beside "127.0.0.1").
	moved := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(alive.URL, "127.0.0.1", "localhost", 1)+"/ny", http.StatusMovedPermanently)
	}))
	defer moved.Close()

	db := testenv.Store(t)
	clock := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	listings := &listing.Service{Store: db, Districts: testenv.Districts(t), Now: now}
	create := func(name, website string) *listing.Listing {
		l := &listing.Listing{Name: name, Categories: []string{"sko"}, Website: website, Location: listing.Location{Lat: 60.39, Lng: 5.32},
			Address: listing.Address{City: "Bergen"}, Status: listing.StatusPublished, Source: listing.Source{Kind: listing.SourceMunicipality}}
		if err := listings.Create(ctx, l, listing.Change{Actor: "admin:red", Action: listing.ActionCreate}); err != nil {
			t.Fatal(err)
		}
		return l
	}
	create("Levende", alive.URL)
	gone := create("Død", dead.URL)
	flyttet := create("Flyttet", moved.URL)
	create("Samme vert", alive.URL+"/annen") // the same host as Levende: waits a minute
	c := &linkcheck.Checker{Store: db, Listings: db, Suggestions: &suggestion.Service{Store: db, Listings: listings, Now: now},
		Log: slog.New(slog.DiscardHandler), Now: now, AllowPrivate: true}

	r, err := c.Run(ctx)
	if err != nil || r.Checked != 3 || r.Skipped != 1 || r.Suggested != 1 {
		t.Fatalf("first run: %+v %v, want 3 checked, the second on one host skipped, the move suggested", r, err)
	}
	if r, _ := c.Run(ctx); r.Checked != 0 {
		t.Errorf("a second run the same minute checked %d", r.Checked)
	}
	for week := 1; week <= 2; week++ {
		clock = clock.Add(8 * 24 * time.Hour)
		if _, err := c.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	open, _ := db.OpenSuggestions(ctx)
	byListing := map[string]suggestion.Suggestion{}
	for _, sg := range open {
		byListing[sg.ListingID] = sg
	}
	if sg, ok := byListing[gone.ID]; !ok || sg.Field != "website" || sg.Proposed != "" || !strings.Contains(sg.Evidence, "3 ganger") {
		t.Errorf("the dead website after three failed checks: %+v", sg)
	}
	if sg, ok := byListing[flyttet.ID]; !ok || !strings.Contains(sg.Proposed, "localhost") {
		t.Errorf("the moved website: %+v", sg)
	}
	if len(open) != 2 {
		t.Errorf("%d suggestions, want 2: %+v", len(open), open)
	}

	// In production a website on a private or loopback address is never
	// requested, redirect or not.
	strict := &linkcheck.Checker{Store: db, Listings: db, Suggestions: c.Suggestions, Log: c.Log, Now: func() time.Time { return clock.Add(30 * 24 * time.Hour) }}
	if _, err := strict.Run(ctx); err != nil {
		t.Fatal(err)
	}
	st, _, _ := db.LinkState(ctx, flyttet.ID)
	if !strings.Contains(st.LastError, "not a public address") {
		t.Errorf("a loopback website in production: %+v", st)
	}
}
