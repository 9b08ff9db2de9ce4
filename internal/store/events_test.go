package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/event"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/store"
)

func TestEventsKeepVersionsAndQueueTheirListing(t *testing.T) { forEachEngine(t, testEvents) }

// On both engines: an event saved at a stale version is refused, and each
// save queues its listing for the index in the same transaction and is
// audited.
func testEvents(t *testing.T, path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	districts, err := district.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc := &listing.Service{Store: db, Districts: districts, Now: time.Now}
	cafe := &listing.Listing{Name: "Kafé", Kind: listing.KindRepairCafe, Categories: []string{"klaer"}, Location: listing.Location{Lat: 60.3966, Lng: 5.3140},
		Status: listing.StatusPublished, Source: listing.Source{Kind: listing.SourceMunicipality}}
	if err := svc.Create(ctx, cafe, listing.Change{Actor: "test", Action: listing.ActionCreate}); err != nil {
		t.Fatal(err)
	}
	queued, _ := db.PendingCount(ctx)
	ev := &event.Event{ListingID: cafe.ID, Title: "Kafé", Categories: []string{"klaer"}, Booking: event.BookingNone, Minutes: 120,
		Start: time.Date(2026, 12, 5, 11, 0, 0, 0, time.UTC), RRule: "FREQ=WEEKLY;BYDAY=SA", UpdatedBy: "owner:x",
		Place: event.Place{Name: "Kafé", District: "bergenhus", Lat: 60.3966, Lng: 5.3140}}
	if err := db.SaveEvent(ctx, ev); err != nil || ev.Version != 1 {
		t.Fatalf("create: %v version %d", err, ev.Version)
	}
	stale := *ev
	ev.Title = "Kafé på lørdag"
	if err := db.SaveEvent(ctx, ev); err != nil || ev.Version != 2 {
		t.Fatalf("update: %v version %d", err, ev.Version)
	}
	if err := db.SaveEvent(ctx, &stale); !apperr.Is(err, apperr.CodeConflict) {
		t.Errorf("a stale save: %v", err)
	}
	if n, _ := db.PendingCount(ctx); n != queued+2 {
		t.Errorf("outbox %d, want %d: each save queues the listing", n, queued+2)
	}
	if h, _ := db.History(ctx, cafe.ID); h[len(h)-1].Action != listing.ActionEvent || h[len(h)-1].Actor != "owner:x" {
		t.Errorf("audit: %+v", h[len(h)-1])
	}
	got, err := db.EventsOf(ctx, cafe.ID)
	if err != nil || len(got) != 1 || got[0].Title != "Kafé på lørdag" || got[0].RRule != "FREQ=WEEKLY;BYDAY=SA" {
		t.Fatalf("read back: %v %+v", err, got)
	}
	if ids, _ := db.ListingsWithRecurringEvents(ctx); len(ids) != 1 || ids[0] != cafe.ID {
		t.Errorf("listings with recurring events: %v", ids)
	}
	if err := db.DeleteEvent(ctx, ev.ID, "admin:y"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Event(ctx, ev.ID); !apperr.Is(err, apperr.CodeNotFound) {
		t.Errorf("deleted event: %v", err)
	}
}
