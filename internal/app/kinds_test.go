package app_test

import (
	"encoding/csv"
	"net/url"
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
		t.Fatalf("clothes, every kind: %v", names(all))
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
