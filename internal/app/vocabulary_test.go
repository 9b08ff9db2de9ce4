package app_test

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The municipality teaches search a word on the console; the very next
// search reads it, cached browses included, and removing it undoes that.
func TestMunicipalityExtendsTheVocabulary(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	admin := e.adminVisitor()
	read := func(q string) understoodResponse { return e.understood(url.Values{"q": {q}}) }
	if r := read("kobbersmed"); r.Interpreted == nil || len(r.Interpreted.Categories) != 0 || r.Total != 0 {
		t.Fatalf("before: %+v %v", r.Interpreted, names(r.searchResponse))
	}
	page := admin.get("/admin/ordliste?prov=kobbersmed+i+%C3%A5sane")
	if page.Status != 200 || !strings.Contains(page.Body, "Nær: Åsane") || !strings.Contains(page.Body, "Ikke forstått (søkes som tekst): kobbersmed") {
		t.Fatalf("vocabulary page: %d", page.Status)
	}
	token := csrfOf(t, page)
	bad := admin.post("/admin/ordliste", url.Values{"_csrf": {token}, "terms": {"kobbersmed"}, "kind": {"object"}, "category": {"biler"}})
	if bad.Status != 400 || !strings.Contains(bad.Body, "ukjent kategori") {
		t.Errorf("an unknown category: %d", bad.Status)
	}
	if a := admin.post("/admin/ordliste", url.Values{"terms": {"kobbersmed"}, "kind": {"object"}, "category": {"ur-smykker"}}); a.Status != 403 {
		t.Errorf("without a CSRF token: %d", a.Status)
	}
	if a := e.visitor().get("/admin/ordliste"); a.Status != 403 && a.Status != 303 {
		t.Errorf("a visitor on the vocabulary page: %d", a.Status)
	}
	ok := admin.post("/admin/ordliste", url.Values{"_csrf": {token}, "terms": {"kobbersmed, kobbersmeden"}, "kind": {"object"}, "category": {"ur-smykker"}})
	if ok.Status != 303 {
		t.Fatalf("add: %d %.300s", ok.Status, ok.Body)
	}
	r := read("kobbersmeden")
	if !slices.Equal(r.Interpreted.Categories, []string{"ur-smykker"}) || r.Total != 1 || r.Hits[0].Name != "Urmaker Nesttun" {
		t.Errorf("after adding: %+v %v", r.Interpreted, names(r.searchResponse))
	}

	file := `{"ignore": ["takk"], "groups": [{"categories": ["sykkel"], "kind": "object", "terms": ["tråsykkel"]}]}`
	if a := admin.uploadTo("/admin/ordliste", "/admin/ordliste/import", "ord.json", `{"groups": [{"categories": ["biler"], "kind": "object", "terms": ["bil"]}]}`); a.Status != 400 {
		t.Errorf("a bad file: %d", a.Status)
	}
	if a := admin.uploadTo("/admin/ordliste", "/admin/ordliste/import", "ord.json", file); a.Status != 303 {
		t.Fatalf("import: %d %.300s", a.Status, a.Body)
	}
	if r := read("tråsykkel takk"); !slices.Equal(r.Interpreted.Categories, []string{"sykkel"}) || !slices.Contains(r.Interpreted.Ignored, "takk") {
		t.Errorf("after importing: %+v", r.Interpreted)
	}
	export := admin.get("/admin/ordliste.json")
	var f struct {
		Groups []struct{ Terms []string }
	}
	if err := json.Unmarshal([]byte(export.Body), &f); err != nil || !strings.Contains(export.Body, "tråsykkel") || len(f.Groups) < 40 {
		t.Errorf("export: %v, %d groups", err, len(f.Groups))
	}

	page = admin.get("/admin/ordliste")
	del := regexpDelete.FindStringSubmatch(page.Body)
	if del == nil {
		t.Fatal("no remove button")
	}
	if a := admin.post(del[1], url.Values{"_csrf": {csrfOf(t, page)}}); a.Status != 303 {
		t.Fatalf("remove: %d", a.Status)
	}
	if r := read("kobbersmeden"); len(r.Interpreted.Categories) != 0 {
		t.Errorf("after removing: %+v", r.Interpreted)
	}
}

var regexpDelete = regexp.MustCompile(`(?s)<th scope="row">kobbersmed, kobbersmeden</th>.*?action="(/admin/ordliste/[^"]+/slett)"`)
