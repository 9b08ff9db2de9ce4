package importer_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/geocoder"
	"github.com/bergenreparerer/reparerer/internal/geocoder/geocodertest"
	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

func newPlanner(t *testing.T) (*importer.Planner, *listing.Service) {
	t.Helper()
	db := testenv.Store(t)
	districts := testenv.Districts(t)
	svc := &listing.Service{Store: db, Districts: districts, Now: func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }}
	return &importer.Planner{Listings: svc, Districts: districts, Postcodes: testenv.Postcodes(t), Suggestions: db}, svc
}

func plan(t *testing.T, p *importer.Planner, csv string) importer.Plan {
	t.Helper()
	rows, err := p.ReadCSV([]byte(csv))
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	pl, err := p.Plan(context.Background(), rows)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

func actions(pl importer.Plan) []string {
	var out []string
	for _, s := range pl.Steps {
		out = append(out, s.Action)
	}
	return out
}

// Two businesses with different organisation numbers are two businesses,
// however alike their names and however near they are.
func TestDifferentOrganisationNumbersAreNeverDuplicates(t *testing.T) {
	p, svc := newPlanner(t)
	ctx := context.Background()
	jensen := &listing.Listing{Name: "Skomaker Jensen", OrgNumber: "974760673", Categories: []string{"sko"},
		Address: listing.Address{Street: "Marken 1", Postcode: "5017", City: "Bergen"}, Location: listing.Location{Lat: 60.3924, Lng: 5.3301},
		Status: listing.StatusPublished, Source: listing.Source{Kind: listing.SourceMunicipality}}
	if err := svc.Create(ctx, jensen, listing.Change{Actor: "admin:test", Action: listing.ActionCreate}); err != nil {
		t.Fatal(err)
	}
	pl := plan(t, p, "organisasjonsnummer;navn;gateadresse;postnummer;kategori;telefon;lat;lng\n"+
		"971524960;Skomaker Hansen;Marken 2;5017;sko;;60.3925;5.3302\n"+ // another business next door
		"974760673;Skomaker Jensen AS;Marken 1;5017;sko;55 12 34 56;60.3924;5.3301\n") // the same one, with a phone to add
	if got := actions(pl); len(got) != 2 || got[0] != importer.Create || got[1] != importer.Duplicate {
		t.Errorf("actions %v, want create (another organisation number) and duplicate (the same one)", got)
	}
}

// A possible duplicate is always the editor's decision, even when merging
// would change nothing.
func TestDuplicateThatChangesNothingIsStillOffered(t *testing.T) {
	p, svc := newPlanner(t)
	ctx := context.Background()
	existing := &listing.Listing{Name: "Skomakeren i Marken", Categories: []string{"sko"},
		Address: listing.Address{Street: "Marken 37", Postcode: "5017", City: "Bergen"}, Location: listing.Location{Lat: 60.3924, Lng: 5.3301},
		Status: listing.StatusPublished, Source: listing.Source{Kind: listing.SourceMunicipality}}
	if err := svc.Create(ctx, existing, listing.Change{Actor: "admin:test", Action: listing.ActionCreate}); err != nil {
		t.Fatal(err)
	}
	pl := plan(t, p, "navn;gateadresse;postnummer;kategori;lat;lng\nSkomakeren i Marken;Marken 37;5017;sko;60.39241;5.33011\n")
	if got := actions(pl); len(got) != 1 || got[0] != importer.Duplicate {
		t.Errorf("actions %v, want duplicate", got)
	}
	// Without coordinates the row lands at its postcode's centre, ~95 m
	// away: still the same shop, by name and street address.
	pl = plan(t, p, "navn;gateadresse;postnummer;kategori\nSkomakeren i Marken;Marken 37;5017;sko\n")
	if got := actions(pl); len(got) != 1 || got[0] != importer.Duplicate || pl.Steps[0].Match != "name_address" {
		t.Errorf("at the postcode's centre: %v (%s, %d m), want a duplicate by name and address", got, pl.Steps[0].Match, pl.Steps[0].DistanceM)
	}
	// A new row shows its values in the preview.
	pl = plan(t, p, "navn;postnummer;kategori;telefon\nNy Skredder;5003;klaer;55 11 22 33\n")
	if len(pl.Steps[0].Changes) == 0 {
		t.Error("a new row shows no values")
	}
}

// A malformed row is an error on that row; the others still preview.
func TestMalformedCSVRowsAreRowErrors(t *testing.T) {
	p, _ := newPlanner(t)
	for name, csv := range map[string]string{
		"stray quote":  "navn;postnummer;kategori\nSkomaker \"Jensen;5003;sko\nSkredder Hansen;5003;klaer\n",
		"bare quote":   "navn;postnummer;kategori\nSko\"maker;5003;sko\nSkredder Hansen;5003;klaer\n",
		"too many":     "navn;postnummer;kategori\nSkomaker;5003;sko;ekstra;felt\nSkredder Hansen;5003;klaer\n",
		"bad encoding": "navn;postnummer;kategori\nSkomaker \xff\xfe;5003;sko\nSkredder Hansen;5003;klaer\n",
		"quote at end": "navn;postnummer;kategori\nSkredder Hansen;5003;klaer\nSkomaker;5003;\"sko\n",
	} {
		rows, err := p.ReadCSV([]byte(csv))
		if err != nil {
			t.Errorf("%s: %v, want row errors", name, err)
			continue
		}
		var bad, good int
		for _, r := range rows {
			if len(r.Problems) > 0 {
				bad++
				if r.Line < 2 {
					t.Errorf("%s: a problem without its line: %+v", name, r)
				}
			} else if r.Listing.Name == "Skredder Hansen" {
				good++
			}
		}
		if bad == 0 || (name != "stray quote" && good != 1) {
			t.Errorf("%s: %d bad rows, %d good, want the bad one reported and Skredder Hansen kept: %+v", name, bad, good, rows)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"navn;postnummer;kategori\nSkomaker;5003;sko\n",
		"organisasjonsnummer,navn,gateadresse,postnummer,kategori,telefon,lat,lng\n974760673,Skomaker Jensen,Marken 1,5017,sko,55 12 34 56,60.39,5.33\n",
		"navn;postnummer;kategori\nSkomaker \"Jensen;5003;sko\n",
		"\uFEFFnavn;postnummer;kategori\n\"a\"\"b\";5003;\"sko;klaer\"\n",
		"navn;postnummer\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	p := &importer.Planner{Postcodes: testenv.Postcodes(f), Districts: testenv.Districts(f)}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := p.ReadCSV(data)
		if err != nil {
			return // a file-level problem, reported as such
		}
		for _, r := range rows {
			if r.Line < 2 {
				t.Fatalf("row without a line number: %+v", r)
			}
			if len(r.Problems) == 0 && r.Listing == nil {
				t.Fatalf("a row with neither a listing nor a problem: %+v", r)
			}
		}
	})
}

// A CSV re-import writes the fields it still feeds and proposes the ones
// an owner has set since.
func TestCSVReimportKeepsOwnersEdits(t *testing.T) {
	p, svc := newPlanner(t)
	ctx := context.Background()
	first := plan(t, p, "organisasjonsnummer;navn;postnummer;kategori;telefon;nettside\n974760673;Skomaker Jensen;5017;sko;55 11 11 11;jensen.no\n")
	if _, err := p.Apply(ctx, first, nil, listing.Change{Actor: "admin:red", Action: listing.ActionImport}); err != nil {
		t.Fatal(err)
	}
	l, err := svc.Store.GetBySource(ctx, listing.SourceImport, "orgnr:974760673")
	if err != nil {
		t.Fatal(err)
	}
	l.Phone = "+4799999999"
	if err := svc.Update(ctx, l, listing.Change{Actor: "owner:jensen@jensen.no", Action: listing.ActionOwnerEdit}); err != nil {
		t.Fatal(err)
	}
	again := plan(t, p, "organisasjonsnummer;navn;postnummer;kategori;telefon;nettside\n974760673;Skomaker Jensen;5017;sko;55 22 22 22;jensen-sko.no\n")
	s := again.Steps[0]
	if s.Action != importer.Update || len(s.Suggestions) != 1 || s.Suggestions[0].Field != "phone" {
		t.Fatalf("step %s, suggestions %+v", s.Action, s.Suggestions)
	}
	done, err := p.Apply(ctx, again, nil, listing.Change{Actor: "admin:red", Action: listing.ActionImport})
	if err != nil || done.Updated != 1 || done.Suggested != 1 {
		t.Fatalf("apply: %+v %v", done, err)
	}
	got, _ := svc.Store.Get(ctx, l.ID)
	if got.Phone != "+4799999999" || got.Website != "https://jensen-sko.no" {
		t.Errorf("after the re-import: phone %q (the owner's), website %q (still the file's)", got.Phone, got.Website)
	}
}

// A row without coordinates is placed at its address when the geocoder
// finds it, and at its postcode's centre, marked approximate, when not.
func TestCSVRowsAreGeocoded(t *testing.T) {
	p, _ := newPlanner(t)
	addresses := geocodertest.Start(t, geocodertest.Address{Text: "Marken 37", Postcode: "5017", City: "Bergen", Municipality: "4601", Lat: 60.39245, Lon: 5.33012})
	p.Geocoder = geocoder.New(addresses.URL, slog.New(slog.DiscardHandler))
	pl := plan(t, p, "navn;gateadresse;postnummer;kategori\nSkomaker A;Marken 37;5017;sko\nSkomaker B;Ukjentveien 9;5017;sko\n")
	a, b := pl.Steps[0], pl.Steps[1]
	if a.Approximate || a.Listing.ApproximatePosition || a.Listing.Location.Lat != 60.39245 {
		t.Errorf("a known address: %+v approximate %v", a.Listing.Location, a.Approximate)
	}
	if !b.Approximate || !b.Listing.ApproximatePosition {
		t.Errorf("an unknown address: approximate %v", b.Approximate)
	}
}

// A file that is not GeoJSON is explained in words, without the decoder's
// Go type names.
func TestGeoJSONProblemsInWords(t *testing.T) {
	p := &importer.Planner{}
	for body, want := range map[string]string{
		`{"type":"FeatureCollection","features":[1]}`: `the field "features" has a number`,
		`{"type":"FeatureCollection","features":{"a"`: `not valid JSON`,
		`{"type":"FeatureCollection","features":"x"}`: `the field "features" has a string`,
	} {
		_, err := p.ReadGeoJSON([]byte(body))
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "importer.") || strings.Contains(err.Error(), "Go ") {
			t.Errorf("%s: %v, want %q", body, err, want)
		}
	}
}
