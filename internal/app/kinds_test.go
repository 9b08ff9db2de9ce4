package app_test

import (
	"encoding/csv"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/paths"
)

// A listing has a kind of place; the API, the search page, the framed
// search and its configurator, and the open data all know it, and a
// search for one kind finds only that kind.
func TestKindsOfPlace(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	cafe := place("Reparasjonskafé Nordnes", nordnes, []string{"klaer", "elektronikk"}, "")
	cafe.Kind = "repair_cafe"
	e.create(cafe)
	e.waitIndexed()

	all := e.search(url.Values{"category": {"klaer"}})
	if len(all.Hits) != 2 {
		t.Fatalf("clothes, the places that repair: %v", names(all))
	}
	cafes := e.search(url.Values{"category": {"klaer"}, "kind": {"repair_cafe"}})
	if len(cafes.Hits) != 1 || cafes.Hits[0].Name != cafe.Name || cafes.Hits[0].Kind != "repair_cafe" {
		t.Errorf("clothes, repair cafés: %+v", cafes.Hits)
	}
	repairers := e.search(url.Values{"category": {"klaer"}, "kind": {"repair"}})
	if len(repairers.Hits) != 1 || repairers.Hits[0].Kind != "repair" {
		t.Errorf("clothes, repairers: %+v", repairers.Hits)
	}
	if status, body := e.get("/api/v1/search?kind=pawnshop"); status != 400 || !strings.Contains(string(body), `"field":"kind"`) {
		t.Errorf("an unknown kind: %d %s", status, body)
	}
	if _, body := e.get("/api/v1/repairers/" + cafe.Slug); !strings.Contains(string(body), `"kind":"repair_cafe"`) {
		t.Errorf("the API's repairer: %s", body)
	}

	v := e.visitor()
	page := v.get("/?kind=repair_cafe")
	if !strings.Contains(page.Body, cafe.Name) || strings.Contains(page.Body, "Nordnes Søm") {
		t.Error("the search page does not filter by kind")
	}
	if !strings.Contains(page.Body, `<option value="repair_cafe" selected>`) {
		t.Error("the search page's kind filter does not show what was chosen")
	}
	config := v.get(paths.EmbedConfigurator + "?kind=repair_cafe&embed_lang=nb&height=500")
	if !strings.Contains(config.Body, "/innbygget?kind=repair_cafe&amp;lang=nb") {
		t.Errorf("the configurator's snippet does not carry the kind: %.200s", config.Body)
	}
	framed := v.get(paths.Embedded + "?kind=repair_cafe&lang=nb")
	if !strings.Contains(framed.Body, cafe.Name) || strings.Contains(framed.Body, "Skomaker Sentrum") {
		t.Error("the framed search does not filter by kind")
	}

	rows, err := csv.NewReader(strings.NewReader(v.get(paths.OpenDataCSV).Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	last := len(rows[0]) - 1
	kinds := map[string]string{}
	for _, r := range rows[1:] {
		kinds[r[3]] = r[last]
	}
	if rows[0][last] != "kind" || kinds[cafe.Name] != "repair_cafe" || kinds["Nordnes Søm"] != "repair" {
		t.Errorf("the open data's kinds: %s %v", rows[0][last], kinds)
	}
}

// The real OpenStreetMap snapshot brings its second-hand and rental places
// in beside the repairers. A search stays repair-first; words name another
// kind ("brukt jakke"); and a repair search that finds nothing offers the
// second-hand or rental places that have the thing.
func TestReuseBesideRepair(t *testing.T) {
	e := start(t, setup{})
	importRealData(t, e)
	e.waitIndexed()

	used := e.understood(url.Values{"q": {"brukt jakke"}})
	if in := used.Interpreted; in == nil || !slices.Equal(in.Kinds, []string{"second_hand"}) || !slices.Equal(in.Categories, []string{"klaer"}) {
		t.Fatalf("brukt jakke read as %+v", used.Interpreted)
	}
	if used.Total < 10 || !slices.Contains(names(used.searchResponse), "Episode") {
		t.Errorf("brukt jakke: %d hits %v, want the second-hand clothes shops, Episode among them", used.Total, names(used.searchResponse))
	}
	for _, h := range used.Hits {
		if h.Kind != "second_hand" || !slices.Contains(h.Categories, "klaer") {
			t.Errorf("brukt jakke found %s (%s, %v)", h.Name, h.Kind, h.Categories)
		}
	}
	// Repair-first: clothes are the tailors', not the shops'.
	clothes := e.search(url.Values{"category": {"klaer"}})
	if clothes.Total == 0 {
		t.Fatal("no repairer of clothes")
	}
	for _, h := range clothes.Hits {
		if h.Kind != "repair" && h.Kind != "repair_cafe" {
			t.Errorf("a default search shows %s (%s)", h.Name, h.Kind)
		}
	}
	rent := e.understood(url.Values{"q": {"leie ski"}})
	if rent.Interpreted == nil || !slices.Equal(rent.Interpreted.Kinds, []string{"rental"}) || !slices.Contains(names(rent.searchResponse), "Skattkammeret Bergen") {
		t.Errorf("leie ski: %+v %v", rent.Interpreted, names(rent.searchResponse))
	}

	// Nobody in the snapshot repairs furniture; antique shops sell it.
	furniture := e.understood(url.Values{"category": {"mobler"}})
	if furniture.Total != 0 {
		t.Fatalf("furniture has %d repairers in the snapshot: %v", furniture.Total, names(furniture.searchResponse))
	}
	var offer string
	for _, a := range furniture.Alternatives {
		if a.Reason == "other_kind" && strings.Contains(a.URL, "kind=second_hand") && a.Total >= 5 {
			offer = a.Label
		}
	}
	if !strings.Contains(offer, "bruktbutikker har «Møbler og trekking»") {
		t.Errorf("an empty furniture search offers %+v", furniture.Alternatives)
	}
	// The open data holds every kind, and filters by kind when asked.
	v := e.visitor()
	if all := v.get(paths.OpenDataCSV); strings.Count(all.Body, "\n") != 80 {
		t.Errorf("the CSV has %d lines, want a header and the 79 places", strings.Count(all.Body, "\n"))
	}
	rental := v.get(paths.OpenDataCSV + "?kind=rental")
	if rows := strings.Count(rental.Body, "\n") - 1; rows != 11 || !strings.Contains(rental.Body, "Tingotek") || strings.Contains(rental.Body, "Episode") {
		t.Errorf("the rental places' CSV has %d rows", rows)
	}
	if a := v.get("/data/repairers.geojson?kind=pawnshop"); a.Status != 400 {
		t.Errorf("an unknown kind in the open data: %d", a.Status)
	}
	if hsds := v.get("/data/hsds/services.json?kind=second_hand"); !strings.Contains(hsds.Body, `"code":"second_hand"`) || strings.Contains(hsds.Body, `"code":"repair"`) {
		t.Error("the HSDS export does not carry or filter the kind of place")
	}
	page := e.visitor().get("/?category=mobler")
	if !strings.Contains(page.Body, "bruktbutikker har «Møbler og trekking»") || !strings.Contains(page.Body, "kind=second_hand") {
		t.Error("the search page does not offer the second-hand shops")
	}
}
