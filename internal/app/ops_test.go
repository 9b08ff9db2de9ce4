package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// /metrics speaks Prometheus to the token's bearer only, and counts what
// operations need: requests by route, the cache, the outbox, jobs, store
// writes. The access log has a line per request with its request id, and
// neither the client's address nor the sign-in flow's tokens.
func TestMetricsAndAccessLog(t *testing.T) {
	e := start(t, setup{metricsToken: "m3tr1cs-t0ken-for-tests", accessLog: "on"})
	e.seed()
	browse := url.Values{"category": {"sko"}}
	e.search(browse)
	e.search(browse)
	e.get("/min-side/logg-inn/lenke?token=hemmelig-lenke")

	scrape := func(auth string) (int, string) {
		req, err := http.NewRequest("GET", e.base+"/metrics", nil)
		if err != nil {
			t.Fatal(err)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		a := e.visitor().do(req)
		return a.Status, a.Body
	}
	if status, _ := scrape(""); status != 401 {
		t.Errorf("/metrics without the token: %d, want 401", status)
	}
	if status, _ := scrape("Bearer feil"); status != 401 {
		t.Errorf("/metrics with a wrong token: %d, want 401", status)
	}
	status, body := scrape("Bearer m3tr1cs-t0ken-for-tests")
	if status != 200 {
		t.Fatalf("/metrics with the token: %d", status)
	}
	for _, want := range []string{
		`reparerer_http_requests_total{method="GET",route="/api/v1/search",status="200"} 2`,
		`reparerer_http_request_duration_seconds_bucket{method="GET",route="/api/v1/search"`,
		`reparerer_search_cache_total{outcome="hit"} 1`,
		`reparerer_search_cache_total{outcome="miss"} 1`,
		`reparerer_meilisearch_duration_seconds_count 1`,
		`reparerer_outbox_pending `,
		`reparerer_job_runs_total{job="open_times",result="ok"}`,
		`reparerer_store_write_duration_seconds_count{operation="create"}`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	logs := e.logs.String()
	if !strings.Contains(logs, `msg=request method=GET route=/api/v1/search path=/api/v1/search status=200`) ||
		!strings.Contains(logs, "request_id=") {
		t.Error("no access-log line for the search")
	}
	if strings.Contains(logs, "hemmelig-lenke") || strings.Contains(logs, "client=127.0.0.1") {
		t.Error("the access log holds a sign-in token or the client's address")
	}

	off := start(t, setup{})
	if status, _ := off.get("/metrics"); status != 404 {
		t.Errorf("/metrics without a token configured: %d, want 404", status)
	}
}
