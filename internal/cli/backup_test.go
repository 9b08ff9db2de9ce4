package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/cli"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/meili"
	"github.com/bergenreparerer/reparerer/internal/search"
	"github.com/bergenreparerer/reparerer/internal/store"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// A backup taken while the store is in use, restored into a fresh store
// and reindexed, holds every listing and every audit entry, and search
// finds every published listing again — on SQLite, and on PostgreSQL in
// the contract run.
func TestBackupRestoreReindex(t *testing.T) {
	ctx := context.Background()
	live, backupFile, fresh := testenv.StoreTarget(t), filepath.Join(t.TempDir(), "backup.db"), testenv.StoreTarget(t)
	db, err := store.Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	svc := &listing.Service{Store: db, Districts: testenv.Districts(t), Now: time.Now}
	for i := 0; i < 25; i++ {
		l := &listing.Listing{Name: fmt.Sprintf("Skomaker %d", i), Categories: []string{"sko"}, Status: listing.StatusPublished,
			Address: listing.Address{Street: "Strandgaten 1", Postcode: "5013", City: "Bergen"}, Location: listing.Location{Lat: 60.3946, Lng: 5.3241}, Source: listing.Source{Kind: listing.SourceMunicipality}}
		if err := svc.Create(ctx, l, listing.Change{Actor: "cli", Action: listing.ActionCreate}); err != nil {
			t.Fatal(err)
		}
		l.Phone = "+4755000000"
		if err := svc.Update(ctx, l, listing.Change{Actor: "cli", Action: listing.ActionAdminEdit}); err != nil {
			t.Fatal(err)
		}
	}
	want, err := db.Totals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	meiliEnv, indexUID := testenv.SharedMeili(t), testenv.Name(t)
	run := func(dbPath string, args ...string) (int, string) {
		var out, errOut bytes.Buffer
		env := []string{"REPARERER_DB=" + dbPath, "MEILI_URL=" + meiliEnv.URL, "MEILI_MASTER_KEY=" + meiliEnv.Key, "MEILI_INDEX=" + indexUID}
		code := cli.Main(args, env, &out, &errOut)
		return code, out.String() + errOut.String()
	}
	// The backup is taken with the live store open, as in production.
	if code, out := run(live, "backup", backupFile); code != 0 || !strings.Contains(out, "25 listings, 50 audit entries") {
		t.Fatalf("backup: %d %s", code, out)
	}
	db.Close()
	if code, out := run(live, "backup", backupFile); code == 0 || !strings.Contains(out, "exists") {
		t.Errorf("a backup over an existing file: %d %s", code, out)
	}
	if code, out := run(fresh, "restore", backupFile); code != 0 || !strings.Contains(out, "25 listings, 50 audit entries") {
		t.Fatalf("restore: %d %s", code, out)
	}
	if code, out := run(fresh, "restore", backupFile); code == 0 || !strings.Contains(out, "--force") {
		t.Errorf("a restore over a store: %d %s", code, out)
	}
	restored, err := store.Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if got, err := restored.Totals(ctx); err != nil || got != want {
		t.Errorf("restored totals %+v %v, want %+v", got, err, want)
	}
	if code, out := run(fresh, "reindex"); code != 0 {
		t.Fatalf("reindex: %d %s", code, out)
	}
	index, err := meili.New(meiliEnv.URL, meiliEnv.Key, indexUID, testenv.Districts(t))
	if err != nil {
		t.Fatal(err)
	}
	defer index.Close()
	if err := index.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := index.Search(ctx, search.Query{Categories: []string{"sko"}, Page: 1, PerPage: 100})
	if err != nil || res.Total != 25 {
		t.Errorf("search after restore and reindex: %d listings, %v", res.Total, err)
	}
}

// migrate-store copies a SQLite store into an empty PostgreSQL database and
// says, table by table, that counts and checksums agree; the copy serves
// the same listings and history.
func TestMigrateStoreToPostgreSQL(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "reparerer.db")
	db, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	svc := &listing.Service{Store: db, Districts: testenv.Districts(t), Now: time.Now}
	for i := 0; i < 5; i++ {
		l := &listing.Listing{Name: fmt.Sprintf("Skredder %d", i), Categories: []string{"klaer"}, Status: listing.StatusPublished,
			Location: listing.Location{Lat: 60.3946, Lng: 5.3241}, Source: listing.Source{Kind: listing.SourceMunicipality}}
		if err := svc.Create(ctx, l, listing.Change{Actor: "cli", Action: listing.ActionCreate}); err != nil {
			t.Fatal(err)
		}
	}
	want, err := db.Totals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	pg := testenv.PostgresURL(t)
	var out, errOut bytes.Buffer
	if code := cli.Main([]string{"migrate-store", "--from", "sqlite:" + file, "--to", pg}, nil, &out, &errOut); code != 0 {
		t.Fatalf("migrate-store: %d %s %s", code, out.String(), errOut.String())
	}
	if !regexp.MustCompile(`listings\s+5 rows\s+sha256 [0-9a-f]{16}\s+same on both`).MatchString(out.String()) {
		t.Errorf("the report does not show the listings' count and checksum:\n%s", out.String())
	}
	copied, err := store.Open(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	defer copied.Close()
	if got, err := copied.Totals(ctx); err != nil || got != want {
		t.Errorf("PostgreSQL holds %+v %v, want %+v", got, err, want)
	}
	out.Reset()
	errOut.Reset()
	if code := cli.Main([]string{"migrate-store", "--from", file, "--to", pg}, nil, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "empty") {
		t.Errorf("a second copy into the same database: %d %s", code, errOut.String())
	}
}
