package importer_test

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/store"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db := testenv.Store(t)
	t.Cleanup(func() { db.Close() })
	return db
}

func newImporter(t *testing.T, dryRun bool, db *store.DB) *importer.Importer {
	t.Helper()
	districts := testenv.Districts(t)
	return &importer.Importer{
		Listings:  &listing.Service{Store: db, Districts: districts, Now: time.Now},
		Districts: districts, Suggestions: db, DryRun: dryRun,
	}
}

func TestImportRealOSMDataIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	data, addresses := testenv.OSMSnapshot(t)

	dry, err := newImporter(t, true, db).ImportOSM(ctx, data, addresses)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := db.PendingCount(ctx); dry.Imported != 79 || n != 0 {
		t.Fatalf("dry run: would import %d (want 79), wrote %d outbox rows (want 0)", dry.Imported, n)
	}
	if ls, _ := db.Published(ctx); len(ls) != 0 {
		t.Fatalf("dry run wrote %d listings", len(ls))
	}

	first, err := newImporter(t, false, db).ImportOSM(ctx, data, addresses)
	if err != nil {
		t.Fatal(err)
	}
	if first.Imported != 79 || first.Updated != 0 || len(first.Skipped) != 0 {
		t.Errorf("first import: %d imported, %d updated, %d skipped; want 79, 0, 0: %v", first.Imported, first.Updated, len(first.Skipped), first.Skipped)
	}
	// Repair, second-hand and rental places alike, each of its kind.
	published, err := db.Published(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, l := range published {
		kinds[l.Kind]++
	}
	want := map[string]int{listing.KindRepair: 25, listing.KindSecondHand: 42, listing.KindRental: 11, listing.KindRefurbished: 1}
	if !maps.Equal(kinds, want) {
		t.Errorf("kinds imported %v, want %v", kinds, want)
	}
	second, err := newImporter(t, false, db).ImportOSM(ctx, data, addresses)
	if err != nil {
		t.Fatal(err)
	}
	if second.Imported != 0 || second.Updated != 0 || second.Unchanged != 79 {
		t.Errorf("second import: %d imported, %d updated, %d unchanged; want 0, 0, 79", second.Imported, second.Updated, second.Unchanged)
	}
	if n, _ := db.PendingCount(ctx); n != 79 {
		t.Errorf("outbox has %d rows, want 79: the re-run must write nothing", n)
	}

	// District from coordinates, never from the name.
	l, err := db.GetBySource(ctx, listing.SourceOSM, "node/3935489347")
	if err != nil {
		t.Fatal(err)
	}
	if l.Name != "Arna Søm og Strikk" || l.District != "fana" {
		t.Errorf("%s is in %s, want fana", l.Name, l.District)
	}
	if l.Status != listing.StatusPublished || l.VerifiedAt != nil || l.Source.Attribution != listing.OSMAttribution {
		t.Errorf("imported listing: status %s verified %v attribution %q", l.Status, l.VerifiedAt, l.Source.Attribution)
	}
	// Messy real opening hours are parsed, not dropped.
	l, _ = db.GetBySource(ctx, listing.SourceOSM, "node/4235820783") // "Mo-Fr 10-18, Sa 10-15, Su off"
	if got := l.OpeningHours.String(); got != "Mo-Fr 10:00-18:00; Sa 10:00-15:00" {
		t.Errorf("Skomakeren i Oasen hours = %q", got)
	}
	// Each with the goods it sells or lends, its hours and attribution.
	for ref, want := range map[string]struct{ kind, categories string }{
		"node/3946005947":  {listing.KindSecondHand, "klaer"},       // Episode: shop=clothes, second_hand=only
		"node/12653248048": {listing.KindRental, "verktoy"},         // Tingotek, a library of things
		"node/12622866775": {listing.KindRental, "sport-friluft"},   // Skattkammeret: rental=ice_skates;ski
		"node/12184425306": {listing.KindRefurbished, "mobil-data"}, // Bergen brukt pc
		"node/6151332814":  {listing.KindRental, "annet"},           // Turboka, a book box
	} {
		l, err := db.GetBySource(ctx, listing.SourceOSM, ref)
		if err != nil {
			t.Fatal(ref, err)
		}
		if got := strings.Join(l.Categories, ","); l.Kind != want.kind || got != want.categories || l.Source.Attribution != listing.OSMAttribution {
			t.Errorf("%s: kind %s categories %s attribution %q, want %s %s", l.Name, l.Kind, got, l.Source.Attribution, want.kind, want.categories)
		}
	}
	if l, _ := db.GetBySource(ctx, listing.SourceOSM, "node/3946005947"); !l.OpeningHours.Known() {
		t.Errorf("Episode's hours were not read: %+v", l.OpeningHours)
	}
	l, _ = db.GetBySource(ctx, listing.SourceOSM, "node/5142775782")
	if l.OrgNumber != "828100602" || l.Phone != "+4793966100" {
		t.Errorf("Astamr: orgnr %q phone %q", l.OrgNumber, l.Phone)
	}
}

func TestImportReportsWhatItCannotParse(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	data := []byte(`{"type":"FeatureCollection","features":[
	 {"type":"Feature","id":"node/1","properties":{"name":"Skomaker Test","craft":"shoemaker","opening_hours":"by appointment","phone":"12","ref:NO:orgnr":"828100603","fivh:category":"repair"},"geometry":{"type":"Point","coordinates":[5.3241,60.3929]}},
	 {"type":"Feature","id":"node/2","properties":{"name":"Oslo Sko","craft":"shoemaker","fivh:category":"repair"},"geometry":{"type":"Point","coordinates":[10.75,59.91]}},
	 {"type":"Feature","id":"node/3","properties":{"craft":"shoemaker","fivh:category":"repair"},"geometry":{"type":"Point","coordinates":[5.3241,60.3929]}}
	]}`)
	r, err := newImporter(t, false, db).ImportOSM(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Imported != 1 || len(r.Skipped) != 2 {
		t.Fatalf("imported %d skipped %v", r.Imported, r.Skipped)
	}
	fields := map[string]bool{}
	for _, n := range r.NotUnderstood {
		fields[n.Field] = true
	}
	for _, f := range []string{"opening_hours", "phone", "org_number"} {
		if !fields[f] {
			t.Errorf("no note for %s in %+v", f, r.NotUnderstood)
		}
	}
	l, _ := db.GetBySource(ctx, listing.SourceOSM, "node/1")
	if !l.OpeningHours.Unparsed || l.OpeningHours.Text != "by appointment" || l.OpeningHours.Known() {
		t.Errorf("unparsed hours must be kept as text and unknown: %+v", l.OpeningHours)
	}
}
