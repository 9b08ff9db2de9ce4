package coverage_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/coverage"
	"github.com/bergenreparerer/reparerer/internal/search"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

func TestNormalizeQuery(t *testing.T) {
	for in, want := range map[string]string{
		"  Kobber  SMED! ": "kobber smed",
		"symaskin?":        "symaskin",
		"Re\u0301paration": "réparation", // NFC
		"":                 "",
	} {
		if got, ok := coverage.NormalizeQuery(in); !ok || got != want {
			t.Errorf("NormalizeQuery(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, personal := range []string{"per@example.no", "ring 99887766", "fnr 01019912345"} {
		if got, ok := coverage.NormalizeQuery(personal); ok {
			t.Errorf("NormalizeQuery(%q) kept %q; it looks personal", personal, got)
		}
	}
}

func TestRecorderKeepsOnlyRepeatedMissesPerDay(t *testing.T) {
	ctx := context.Background()
	db := testenv.Store(t)
	now := time.Date(2026, 11, 23, 22, 30, 0, 0, time.UTC) // 23:30 in Oslo
	r := &coverage.Recorder{Store: db, Now: func() time.Time { return now }, Log: slog.New(slog.DiscardHandler)}
	for i := 0; i < 2; i++ {
		r.Record(ctx, coverage.Miss{Query: "urmaker", District: "arna"})
	}
	now = now.Add(time.Hour) // 00:30 the next day in Oslo: yesterday's two are forgotten
	for i := 0; i < 3; i++ {
		r.Record(ctx, coverage.Miss{Query: "Urmaker", District: "arna"})
	}
	r.Record(ctx, coverage.Miss{Query: "urmaker", District: "fana", Category: "ur-smykker"}) // another key, once
	got, err := db.Missed(ctx, "2026-11-01", "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	want := coverage.Missed{Day: "2026-11-24", Miss: coverage.Miss{Query: "urmaker", District: "arna"}, Count: 3}
	if len(got) != 1 || got[0] != want {
		t.Errorf("stored %+v, want only %+v", got, want)
	}
}

// A search page that found nothing is counted with its district — or the
// district of a "near me" origin, never the origin — and its categories;
// map-area searches and later pages are not counted. Top sums the days.
func TestRecordSearchAndTop(t *testing.T) {
	ctx := context.Background()
	db := testenv.Store(t)
	districts := testenv.Districts(t)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	r := &coverage.Recorder{Store: db, Districts: districts, Now: func() time.Time { return now }, Log: slog.New(slog.DiscardHandler)}
	asane := &search.Point{Lat: 60.47, Lng: 5.33}
	for day := 0; day < 2; day++ {
		for i := 0; i < coverage.MinDaily; i++ {
			r.RecordSearch(ctx, search.Query{Text: "kobbersmed", Origin: asane, Page: 1}, coverage.CauseOther)
			r.RecordSearch(ctx, search.Query{Text: "symaskin", Districts: []string{"fana"}, Categories: []string{"hvitevarer"}, Page: 1}, coverage.CauseNoListings)
			r.RecordSearch(ctx, search.Query{Text: "gitar", BBox: &search.BBox{}, Page: 1}, coverage.CauseOther)
			r.RecordSearch(ctx, search.Query{Text: "fiolin", Page: 2}, coverage.CauseOther)
		}
		r.RecordSearch(ctx, search.Query{Text: "kobbersmed", Origin: asane, Page: 1}, coverage.CauseOther) // a fourth on each day
		now = now.AddDate(0, 0, 1)
	}
	top, err := r.Top(ctx, 30, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []coverage.Total{
		{Miss: coverage.Miss{Query: "kobbersmed", District: "asane"}, Count: 8},
		{Miss: coverage.Miss{Query: "symaskin", District: "fana", Category: "hvitevarer", Cause: coverage.CauseNoListings}, Count: 6},
	}
	if len(top) != 2 || top[0] != want[0] || top[1] != want[1] {
		t.Errorf("top %+v, want %+v", top, want)
	}
	if one, _ := r.Top(ctx, 30, 1); len(one) != 1 {
		t.Errorf("limit 1 gave %d", len(one))
	}
	if from, to := coverage.Days(time.Date(2026, 3, 29, 23, 30, 0, 0, time.UTC), 2); from != "2026-03-29" || to != "2026-03-30" {
		t.Errorf("days in Oslo: %s – %s", from, to) // 23:30 UTC is 01:30 the next day in summer time
	}
}
