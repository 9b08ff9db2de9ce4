package store_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/store"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

// engines are the stores' shared contract: every test here runs on each.
var engines = []struct {
	name   string
	target func(testing.TB) string
}{
	{"sqlite", func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "sub", "r.db") }}, // the folder is created
	{"postgres", testenv.PostgresURL},
}

func forEachEngine(t *testing.T, test func(t *testing.T, target string)) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { test(t, e.target(t)) })
	}
}

func TestStoreRoundTripOutboxAndVersions(t *testing.T) { forEachEngine(t, testRoundTrip) }

func testRoundTrip(t *testing.T, path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	districts, err := district.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc := &listing.Service{Store: db, Districts: districts, Now: time.Now}
	hours, _ := openinghours.ParseOSM("Mo-Fr 10:00-17:00; PH off; Dec 24 10:00-13:00")
	price := 250
	verified := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	l := &listing.Listing{
		Name: "XXL", Categories: []string{"sykkel"}, Location: listing.Location{Lat: 60.4656, Lng: 5.3224},
		OpeningHours: hours, PriceFromNOK: &price, VerifiedAt: &verified, Status: listing.StatusPublished,
		Source: listing.Source{Kind: listing.SourceOSM, Ref: "node/1", Attribution: listing.OSMAttribution},
	}
	if err := svc.Create(ctx, l, testChange); err != nil {
		t.Fatal(err)
	}
	twin := *l
	twin.Source.Ref = "node/2"
	if err := svc.Create(ctx, &twin, testChange); err != nil {
		t.Fatal(err)
	}
	if l.Slug != "xxl" || twin.Slug != "xxl-asane" {
		t.Errorf("slugs %q %q, want xxl and xxl-asane", l.Slug, twin.Slug)
	}
	got, err := db.GetBySource(ctx, listing.SourceOSM, "node/1")
	if err != nil {
		t.Fatal(err)
	}
	if got.OpeningHours.String() != hours.String() || *got.PriceFromNOK != 250 || !got.VerifiedAt.Equal(verified) || got.District != "asane" {
		t.Errorf("round trip changed the listing: %+v", got)
	}
	if n, _ := db.PendingCount(ctx); n != 2 {
		t.Errorf("outbox has %d rows, want one per write", n)
	}

	stale := *got
	got.Name = "XXL Åsane"
	if err := svc.Update(ctx, got, testChange); err != nil || got.Version != 2 {
		t.Fatalf("update: %v, version %d", err, got.Version)
	}
	stale.Name = "lost update"
	if err := svc.Update(ctx, &stale, testChange); !apperr.Is(err, apperr.CodeConflict) {
		t.Errorf("stale update: %v, want conflict", err)
	}
	if n, _ := db.PendingCount(ctx); n != 3 {
		t.Errorf("outbox has %d rows, want 3: the refused write queues nothing", n)
	}

	// The audit log has the creation and the one accepted edit, with the
	// field that changed; the refused write left no entry.
	history, err := db.History(ctx, got.ID)
	if err != nil || len(history) != 2 {
		t.Fatalf("history %+v %v, want 2 entries", history, err)
	}
	want := []listing.FieldChange{{Field: "name", Before: "XXL", After: "XXL Åsane"}}
	if edit := history[1]; !reflect.DeepEqual(edit.Changes, want) || edit.Version != 2 || edit.Actor != "test" {
		t.Errorf("edit entry %+v, want %+v at version 2", edit, want)
	}
	if since, _ := db.Since(ctx, got.ID, 1); len(since) != 1 || since[0].Version != 2 {
		t.Errorf("entries since version 1: %+v", since)
	}
	if _, err := db.DB().ExecContext(ctx, `UPDATE audit_log SET actor = 'someone else'`); err == nil {
		t.Error("an audit entry could be rewritten; the log must be append-only")
	}
	if _, err := db.DB().ExecContext(ctx, `DELETE FROM audit_log`); err == nil {
		t.Error("an audit entry could be deleted; the log must be append-only")
	}
	counts, err := db.CountPublished(ctx)
	if err != nil || counts.ByDistrict["asane"] != 2 || counts.ByCategory["sykkel"] != 2 {
		t.Errorf("counts %+v %v", counts, err)
	}
	if _, err := db.GetBySlug(ctx, "nope"); !apperr.Is(err, apperr.CodeNotFound) {
		t.Errorf("missing slug: %v, want not_found", err)
	}
	db.Close()

	// Opening again applies no migration twice and keeps the data.
	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if ls, _ := db.Published(ctx); len(ls) != 2 {
		t.Errorf("after reopening: %d listings", len(ls))
	}
}

var testChange = listing.Change{Actor: "test", Action: listing.ActionCreate}
