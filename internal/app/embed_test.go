package app_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// The configurator makes a snippet for the chosen search; the framed page
// is the same search, compact, whose listings open in a new tab and whose
// own links stay in the frame; any site may frame it by default, a
// configured list narrows that, and every other page still refuses to be
// framed.
func TestEmbeddableSearch(t *testing.T) {
	e := start(t, setup{})
	e.seed()

	resp, page := e.fetch("/innbygging?category=sko&district=bergenhus&embed_lang=en&height=480", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("configurator: %d", resp.StatusCode)
	}
	snippet := `&lt;iframe src=&#34;http://localhost:8080/innbygget?category=sko&amp;amp;district=bergenhus&amp;amp;lang=en&#34; title=&#34;Repairers in Bergen – Bergen Reparerer&#34; width=&#34;100%&#34; height=&#34;480&#34;`
	if !strings.Contains(page, snippet) || !strings.Contains(page, `<iframe class="embed-preview" src="/innbygget?category=sko&amp;district=bergenhus&amp;lang=en" title=`) {
		t.Errorf("the configurator lacks the snippet or the preview:\n%s", page[strings.Index(page, "<main"):])
	}
	if resp, _ := e.fetch("/innbygging?height=99", nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a height of 99 px: %d, want 400", resp.StatusCode)
	}

	resp, framed := e.fetch("/innbygget?category=sko&district=bergenhus&lang=en", nil)
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.StatusCode != http.StatusOK || !strings.Contains(csp, "frame-ancestors *") || resp.Header.Get("X-Frame-Options") != "" {
		t.Errorf("framed page: %d, CSP %q, X-Frame-Options %q", resp.StatusCode, csp, resp.Header.Get("X-Frame-Options"))
	}
	for _, want := range []string{`<a href="/reparator/skomaker-sentrum" target="_blank" rel="noopener">Skomaker Sentrum`, `action="/innbygget"`,
		`<input type="hidden" name="district" value="bergenhus">`, `lang="en"`} {
		if !strings.Contains(framed, want) {
			t.Errorf("the framed page lacks %s", want)
		}
	}
	// Only "see everything" leads to the site's search, and in a new tab.
	inFrame := regexp.MustCompile(`href="/\?[^"]*"( target="_blank")?`).FindAllStringSubmatch(framed, -1)
	for _, m := range inFrame {
		if m[1] == "" {
			t.Errorf("a link of the framed list leaves the frame for the site's search: %s", m[0])
		}
	}
	resp, _ = e.fetch("/", nil)
	if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'self'") || resp.Header.Get("X-Frame-Options") != "SAMEORIGIN" {
		t.Errorf("the front page may be framed: %q %q", resp.Header.Get("Content-Security-Policy"), resp.Header.Get("X-Frame-Options"))
	}

	narrow := start(t, setup{embedOrigins: "https://www.bergen.kommune.no"})
	resp, _ = narrow.fetch("/innbygget", nil)
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors https://www.bergen.kommune.no") {
		t.Errorf("with an allow-list: %q", csp)
	}
}
