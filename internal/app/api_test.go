package app_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestListingEndpoint(t *testing.T) {
	e := start(t, setup{now: mustTime("2026-11-23T11:00:00+01:00")})
	e.seed()
	status, body := e.get("/api/v1/repairers/skomaker-sentrum")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	var l struct {
		Name         string `json:"name"`
		District     string `json:"district"`
		Status       *string
		Version      *int
		OpeningHours struct {
			OSM        string  `json:"osm"`
			Known      bool    `json:"known"`
			OpenNow    *bool   `json:"open_now"`
			NextChange *string `json:"next_change"`
		} `json:"opening_hours"`
	}
	if err := json.Unmarshal(body, &l); err != nil {
		t.Fatal(err)
	}
	if l.Name != "Skomaker Sentrum" || l.District != "bergenhus" || l.Status != nil || l.Version != nil {
		t.Errorf("listing = %+v; want name and district, and no internal status or version", l)
	}
	h := l.OpeningHours
	if !h.Known || h.OpenNow == nil || !*h.OpenNow || h.NextChange == nil || *h.NextChange != "2026-11-23T16:00:00Z" ||
		h.OSM != "Mo-Fr 10:00-17:00; Sa 10:00-15:00; PH off; Dec 24 10:00-13:00" {
		t.Errorf("opening hours = %+v", h)
	}
	for _, path := range []string{"/api/v1/repairers/skjult-skomaker", "/api/v1/repairers/finnes-ikke", "/api/v1/nope"} {
		status, body := e.get(path)
		var resp struct{ Error struct{ Code string } }
		_ = json.Unmarshal(body, &resp)
		if status != http.StatusNotFound || resp.Error.Code != "not_found" {
			t.Errorf("GET %s: %d %s, want a 404 not_found error", path, status, body)
		}
	}
}

func TestDistrictsAndCategories(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	_, body := e.get("/api/v1/districts")
	var d struct {
		Districts []struct {
			Slug, Name string
			Count      int
		}
	}
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, x := range d.Districts {
		counts[x.Slug] = x.Count
	}
	if len(d.Districts) != 8 || counts["bergenhus"] != 2 || counts["fana"] != 2 || counts["arna"] != 0 {
		t.Errorf("districts = %+v", d.Districts)
	}
	_, body = e.get("/api/v1/categories")
	var c struct {
		Categories []struct {
			Slug, NameNB, NameEN string
			Count                int
		}
	}
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Categories) != 13 || c.Categories[0].Slug != "sko" || c.Categories[0].Count != 2 {
		t.Errorf("categories = %+v", c.Categories)
	}
	status, body := e.get("/api/v1/districts.geojson")
	if status != 200 || !strings.Contains(string(body), `"slug":"laksevag"`) {
		t.Errorf("districts.geojson: %d, %d bytes", status, len(body))
	}
}

func TestOpenData(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	status, body := e.get("/data/repairers.csv")
	if status != 200 {
		t.Fatalf("csv: %d", status)
	}
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 || rows[0][0] != "id" {
		t.Errorf("csv has %d rows, want header + 6 published", len(rows))
	}
	status, body = e.get("/data/repairers.geojson")
	var fc struct {
		Type     string
		License  string
		Features []struct {
			Geometry struct{ Coordinates [2]float64 }
		}
	}
	if err := json.Unmarshal(body, &fc); err != nil || status != 200 {
		t.Fatalf("geojson: %d %v", status, err)
	}
	if len(fc.Features) != 6 || !strings.Contains(fc.License, "NLOD") {
		t.Errorf("geojson: %d features, license %q", len(fc.Features), fc.License)
	}
	for _, f := range fc.Features { // GeoJSON is [lng, lat]; Bergen is at lng ≈ 5, lat ≈ 60
		if c := f.Geometry.Coordinates; c[0] > 10 || c[1] < 59 {
			t.Errorf("coordinates %v are not [lng, lat]", c)
		}
	}
}

func TestPublicAPIAllowsAnyOrigin(t *testing.T) {
	e := start(t, setup{})
	req, _ := http.NewRequest("GET", e.base+"/api/v1/categories", nil)
	req.Header.Set("Origin", "https://example.org")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin = %q, want *", got)
	}
}

func TestHealthz(t *testing.T) {
	e := start(t, setup{})
	if status, body := e.get("/healthz"); status != 200 || !strings.Contains(string(body), "ok") {
		t.Errorf("healthz: %d %s", status, body)
	}
	status, r := readyz(t, e)
	if status != 200 || r["store"] != "ok" || r["index"] != "ok" || r["cache"] != "disabled" || r["outbox_pending"] != float64(0) {
		t.Errorf("readyz: %d %v", status, r)
	}
}
