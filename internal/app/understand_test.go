package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/coverage"
)

// understoodResponse is /api/v1/search with what the text was read as and
// the next steps of an empty answer.
type understoodResponse struct {
	searchResponse
	Interpreted *struct {
		Categories []string `json:"categories"`
		Districts  []string `json:"districts"`
		Kinds      []string `json:"kinds"`
		Near       *struct {
			Name     string
			Lat, Lng float64
		} `json:"near"`
		Ignored    []string `json:"ignored"`
		Terms      []string `json:"terms"`
		Understood []struct {
			Word, How string
		} `json:"understood"`
	} `json:"interpreted"`
	Alternatives []struct {
		Reason, URL, Label string
		Total              int
	} `json:"alternatives"`
}

func (e *env) understood(params url.Values) understoodResponse {
	e.t.Helper()
	status, body := e.get("/api/v1/search?" + params.Encode())
	if status != http.StatusOK {
		e.t.Fatalf("search %v: status %d: %s", params, status, body)
	}
	var r understoodResponse
	if err := json.Unmarshal(body, &r); err != nil {
		e.t.Fatalf("search %v: %v", params, err)
	}
	return r
}

func TestSearchReadsWhatResidentsType(t *testing.T) {
	e := start(t, setup{})
	importRealData(t, e)
	e.waitIndexed()

	r := e.understood(url.Values{"q": {"bytte glidelås jakke"}})
	in := r.Interpreted
	if in == nil || !slices.Equal(in.Categories, []string{"klaer"}) || !slices.Contains(in.Ignored, "bytte") || len(in.Understood) != 2 || len(in.Terms) != 0 {
		t.Fatalf("interpreted %+v", in)
	}
	if r.Total != 7 {
		t.Errorf("bytte glidelås jakke: %d hits %v, want the 7 tailors", r.Total, names(r.searchResponse))
	}

	r = e.understood(url.Values{"q": {"skomaker åsane"}})
	if r.Interpreted.Near == nil || r.Interpreted.Near.Name != "Åsane" || !slices.Equal(r.Interpreted.Districts, []string{"asane"}) {
		t.Fatalf("skomaker åsane: near %+v districts %v", r.Interpreted.Near, r.Interpreted.Districts)
	}
	plain := e.search(url.Values{"q": {"skomaker"}})
	if r.Total != 6 || slices.Equal(names(r.searchResponse), names(plain)) {
		t.Errorf("skomaker åsane %v is the same list as skomaker %v", names(r.searchResponse), names(plain))
	}
	for i, h := range r.Hits {
		if h.DistanceM == nil || (i > 0 && *h.DistanceM < *r.Hits[i-1].DistanceM) {
			t.Errorf("skomaker åsane: hit %d %s not in order of distance from Åsane", i, h.Name)
		}
	}

	for q, want := range map[string]string{"smykke": "ur-smykker", "glidel": "klaer", "klokkebatteri": "ur-smykker", "sy": "klaer"} {
		r := e.understood(url.Values{"q": {q}})
		if r.Total == 0 {
			t.Errorf("%s: nothing", q)
		}
		for _, h := range r.Hits {
			if !slices.Contains(h.Categories, want) {
				t.Errorf("%s: %s (%v), want only %s", q, h.Name, h.Categories, want)
			}
		}
	}
	if r := e.understood(url.Values{"q": {"glidelås"}, "literal": {"true"}}); r.Interpreted != nil {
		t.Errorf("a literal search was read: %+v", r.Interpreted)
	}
	if status, _ := e.get("/api/v1/search?q=x&literal=maybe"); status != 400 {
		t.Errorf("literal=maybe: %d, want 400", status)
	}
}

func TestEmptySearchSaysWhyAndWhatNext(t *testing.T) {
	sunday := mustTime("2026-11-29T12:00:00+01:00")
	e := start(t, setup{now: sunday})
	importRealData(t, e)
	e.waitIndexed()

	reasons := func(r understoodResponse) map[string]int {
		out := map[string]int{}
		for _, a := range r.Alternatives {
			if a.URL == "" || a.Label == "" || strings.Contains(a.Label, "alt.") {
				t.Errorf("alternative without a link or label: %+v", a)
			}
			out[a.Reason+" "+a.URL] = a.Total
		}
		return out
	}
	r := e.understood(url.Values{"q": {"vaskemaskin"}})
	got := reasons(r)
	if r.Total != 0 || got["none_in_category /tips-oss?category=hvitevarer"] != 0 || len(r.Alternatives) < 2 ||
		r.Alternatives[0].Reason != "none_in_category" || !strings.Contains(r.Alternatives[0].Label, "Hvitevarer") {
		t.Errorf("vaskemaskin: %+v", r.Alternatives)
	}
	if got["none_in_category /?category=reparasjonskafe"] != 1 || got["none_in_category /?category=elektronikk"] != 3 {
		t.Errorf("vaskemaskin: want the repair café (1) and electronics (3) offered: %v", got)
	}

	r = e.understood(url.Values{"q": {"skomaker"}, "open_now": {"true"}, "lang": {"nb"}})
	if len(r.Alternatives) != 1 || r.Alternatives[0].Reason != "closed_now" || r.Alternatives[0].Total != 6 ||
		!strings.Contains(r.Alternatives[0].Label, "nærmeste åpner i morgen 09:00") || r.Alternatives[0].URL != "/?q=skomaker" {
		t.Errorf("skomaker open now on a Sunday: %+v", r.Alternatives)
	}
	r = e.understood(url.Values{"q": {"skomaker"}, "open_now": {"true"}, "lang": {"en"}})
	if len(r.Alternatives) != 1 || !strings.Contains(r.Alternatives[0].Label, "the first opens tomorrow 09:00") {
		t.Errorf("in English: %+v", r.Alternatives)
	}
	r = e.understood(url.Values{"q": {"skomaker"}, "district": {"asane"}})
	if got := reasons(r); got["none_in_district /?q=skomaker"] != 6 {
		t.Errorf("skomaker in Åsane: %v", got)
	}
	r = e.understood(url.Values{"q": {"kobbersmed"}})
	if got := reasons(r); got["unknown_words /"] != 25 {
		t.Errorf("kobbersmed: %v", got)
	}
	r = e.understood(url.Values{"q": {"skomaker"}, "lat": {"60.4656"}, "lng": {"5.3224"}, "radius_m": {"1000"}})
	if len(r.Alternatives) != 1 || r.Alternatives[0].Reason != "outside_radius" || !strings.Contains(r.Alternatives[0].Label, "km") {
		t.Errorf("skomaker within 1 km of Åsane: %+v", r.Alternatives)
	}

	_, page := e.get("/?q=vaskemaskin")
	for _, want := range []string{"Vi kjenner ikke til noen som reparerer «Hvitevarer» i Bergen ennå.", `href="/tips-oss?category=hvitevarer"`, `href="/?category=reparasjonskafe"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the empty page lacks %s", want)
		}
	}
	_, page = e.get("/?q=skomaker&open_now=true")
	if !strings.Contains(string(page), "nærmeste åpner i morgen 09:00") || !strings.Contains(string(page), `class="filter-pill" href="/?q=skomaker"`) {
		t.Errorf("the closed-now page lacks the first opening or the removable Åpen nå pill")
	}
}

func TestMissedSearchesCountOnlySubmittedSearchesWithTheirCause(t *testing.T) {
	sunday := mustTime("2026-11-29T12:00:00+01:00")
	e := start(t, setup{now: sunday})
	importRealData(t, e)
	e.waitIndexed()
	for i := 0; i < 9; i++ { // typing: never counted
		e.get("/_/resultater?q=glidel%C3%A5sx&typing=1")
	}
	for i := 0; i < coverage.MinDaily; i++ {
		e.get("/?q=kobbersmed")
		e.get("/_/resultater?q=vaskemaskin")
		e.get("/?q=skomaker&open_now=true")
	}
	missed, err := e.app.Store.Missed(context.Background(), "2026-11-29", "2026-11-29")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]coverage.Cause{}
	for _, m := range missed {
		got[m.Miss.Query] = m.Miss.Cause
	}
	want := map[string]coverage.Cause{"kobbersmed": coverage.CauseUnknownWords, "vaskemaskin": coverage.CauseNoListings, "skomaker": coverage.CauseClosed}
	if len(got) != len(want) {
		t.Errorf("missed %+v, want %v (no typing)", missed, want)
	}
	for q, c := range want {
		if got[q] != c {
			t.Errorf("%s: cause %q, want %q", q, got[q], c)
		}
	}
}

func TestTipFormReachesTheQueue(t *testing.T) {
	e := start(t, setup{})
	v := e.visitor()
	page := v.get("/tips-oss?category=hvitevarer")
	if page.Status != 200 || !strings.Contains(page.Body, `<option value="hvitevarer" selected>`) {
		t.Fatalf("tip form: %d", page.Status)
	}
	token := csrfOf(t, page)
	tips := func() int {
		ts, err := e.app.Store.OpenTips(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return len(ts)
	}
	if a := v.post("/tips-oss", url.Values{"_csrf": {token}, "category": {"hvitevarer"}, "name": {""}, "where": {"Kokstad"}}); a.Status != 400 || tips() != 0 {
		t.Errorf("a tip without a name: %d, %d stored", a.Status, tips())
	}
	if a := v.post("/tips-oss", url.Values{"_csrf": {token}, "name": {"Robot"}, "where": {"x"}, "website": {"spam"}}); a.Status != 303 || tips() != 0 {
		t.Errorf("the honeypot: %d, %d stored", a.Status, tips())
	}
	if a := v.post("/tips-oss", url.Values{"name": {"Uten token"}, "where": {"x"}}); a.Status != 403 || tips() != 0 {
		t.Errorf("without a CSRF token: %d, %d stored", a.Status, tips())
	}
	a := v.post("/tips-oss", url.Values{"_csrf": {token}, "category": {"hvitevarer"}, "name": {"Kokstad Hvitevareservice"}, "where": {"Kokstadvegen 1"}})
	if a.Status != 303 || a.Location != "/tips-oss?sendt=1" || tips() != 1 {
		t.Errorf("a good tip: %d → %q, %d stored", a.Status, a.Location, tips())
	}
	limited := 0
	for i := 0; i < 30 && limited == 0; i++ {
		if a := v.post("/tips-oss", url.Values{"_csrf": {token}, "name": {"N"}, "where": {"W"}}); a.Status == 429 {
			limited = i + 1
		}
	}
	if limited == 0 {
		t.Error("30 tips from one client were all taken: no rate limit")
	}
	_ = time.Second
}

// Implied categories come first, then other listings that match the words
// not understood; pages run through both lists without a gap or a repeat.
func TestImpliedCategoriesFirstThenTextMatchesAcrossPages(t *testing.T) {
	e := start(t, setup{})
	for i, name := range []string{"Sykkel A", "Sykkel B", "Sykkel C"} {
		l := place(name, [2]float64{60.39 + float64(i)/100, 5.32}, []string{"sykkel"}, "")
		if i == 2 {
			l.Services = []string{"shimano"}
		}
		e.create(l)
	}
	for _, name := range []string{"Sport Shimano", "Friluft Shimano"} {
		l := place(name, [2]float64{60.40, 5.33}, []string{"sport-friluft"}, "")
		l.Services = []string{"shimano"}
		e.create(l)
	}
	e.create(place("Skredder Uten", nordnes, []string{"klaer"}, ""))
	e.waitIndexed()

	var seen []string
	for page := 1; page <= 3; page++ {
		r := e.understood(url.Values{"q": {"sykkel shimano"}, "per_page": {"2"}, "page": {strconv.Itoa(page)}})
		if r.Total != 5 || r.Facets.Category["sykkel"] != 3 || r.Facets.Category["sport-friluft"] != 2 {
			t.Fatalf("page %d: total %d facets %v, want 5: the 3 bike shops and the 2 that name shimano", page, r.Total, r.Facets.Category)
		}
		seen = append(seen, names(r.searchResponse)...)
	}
	if len(seen) != 5 || seen[0] != "Sykkel C" || !slices.Contains(seen[3:], "Sport Shimano") || !slices.Contains(seen[3:], "Friluft Shimano") {
		t.Errorf("pages: %v, want Sykkel C (names shimano) first, the other bike shops, then the two others", seen)
	}
	slices.Sort(seen)
	if len(slices.Compact(seen)) != 5 {
		t.Errorf("a listing repeated across pages: %v", seen)
	}
}
