package store_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/coverage"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/owner"
	"github.com/bergenreparerer/reparerer/internal/store"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

// The whole record moves from SQLite to PostgreSQL and back unchanged:
// every table's rows and checksum agree on all three stores, the copy
// goes on numbering the audit log where the original stopped, and a store
// that already holds data is never copied into.
func TestCopyBetweenEnginesKeepsEveryRow(t *testing.T) {
	ctx := context.Background()
	from := open(t, filepath.Join(t.TempDir(), "from.db"))
	fill(t, from)
	want, err := from.Sums(ctx)
	if err != nil {
		t.Fatal(err)
	}

	pg := open(t, testenv.PostgresURL(t))
	got, err := from.CopyTo(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	for i, sum := range got {
		if sum != want[i] {
			t.Errorf("%s: copied %+v, the original %+v", sum.Table, sum, want[i])
		}
	}
	back := open(t, filepath.Join(t.TempDir(), "back.db"))
	if _, err := pg.CopyTo(ctx, back); err != nil {
		t.Fatal(err)
	}
	if again, _ := back.Sums(ctx); !slices.Equal(again, want) {
		t.Errorf("SQLite → PostgreSQL → SQLite changed the record:\n%+v\n%+v", again, want)
	}
	if rows(want, "listings") != 3 || rows(want, "audit_log") != 5 || rows(want, "claims") != 1 || rows(want, "secrets") != 1 {
		t.Errorf("the record filled: %+v", want)
	}

	// The copy goes on: a new edit's audit entry follows the copied ones.
	l, err := pg.GetBySlug(ctx, "skomaker-0")
	if err != nil {
		t.Fatal(err)
	}
	l.Phone = "+4755112233"
	if err := pg.Update(ctx, l, listing.Change{Actor: "test", Action: listing.ActionAdminEdit}); err != nil {
		t.Fatal(err)
	}
	history, err := pg.History(ctx, l.ID)
	if err != nil || len(history) != 3 || history[2].ID <= history[1].ID {
		t.Errorf("history after the copy: %+v %v", history, err)
	}

	// The sums see a changed value.
	if _, err := back.DB().ExecContext(ctx, `UPDATE qr_scans SET count = 2`); err != nil {
		t.Fatal(err)
	}
	if again, _ := back.Sums(ctx); slices.Equal(again, want) {
		t.Error("the sums did not see a changed count")
	}

	if _, err := from.CopyTo(ctx, pg); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("copy into a store with data: %v, want refused", err)
	}
}

func open(t *testing.T, target string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fill writes a little of everything: listings with edits (audit log,
// outbox), an account with a claim, a key, counters.
func fill(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 29, 12, 0, 0, 123456789, time.UTC)
	svc := &listing.Service{Store: db, Districts: testenv.Districts(t), Now: func() time.Time { return now }}
	hours, _ := openinghours.ParseOSM("Mo-Fr 10:00-17:00; Sa 10:00-14:00")
	for i, name := range []string{"Skomaker 0", "Skomaker 1", "Sykkel Ø"} {
		l := &listing.Listing{Name: name, Categories: []string{"sko", "sykkel"}, OpeningHours: hours, Status: listing.StatusPublished,
			AcceptsRepairVoucher: i == 1, Location: listing.Location{Lat: 60.3946 + float64(i)/1000, Lng: 5.3241}, Source: listing.Source{Kind: listing.SourceMunicipality}}
		if err := svc.Create(ctx, l, listing.Change{Actor: "test", Action: listing.ActionCreate}); err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			l.Phone = "+4755000000"
			if err := svc.Update(ctx, l, listing.Change{Actor: "test", Action: listing.ActionAdminEdit}); err != nil {
				t.Fatal(err)
			}
		}
	}
	u, err := db.EnsureUser(ctx, "eier@sko.example", auth.RoleOwner, now)
	if err != nil {
		t.Fatal(err)
	}
	l, err := db.GetBySlug(ctx, "skomaker-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateClaim(ctx, &owner.Claim{ListingID: l.ID, UserID: u.ID, Name: "Eier", Role: "daglig leder",
		Status: owner.StatusPending, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Secret(ctx, "links"); err != nil {
		t.Fatal(err)
	}
	if err := db.AddMissed(ctx, "2026-11-29", coverage.Miss{Query: "grammofon", District: "arna"}, 3); err != nil {
		t.Fatal(err)
	}
	if err := db.CountScan(ctx, l.ID, "2026-11-29"); err != nil {
		t.Fatal(err)
	}
}

func rows(sums []store.TableSum, table string) int {
	for _, s := range sums {
		if s.Table == table {
			return s.Rows
		}
	}
	return -1
}
