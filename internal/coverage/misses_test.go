package coverage_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/coverage"
	"github.com/bergenreparerer/reparerer/internal/store"
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
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 23, 22, 30, 0, 0, time.UTC) // 23:30 in Oslo
	r := &coverage.Recorder{Store: db, Now: func() time.Time { return now }, Log: slog.New(slog.DiscardHandler)}
	for i := 0; i < 2; i++ {
		r.Record(ctx, "urmaker", "arna", "")
	}
	now = now.Add(time.Hour) // 00:30 the next day in Oslo: yesterday's two are forgotten
	for i := 0; i < 3; i++ {
		r.Record(ctx, "Urmaker", "arna", "")
	}
	r.Record(ctx, "urmaker", "fana", "ur-smykker") // another key, once
	got, err := db.Missed(ctx, "2026-11-01", "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	want := coverage.Missed{Day: "2026-11-24", Miss: coverage.Miss{Query: "urmaker", District: "arna"}, Count: 3}
	if len(got) != 1 || got[0] != want {
		t.Errorf("stored %+v, want only %+v", got, want)
	}
}
