package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// fetch GETs path with the given request headers and returns the answer
// with its body read.
func (e *env) fetch(path string, header map[string]string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest("GET", e.base+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	ctx, cancel := context.WithTimeout(req.Context(), time.Minute) // a hung request fails the test, not the run
	defer cancel()
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections() // one connection a request, closed: a polling loop must not run out of files
	resp, err := tr.RoundTrip(req.WithContext(ctx))
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, string(body)
}

func TestSearchPage(t *testing.T) {
	e := start(t, setup{})
	e.seed()

	resp, body := e.fetch("/?q=skomaker&postnr=5003", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `<html lang="nb"`) {
		t.Fatalf("status %d: %.300s", resp.StatusCode, body)
	}
	if got := regexp.MustCompile(`<li class="result" id="r-([a-z0-9-]+)"`).FindAllStringSubmatch(body, -1); len(got) != 2 ||
		got[0][1] != "skomaker-sentrum" || got[1][1] != "skomaker-lagunen" {
		t.Errorf("shoemakers nearest 5003 first: %v", got)
	}
	for _, want := range []string{`2 treff`, `Nær 5003 Bergen`, `Åpent nå`, `value="skomaker"`, `<link rel="canonical" href="http://localhost:8080/?postnr=5003&amp;q=skomaker">`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control = %q", cc)
	}

	// Bad values are a 400 page that says what is wrong, never a 500.
	for path, want := range map[string]string{
		"/?postnr=9999":                   "«9999» er ikke et postnummer i Bergen",
		"/?district=atlantis":             "Ukjent bydel",
		"/?category=sko&page=0":           "Sidetallet kan ikke brukes",
		"/?q=" + strings.Repeat("a", 201): "høyst 200 tegn",
		"/_/resultater?bbox=1,2":          "Kartutsnittet kan ikke brukes",
	} {
		resp, body := e.fetch(path, nil)
		if resp.StatusCode != 400 || !strings.Contains(body, want) {
			t.Errorf("%s: %d, want 400 saying %q: %.200s", path, resp.StatusCode, want, body)
		}
	}
	// Parameters of other sites (tracking) are ignored by the page.
	if resp, _ := e.fetch("/?utm_source=x&fbclid=y", nil); resp.StatusCode != 200 {
		t.Errorf("a link with tracking parameters: %d", resp.StatusCode)
	}
}

func TestListingAndErrorPages(t *testing.T) {
	e := start(t, setup{})
	e.seed()

	resp, body := e.fetch("/reparator/skomaker-sentrum", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{`Åpent nå – stenger 17:00`, `"@type":"LocalBusiness"`, `sålereparasjon`, `Ikke verifisert ennå`, `href="/reparator/skomaker-sentrum/meld-feil"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the listing page lacks %q", want)
		}
	}
	// A hidden listing is not there for the public, in either language.
	resp, body = e.fetch("/reparator/skjult-skomaker", nil)
	if resp.StatusCode != 404 || !strings.Contains(body, "Fant ikke siden") || !strings.Contains(body, `<meta name="robots" content="noindex">`) {
		t.Errorf("hidden listing: %d %.300s", resp.StatusCode, body)
	}
	resp, body = e.fetch("/reparator/skjult-skomaker?lang=en", nil)
	if resp.StatusCode != 404 || !strings.Contains(body, "Page not found") {
		t.Errorf("hidden listing in English: %d", resp.StatusCode)
	}
	// The API keeps answering JSON.
	resp, body = e.fetch("/api/v1/repairers/skjult-skomaker", nil)
	if resp.StatusCode != 404 || !strings.HasPrefix(body, `{"error"`) {
		t.Errorf("API 404: %d %s", resp.StatusCode, body)
	}
	// The remembered language.
	resp, _ = e.fetch("/om?lang=en", nil)
	if c := resp.Header.Get("Set-Cookie"); !strings.Contains(c, "lang=en") || !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
		t.Errorf("Set-Cookie = %q", c)
	}
	_, body = e.fetch("/om", map[string]string{"Cookie": "lang=en"})
	if !strings.Contains(body, "Postcode data from Erik Bolstad") || !strings.Contains(body, "© OpenStreetMap contributors") {
		t.Errorf("about page in English lacks the attributions")
	}

	_, sitemap := e.fetch("/sitemap.xml", nil)
	if n := strings.Count(sitemap, "/reparator/"); n != 6 || strings.Contains(sitemap, "skjult") {
		t.Errorf("sitemap lists %d listings (want the 6 published, not the hidden one)", n)
	}
}

func TestAssetsAndSuggestions(t *testing.T) {
	e := start(t, setup{})
	e.seed()

	_, page := e.fetch("/", nil)
	js := regexp.MustCompile(`src="(/assets/app-[A-Z0-9]+\.js)"`).FindStringSubmatch(page)
	if js == nil {
		t.Fatal("no hashed script on the page")
	}
	resp, body := e.fetch(js[1], map[string]string{"Accept-Encoding": "gzip, br"})
	if resp.Header.Get("Content-Encoding") != "br" || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || len(body) > 70_000 {
		t.Errorf("script: %s, %q, %d bytes", resp.Header.Get("Content-Encoding"), resp.Header.Get("Cache-Control"), len(body))
	}
	if resp, _ := e.fetch("/assets/app-NOPE.js", nil); resp.StatusCode != 404 {
		t.Errorf("unknown asset: %d", resp.StatusCode)
	}

	var got struct {
		Suggestions []struct{ Kind, Value, Label string }
	}
	resp, body = e.fetch("/api/v1/suggest?q=s%C3%A5le&lang=en", nil)
	if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	kinds := map[string]string{}
	for _, s := range got.Suggestions {
		kinds[s.Value] = s.Kind
	}
	if kinds["sålereparasjon"] == "" || kinds["sko"] != "category" || kinds["sålen"] != "" || len(kinds) > 6 {
		t.Errorf("suggest såle = %+v, want the category sko and the service, not the word's own forms", got.Suggestions)
	}
	// A prefix of a vocabulary word completes it and names its category;
	// a category nobody repairs is never offered.
	for q, want := range map[string][]string{"glid": {"category klaer", "word glidelås"}, "vaskem": nil} {
		_, body := e.fetch("/api/v1/suggest?q="+url.QueryEscape(q), nil)
		var sg struct {
			Suggestions []struct{ Kind, Value string }
		}
		if err := json.Unmarshal([]byte(body), &sg); err != nil {
			t.Fatal(err)
		}
		var have []string
		for _, s := range sg.Suggestions {
			have = append(have, s.Kind+" "+s.Value)
		}
		for _, w := range want {
			if !slices.Contains(have, w) {
				t.Errorf("suggest %s = %v, want %s", q, have, w)
			}
		}
		if want == nil && len(have) > 0 {
			t.Errorf("suggest %s = %v: nobody repairs household appliances in the fixture", q, have)
		}
	}
	_, body = e.fetch("/api/v1/suggest?q=skom&lang=en", nil)
	if !strings.Contains(body, `{"kind":"category","value":"sko","label":"Shoes, bags \u0026 leather"}`) {
		t.Errorf("suggest skom = %s", body)
	}
	for path, code := range map[string]string{
		"/api/v1/suggest":                              "invalid_parameter",
		"/api/v1/suggest?q=%20":                        "invalid_parameter",
		"/api/v1/suggest?q=sko&lang=de":                "invalid_parameter",
		"/api/v1/suggest?q=sko&limit=3":                "unknown_parameter",
		"/api/v1/suggest?q=" + strings.Repeat("x", 51): "invalid_parameter",
		"/api/v1/suggest?q=sko&q=sy":                   "invalid_parameter",
	} {
		resp, body := e.fetch(path, nil)
		if resp.StatusCode != 400 || !strings.Contains(body, `"code":"`+code+`"`) {
			t.Errorf("%s: %d %s, want 400 %s", path, resp.StatusCode, body, code)
		}
	}
}

func TestErrorReports(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	v := e.visitor()
	form := "/reparator/skomaker-sentrum/meld-feil"
	page := v.get(form)
	if page.Status != 200 {
		t.Fatalf("form: %d", page.Status)
	}
	token := csrfOf(t, page)
	post := func(v *visitor, values url.Values) (int, string, string) {
		t.Helper()
		a := v.post(form, values)
		return a.Status, a.Location, a.Body
	}
	reports := func() int {
		t.Helper()
		rs, err := e.app.Store.OpenReports(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}

	status, location, _ := post(v, url.Values{"_csrf": {token}, "reason": {"hours"}, "message": {"Stengt på lørdager nå."}})
	if status != 303 || location != "/reparator/skomaker-sentrum?meldt=1" || reports() != 1 {
		t.Errorf("a good report: %d → %q, %d stored", status, location, reports())
	}
	rs, _ := e.app.Store.OpenReports(context.Background())
	if got := rs[0]; got.Reason != "hours" || got.Message != "Stengt på lørdager nå." || got.Email != "" {
		t.Errorf("stored %+v", got)
	}
	// Without the token (another site's form posting here): refused.
	status, _, _ = post(v, url.Values{"reason": {"hours"}, "message": {"x"}})
	if status != 403 || reports() != 1 {
		t.Errorf("a post without the CSRF token: %d, %d stored", status, reports())
	}
	// A robot fills the honeypot: it is thanked, and nothing is stored.
	status, _, _ = post(v, url.Values{"_csrf": {token}, "reason": {"other"}, "message": {"buy now"}, "website": {"http://spam.example"}})
	if status != 303 || reports() != 1 {
		t.Errorf("honeypot: %d, %d stored", status, reports())
	}
	// Bad input is explained, and what was typed is kept.
	status, _, body := post(v, url.Values{"_csrf": {token}, "message": {"Feil nummer"}, "email": {"ikke-en-adresse"}})
	if status != 400 || !strings.Contains(body, "Velg hva som er feil.") || !strings.Contains(body, "Feil nummer") {
		t.Errorf("a report without a reason: %d %.300s", status, body)
	}
	status, _, body = post(v, url.Values{"_csrf": {token}, "reason": {"contact"}, "message": {"Feil nummer"}, "email": {"ikke-en-adresse"}})
	if status != 400 || !strings.Contains(body, "E-postadressen er ikke gyldig") {
		t.Errorf("a bad e-mail: %d", status)
	}
	// The sixth post within ten minutes from one address is refused.
	status, _, body = post(v, url.Values{"_csrf": {token}, "reason": {"other"}, "message": {"x"}})
	if status != 429 || !strings.Contains(body, "For mange forsøk") || reports() != 1 {
		t.Errorf("the sixth post: %d, %d stored", status, reports())
	}
	if resp, _ := e.fetch("/reparator/skjult-skomaker/meld-feil", nil); resp.StatusCode != 404 {
		t.Errorf("report form of a hidden listing: %d", resp.StatusCode)
	}
}
