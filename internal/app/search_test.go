package app_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// haversine is an independent great-circle distance in metres.
func haversine(lat1, lng1, lat2, lng2 float64) float64 {
	const r = 6371000.0
	rad := math.Pi / 180
	dLat, dLng := (lat2-lat1)*rad, (lng2-lng1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

func TestSearchDistanceOrderAndRadius(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	origin := torgallmenningen
	params := url.Values{"lat": {fmt.Sprint(origin[0])}, "lng": {fmt.Sprint(origin[1])}}
	r := e.search(params)
	if r.Total != 6 {
		t.Fatalf("total = %d, want the 6 published listings (hidden one excluded): %v", r.Total, names(r))
	}
	type ranked struct {
		name string
		d    float64
	}
	var want []ranked
	for _, h := range r.Hits {
		want = append(want, ranked{h.Name, haversine(origin[0], origin[1], h.Location.Lat, h.Location.Lng)})
		if h.DistanceM == nil {
			t.Fatalf("%s has no distance_m", h.Name)
		}
		if got, exp := float64(*h.DistanceM), haversine(origin[0], origin[1], h.Location.Lat, h.Location.Lng); math.Abs(got-exp) > 2 {
			t.Errorf("%s: distance_m = %v, haversine says %.1f", h.Name, got, exp)
		}
	}
	sort.SliceStable(want, func(i, j int) bool { return want[i].d < want[j].d })
	for i, h := range r.Hits {
		if h.Name != want[i].name {
			t.Errorf("hit %d = %s, want %s (by haversine)", i, h.Name, want[i].name)
		}
	}

	// Radius edges: Nordnes Søm lies d metres away; a radius 15 m short of
	// it excludes it, one 15 m past it includes it.
	d := haversine(origin[0], origin[1], nordnes[0], nordnes[1])
	for _, tt := range []struct {
		radius int
		want   []string
	}{
		{int(d) - 15, []string{"Skomaker Sentrum"}},
		{int(d) + 15, []string{"Skomaker Sentrum", "Nordnes Søm"}},
	} {
		p := url.Values{"lat": params["lat"], "lng": params["lng"], "radius_m": {fmt.Sprint(tt.radius)}}
		if got := names(e.search(p)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("radius %d m (Nordnes at %.0f m): %v, want %v", tt.radius, d, got, tt.want)
		}
	}
}

func TestSearchBBoxAndDistrict(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	// A viewport around the city centre: Torgallmenningen and Nordnes.
	r := e.search(url.Values{"bbox": {"5.30,60.385,5.335,60.40"}})
	if got, want := names(r), []string{"Nordnes Søm", "Skomaker Sentrum"}; !reflect.DeepEqual(got, want) {
		t.Errorf("bbox: %v, want %v", got, want)
	}
	// The same box with latitude and longitude swapped finds nothing: the
	// adapter must not flip them.
	if r := e.search(url.Values{"bbox": {"60.385,5.30,60.40,5.335"}}); r.Total != 0 {
		t.Errorf("swapped bbox found %v", names(r))
	}
	r = e.search(url.Values{"district": {"fana"}})
	if got, want := names(r), []string{"Skomaker Lagunen", "Urmaker Nesttun"}; !reflect.DeepEqual(got, want) {
		t.Errorf("district=fana: %v, want %v", got, want)
	}
	r = e.search(url.Values{"district": {"fana", "asane"}, "category": {"sko", "sykkel"}})
	if got, want := names(r), []string{"Skomaker Lagunen", "Sykkelverksted Åsane"}; !reflect.DeepEqual(got, want) {
		t.Errorf("(fana OR asane) AND (sko OR sykkel): %v, want %v", got, want)
	}
	r = e.search(url.Values{"voucher": {"true"}})
	if got, want := names(r), []string{"Skomaker Lagunen", "Sykkelverksted Åsane"}; !reflect.DeepEqual(got, want) {
		t.Errorf("voucher: %v, want %v", got, want)
	}
}

func TestSearchFacetsAndPagination(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	r := e.search(url.Values{"per_page": {"2"}, "page": {"2"}})
	wantCat := map[string]int{"sko": 2, "klaer": 1, "sykkel": 1, "mobil-data": 1, "elektronikk": 1, "ur-smykker": 1}
	wantDist := map[string]int{"bergenhus": 2, "asane": 1, "arstad": 1, "fana": 2}
	if !reflect.DeepEqual(r.Facets.Category, wantCat) || !reflect.DeepEqual(r.Facets.District, wantDist) {
		t.Errorf("facets = %v %v, want %v %v", r.Facets.Category, r.Facets.District, wantCat, wantDist)
	}
	if r.Total != 6 || r.Page != 2 || r.PerPage != 2 || len(r.Hits) != 2 {
		t.Errorf("page 2 of 2: total %d page %d per_page %d hits %d", r.Total, r.Page, r.PerPage, len(r.Hits))
	}
	// Browse order is by name, so page 2 of 2 holds the 3rd and 4th names.
	if got, want := names(r), []string{"Skomaker Lagunen", "Skomaker Sentrum"}; !reflect.DeepEqual(got, want) {
		t.Errorf("page 2: %v, want %v", got, want)
	}
	r = e.search(url.Values{"category": {"sko"}})
	if !reflect.DeepEqual(r.Facets.Category, map[string]int{"sko": 2}) || r.Total != 2 {
		t.Errorf("category=sko facets %v total %d", r.Facets.Category, r.Total)
	}
}

func TestSearchTypoAndSynonyms(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	// Each word is searched twice: read by the query reader, and literally
	// (literal=true), where Meilisearch's own typo tolerance and synonyms
	// (search/synonyms.json) must still find the same places.
	tests := []struct {
		q    string
		want []string
	}{
		{"skomakr", []string{"Skomaker Lagunen", "Skomaker Sentrum"}}, // a typo
		{"glidelås", []string{"Nordnes Søm"}},                         // synonym of skredder
		{"skredder", []string{"Nordnes Søm"}},                         // trade name, not in the listing's own text
		{"såle", []string{"Skomaker Lagunen", "Skomaker Sentrum"}},    // synonym of skomaker
		{"skjermbytte", []string{"Nattåpen Mobilfiks"}},
		{"sykkelservice", []string{"Sykkelverksted Åsane"}},
		{"batteribytte", []string{"Urmaker Nesttun"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got := names(e.search(url.Values{"q": {tt.q}, "literal": {"true"}}))
			sort.Strings(got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("literal q=%q: %v, want %v", tt.q, got, tt.want)
			}
			read := e.search(url.Values{"q": {tt.q}})
			if len(read.Hits) == 0 || !slices.Contains(tt.want, read.Hits[0].Name) {
				t.Errorf("q=%q read: %v, want one of %v first", tt.q, names(read), tt.want)
			}
		})
	}
	// Read, a battery change is also a phone's and an e-bike's: the
	// watchmaker comes first (the word is its synonym), the others follow.
	if got := names(e.search(url.Values{"q": {"batteribytte"}})); len(got) != 3 {
		t.Errorf("batteribytte read: %v, want the watchmaker, the phone shop and the e-bike shop", got)
	}
}

func TestSearchOpenAt(t *testing.T) {
	// The index holds open slots for the days after the clock's time, so
	// each case sets the clock shortly before the instant it asks about.
	tests := []struct {
		name  string
		clock string
		at    string
		want  []string
	}{
		{"Monday 11:00 winter", "2026-11-23T08:00:00+01:00", "2026-11-23T11:00:00+01:00",
			[]string{"Nordnes Søm", "Skomaker Lagunen", "Skomaker Sentrum", "Sykkelverksted Åsane"}},
		{"Monday 16:45: Nordnes closed at 16:30", "2026-11-23T08:00:00+01:00", "2026-11-23T16:45:00+01:00",
			[]string{"Skomaker Lagunen", "Skomaker Sentrum", "Sykkelverksted Åsane"}},
		{"Monday 16:29: Nordnes still open, to the minute", "2026-11-23T08:00:00+01:00", "2026-11-23T16:29:00+01:00",
			[]string{"Nordnes Søm", "Skomaker Lagunen", "Skomaker Sentrum", "Sykkelverksted Åsane"}},
		{"Saturday 11:00", "2026-11-23T08:00:00+01:00", "2026-11-28T11:00:00+01:00", []string{"Skomaker Sentrum"}},
		{"past midnight: Saturday 02:30 after Friday night", "2026-11-23T08:00:00+01:00", "2026-11-28T02:30:00+01:00",
			[]string{"Nattåpen Mobilfiks"}},
		{"past midnight: Saturday 03:00 closed", "2026-11-23T08:00:00+01:00", "2026-11-28T03:00:00+01:00", []string{}},
		{"DST spring night: 01:59 CET still open", "2026-03-26T12:00:00+01:00", "2026-03-29T01:59:00+01:00",
			[]string{"Nattåpen Mobilfiks"}},
		{"DST spring night: 03:00 CEST closed", "2026-03-26T12:00:00+01:00", "2026-03-29T03:00:00+02:00", []string{}},
		{"DST autumn night: second 02:30 (CET) open", "2026-10-22T12:00:00+02:00", "2026-10-25T02:30:00+01:00",
			[]string{"Nattåpen Mobilfiks"}},
		{"DST autumn night: 03:00 CET closed", "2026-10-22T12:00:00+02:00", "2026-10-25T03:00:00+01:00", []string{}},
		{"Christmas Eve exception: 12:30 open", "2026-12-21T08:00:00+01:00", "2026-12-24T12:30:00+01:00",
			[]string{"Nordnes Søm", "Skomaker Lagunen", "Skomaker Sentrum", "Sykkelverksted Åsane"}},
		{"Christmas Eve exception: 13:30 closes Sentrum early", "2026-12-21T08:00:00+01:00", "2026-12-24T13:30:00+01:00",
			[]string{"Nordnes Søm", "Skomaker Lagunen", "Sykkelverksted Åsane"}},
		{"Christmas Day public holiday: Sentrum (PH off) closed", "2026-12-21T08:00:00+01:00", "2026-12-25T11:00:00+01:00",
			[]string{"Nordnes Søm", "Skomaker Lagunen", "Sykkelverksted Åsane"}},
	}
	// Indexed once, before the first of these nights: the index answers
	// exactly through the year without being refreshed.
	e := start(t, setup{now: mustTime("2026-03-26T08:00:00+01:00")})
	e.seed()
	e.waitIndexed()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.clock.Set(mustTime(tt.clock))
			r := e.search(url.Values{"open_at": {tt.at}, "per_page": {"100"}})
			got := names(r)
			sort.Strings(got)
			if !reflect.DeepEqual(got, tt.want) || r.Total != len(tt.want) {
				t.Errorf("open_at=%s: %v (total %d), want %v", tt.at, got, r.Total, tt.want)
			}
		})
	}
}

func TestSearchOpenNowKeepsTotalsAndPages(t *testing.T) {
	e := start(t, setup{now: mustTime("2026-11-23T11:00:00+01:00")})
	e.seed()
	r := e.search(url.Values{"open_now": {"true"}, "per_page": {"3"}, "page": {"2"}})
	if r.Total != 4 || len(r.Hits) != 1 {
		t.Errorf("open now, page 2 of 3-per-page: total %d, %d hits, want total 4 and 1 hit", r.Total, len(r.Hits))
	}
	all := e.search(url.Values{"per_page": {"100"}})
	for _, h := range all.Hits {
		switch h.Name {
		case "Urmaker Nesttun":
			if h.OpenNow != nil {
				t.Errorf("%s has unknown hours but open_now = %v", h.Name, *h.OpenNow)
			}
		case "Nattåpen Mobilfiks":
			if h.OpenNow == nil || *h.OpenNow {
				t.Errorf("%s is closed on Monday 11:00, open_now = %v", h.Name, h.OpenNow)
			}
		default:
			if h.OpenNow == nil || !*h.OpenNow {
				t.Errorf("%s is open on Monday 11:00, open_now = %v", h.Name, h.OpenNow)
			}
		}
		if h.URL != "/reparator/"+h.Slug {
			t.Errorf("url = %q", h.URL)
		}
	}
}

func TestSearchBadInput(t *testing.T) {
	e := start(t, setup{})
	long := strings.Repeat("a", 201)
	tests := []struct {
		query, code, field string
	}{
		{"category=sko+OR+district+%3D+fana", "invalid_parameter", "category"},
		{"category=sko%22+OR+district%3D%22fana", "invalid_parameter", "category"},
		{"category=skomaker", "invalid_parameter", "category"},
		{"district=oslo", "invalid_parameter", "district"},
		{"district=fana)+OR+(1%3D1", "invalid_parameter", "district"},
		{"q=" + long, "invalid_parameter", "q"},
		{"q=a&q=b", "invalid_parameter", "q"},
		{"lat=60.39", "invalid_parameter", "lat"},
		{"lat=abc&lng=5.3", "invalid_parameter", "lat"},
		{"lat=NaN&lng=5.3", "invalid_parameter", "lat"},
		{"lat=91&lng=5.3", "invalid_parameter", "lat"},
		{"lat=60.39&lng=5.32&radius_m=0", "invalid_parameter", "radius_m"},
		{"lat=60.39&lng=5.32&radius_m=50001", "invalid_parameter", "radius_m"},
		{"lat=60.39&lng=5.32&radius_m=1e3", "invalid_parameter", "radius_m"},
		{"radius_m=100", "invalid_parameter", "radius_m"},
		{"bbox=5.4,60.3,5.3,60.4", "invalid_parameter", "bbox"},
		{"bbox=5.3,60.4,5.4,60.3", "invalid_parameter", "bbox"},
		{"bbox=5.3,60.3,5.4", "invalid_parameter", "bbox"},
		{"bbox=5.3,60.3,5.4,Infinity", "invalid_parameter", "bbox"},
		{"open_now=yes", "invalid_parameter", "open_now"},
		{"open_now=true&open_at=2026-11-23T12:00:00%2B01:00", "invalid_parameter", "open_at"},
		{"open_at=tomorrow", "invalid_parameter", "open_at"},
		{"open_at=2027-02-23T12:00:00%2B01:00", "invalid_parameter", "open_at"}, // three months ahead
		{"open_at=2026-11-01T12:00:00%2B01:00", "invalid_parameter", "open_at"}, // weeks ago
		{"voucher=1", "invalid_parameter", "voucher"},
		{"page=0", "invalid_parameter", "page"},
		{"page=-1", "invalid_parameter", "page"},
		{"page=1.5", "invalid_parameter", "page"},
		{"per_page=101", "invalid_parameter", "per_page"},
		{"per_page=0", "invalid_parameter", "per_page"},
		{"filter=district%3Dfana", "unknown_parameter", "filter"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			status, body := e.get("/api/v1/search?" + tt.query)
			var resp struct {
				Error struct{ Code, Message, Field string }
			}
			if err := json.Unmarshal(body, &resp); err != nil {
				t.Fatalf("not JSON: %s", body)
			}
			if status != http.StatusBadRequest || resp.Error.Code != tt.code || resp.Error.Field != tt.field || resp.Error.Message == "" {
				t.Errorf("status %d error %+v, want 400 %s on %s with a message", status, resp.Error, tt.code, tt.field)
			}
		})
	}
}
