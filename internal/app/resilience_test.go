package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

func readyz(t *testing.T, e *env) (int, map[string]any) {
	t.Helper()
	status, body := e.get("/readyz")
	var r map[string]any
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("readyz not JSON: %s", body)
	}
	return status, r
}

func TestCacheHitAfterMissAndInvalidationAfterUpdate(t *testing.T) {
	for _, backend := range []string{"redis", "memory"} {
		t.Run(backend, func(t *testing.T) {
			s := setup{}
			if backend == "redis" {
				s.redisURL = testenv.SharedRedis(t).URL()
			}
			e := start(t, s)
			e.seed()
			browse := url.Values{"district": {"bergenhus"}, "category": {"klaer"}}
			if r := e.search(browse); r.Cache != "miss" || r.Total != 1 {
				t.Fatalf("first browse: cache %q total %d, want miss 1", r.Cache, r.Total)
			}
			if r := e.search(browse); r.Cache != "hit" || r.Total != 1 || r.Hits[0].Name != "Nordnes Søm" {
				t.Fatalf("second browse: cache %q %v, want a hit with Nordnes Søm", r.Cache, names(r))
			}
			if r := e.search(url.Values{"q": {"sentrumskomaker"}, "district": {"bergenhus"}, "literal": {"true"}}); r.Cache != "bypass" {
				t.Errorf("free text: cache %q, want bypass", r.Cache)
			}
			// Text read entirely as categories and a place is a browse too.
			understood := url.Values{"q": {"bytte glidelås åsane"}}
			if r := e.search(understood); r.Cache != "miss" {
				t.Errorf("understood text: cache %q, want miss", r.Cache)
			}
			if r := e.search(url.Values{"q": {"glidelås i åsane"}}); r.Cache != "hit" || r.Total != 1 {
				t.Errorf("the same understood text: cache %q total %d, want a hit", r.Cache, r.Total)
			}
			if r := e.search(url.Values{"lat": {"60.39"}, "lng": {"5.32"}}); r.Cache != "bypass" {
				t.Errorf("personal origin: cache %q, want bypass", r.Cache)
			}

			// Rename the tailor: the very next browse shows the new name.
			e.rename("nordnes-som", "Nordnes Søm og Reparasjon")
			r := e.search(browse)
			if r.Cache != "miss" || len(r.Hits) != 1 || r.Hits[0].Name != "Nordnes Søm og Reparasjon" {
				t.Errorf("after update: cache %q %v, want a miss with the new name", r.Cache, names(r))
			}
			if r := e.search(browse); r.Cache != "hit" || r.Hits[0].Name != "Nordnes Søm og Reparasjon" {
				t.Errorf("after update, again: cache %q %v", r.Cache, names(r))
			}
		})
	}
}

func TestRedisDownFallsBackToTheIndex(t *testing.T) {
	t.Run("stopped", func(t *testing.T) {
		redis := testenv.StartRedis(t)
		e := start(t, setup{redisURL: redis.URL()})
		e.seed()
		browse := url.Values{"district": {"fana"}}
		e.search(browse)
		if r := e.search(browse); r.Cache != "hit" {
			t.Fatalf("cache %q before Redis stops, want hit", r.Cache)
		}
		if status, r := readyz(t, e); status != 200 || r["cache"] != "ok" {
			t.Errorf("readyz with Redis up: %d %v", status, r)
		}
		redis.Stop()
		// Every answer stays right; within moments the service notices and
		// answers from the index.
		deadline := time.Now().Add(5 * time.Second)
		for {
			r := e.search(browse)
			if r.Total != 2 {
				t.Fatalf("Redis stopped: total %d, want 2", r.Total)
			}
			if r.Cache == "bypass" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("Redis stopped 5 s ago and answers still say cache %q, want bypass", r.Cache)
			}
		}
		if status, r := readyz(t, e); status != 200 || r["cache"] != "down" || r["index"] != "ok" {
			t.Errorf("readyz with Redis stopped: %d %v, want 200 with cache down", status, r)
		}
		if !strings.Contains(e.logs.String(), "cache: unreachable") {
			t.Error("no log line says the cache is unreachable")
		}
	})
	t.Run("closed port", func(t *testing.T) {
		e := start(t, setup{redisURL: fmt.Sprintf("redis://127.0.0.1:%d/0", testenv.FreePort(t))})
		e.seed()
		for i := 0; i < 2; i++ {
			if r := e.search(url.Values{"category": {"sko"}}); r.Cache != "bypass" || r.Total != 2 {
				t.Errorf("request %d: cache %q total %d, want bypass 2", i, r.Cache, r.Total)
			}
		}
		if _, r := readyz(t, e); r["cache"] != "down" {
			t.Errorf("readyz: %v, want cache down", r)
		}
	})
}

func TestMeilisearchDownThenOutboxCatchesUp(t *testing.T) {
	meili := testenv.StartMeili(t)
	e := start(t, setup{meili: meili})
	e.seed()
	meili.Stop()

	status, body := e.get("/api/v1/search?q=sko")
	var resp struct {
		Error struct{ Code, Message string }
	}
	_ = json.Unmarshal(body, &resp)
	if status != http.StatusServiceUnavailable || apperr.Code(resp.Error.Code) != apperr.CodeUnavailable || resp.Error.Message == "" {
		t.Errorf("search with Meilisearch down: %d %s, want 503 with a message", status, body)
	}
	if status, r := readyz(t, e); status != http.StatusServiceUnavailable || r["index"] != "down" || r["store"] != "ok" {
		t.Errorf("readyz: %d %v, want 503 with index down", status, r)
	}

	// Writes and listing pages keep working.
	added := e.create(place("Reparasjonskafé Landås", danmarksplass, []string{"reparasjonskafe"}, "Th 18:00-21:00"))
	l, err := e.app.Store.GetBySlug(context.Background(), "skomaker-sentrum")
	if err != nil {
		t.Fatal(err)
	}
	l.Services = append(l.Services, "glidelås")
	if err := e.app.Listings.Update(context.Background(), l, testChange); err != nil {
		t.Fatal(err)
	}
	if status, body := e.get("/api/v1/repairers/" + added.Slug); status != 200 || !strings.Contains(string(body), "Landås") {
		t.Errorf("listing while Meilisearch is down: %d %s", status, body)
	}
	if _, r := readyz(t, e); r["outbox_pending"].(float64) < 2 {
		t.Errorf("outbox_pending = %v, want the 2 writes queued", r["outbox_pending"])
	}

	if err := meili.Start(); err != nil {
		t.Fatal(err)
	}
	e.waitIndexed()
	r := e.search(url.Values{"per_page": {"100"}})
	if r.Total != 7 {
		t.Errorf("after recovery total = %d, want 7 (6 + the one added while down): %v", r.Total, names(r))
	}
	if r := e.search(url.Values{"q": {"reparasjonskafé"}}); r.Total != 1 {
		t.Errorf("listing added while down not found: %v", names(r))
	}
	if r := e.search(url.Values{"q": {"glidelås"}, "category": {"sko"}}); r.Total != 1 || r.Hits[0].Name != "Skomaker Sentrum" {
		t.Errorf("update made while down not indexed: %v", names(r))
	}
}

func TestStaleVersionIsRefusedAndChangesNothing(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	ctx := context.Background()
	first, _ := e.app.Store.GetBySlug(ctx, "skomaker-sentrum")
	second, _ := e.app.Store.GetBySlug(ctx, "skomaker-sentrum")
	first.PriceInfo = "Såling fra 450 kr"
	if err := e.app.Listings.Update(ctx, first, testChange); err != nil {
		t.Fatal(err)
	}
	second.PriceInfo = "Overwritten"
	err := e.app.Listings.Update(ctx, second, testChange)
	if !apperr.Is(err, apperr.CodeConflict) {
		t.Fatalf("stale write: err = %v, want conflict", err)
	}
	now, _ := e.app.Store.GetBySlug(ctx, "skomaker-sentrum")
	if now.PriceInfo != "Såling fra 450 kr" || now.Version != 2 {
		t.Errorf("after the refused write: price %q version %d, want the first write kept at version 2", now.PriceInfo, now.Version)
	}
}

func TestReindexSwapsWithoutDowntime(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	ctx := context.Background()
	stop := make(chan struct{})
	failures := make(chan string, 100)
	go func() { // a resident searching all through the rebuild
		defer close(failures)
		for {
			select {
			case <-stop:
				return
			default:
			}
			resp, err := http.Get(e.base + "/api/v1/search?q=skomaker")
			if err != nil {
				failures <- err.Error()
				return
			}
			var r searchResponse
			_ = json.NewDecoder(resp.Body).Decode(&r)
			resp.Body.Close()
			if resp.StatusCode != 200 || r.Total != 2 {
				failures <- fmt.Sprintf("status %d total %d", resp.StatusCode, r.Total)
			}
		}
	}()
	for i := 0; i < 3; i++ {
		n, err := e.app.Index.Reindex(ctx, e.app.Store)
		if err != nil {
			t.Fatal(err)
		}
		if n != 6 {
			t.Errorf("reindexed %d, want 6", n)
		}
	}
	close(stop)
	for f := range failures {
		t.Errorf("search during reindex: %s", f)
	}
	if r := e.search(url.Values{"per_page": {"100"}}); r.Total != 6 {
		t.Errorf("after reindex total %d, want 6", r.Total)
	}
}

func TestLostIndexIsRebuilt(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	// The deletion is a Meilisearch task, queued behind any others: wait
	// for it to be done rather than for a while.
	e.meiliTask(t, "DELETE", "/indexes/"+e.index)
	if status, body := e.get("/api/v1/search?q=sko"); status != http.StatusServiceUnavailable {
		t.Fatalf("search on a deleted index: status %d, want 503: %s", status, body)
	}
	e.app.RestoreIndex(context.Background())
	e.waitIndexed()
	if r := e.search(url.Values{"q": {"glidelås"}}); r.Total != 1 || r.Hits[0].Name != "Nordnes Søm" {
		t.Errorf("after rebuilding: %v, want Nordnes Søm found by a synonym (the settings are back too)", names(r))
	}
	if r := e.search(url.Values{"per_page": {"100"}}); r.Total != 6 {
		t.Errorf("after rebuilding: total %d, want all 6", r.Total)
	}
}

// An index whose settings went back to an older version's (an instance of
// it restarting during a rolling deploy applies them) is set right by the
// first search that meets it, not an hour later: that search is an outage
// (503), the next ones are answered with their counts.
func TestIndexSettingsLostAreRestoredAtOnce(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	e.meiliTask(t, "PUT", "/indexes/"+e.index+"/settings/filterable-attributes",
		`["kind", "categories", "district", "services", "accepts_repair_voucher", "_geo"]`)
	status, body := e.get("/api/v1/search?q=sko&lat=60.39&lng=5.32")
	if status != http.StatusServiceUnavailable {
		t.Fatalf("search on an index without its settings: status %d, want 503: %s", status, body)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, body = e.get("/api/v1/search?q=sko&lat=60.39&lng=5.32")
		if status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %d after 10 s: %s", status, body)
		}
		time.Sleep(50 * time.Millisecond) // polling a condition, not waiting for time to pass
	}
	if r := e.search(url.Values{"per_page": {"100"}}); r.Total != 6 || r.Facets.District["bergenhus"] == 0 {
		t.Errorf("after the settings came back: total %d, facets %+v", r.Total, r.Facets)
	}
}

// A listing the index refuses (here one written past the listing service
// with an id Meilisearch does not accept) holds up only itself, not the
// writes queued with it.
func TestRefusedListingDoesNotBlockTheOutbox(t *testing.T) {
	e := start(t, setup{})
	ctx := context.Background()
	bad := place("Umulig Sted", torgallmenningen, []string{"sko"}, "")
	bad.ID, bad.Slug, bad.District, bad.Version = "not a valid id!", "umulig-sted", "bergenhus", 1
	bad.CreatedAt, bad.UpdatedAt = e.clock.Now(), e.clock.Now()
	if err := e.app.Store.Create(ctx, bad, testChange); err != nil { // straight to the store, past validation
		t.Fatal(err)
	}
	e.create(place("Nordnes Søm", nordnes, []string{"klaer"}, "Mo-Fr 09:00-16:30"))
	deadline := time.Now().Add(15 * time.Second)
	for {
		r := e.search(url.Values{"q": {"nordnes"}})
		if r.Total == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the good listing was not indexed: the refused one blocks the outbox")
		}
		e.app.Worker.Kick()
		time.Sleep(20 * time.Millisecond) // polling a condition
	}
	// The refused listing is tried a few times, then parked: kept in the
	// outbox and counted, no longer in every batch.
	for {
		pending, err := e.app.Store.Pending(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		total, _ := e.app.Store.PendingCount(ctx)
		parked, _ := e.app.Store.ParkedCount(ctx)
		if len(pending) == 0 && parked > 0 && parked == total {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox: %d entries, %d parked, %d still tried (%+v); want only the refused listing's, parked", total, parked, len(pending), pending)
		}
		e.app.Worker.Kick()
		time.Sleep(10 * time.Millisecond) // polling a condition
	}
	if _, r := readyz(t, e); r["outbox_parked"] == float64(0) {
		t.Errorf("readyz does not count the parked entries: %v", r)
	}
	if !strings.Contains(e.logs.String(), "refuses this listing") {
		t.Error("the refused listing was not logged")
	}
}

// meiliTask sends a request (with a JSON body, if given) that makes a
// Meilisearch task and waits until the task is done.
func (e *env) meiliTask(t *testing.T, method, path string, body ...string) {
	t.Helper()
	call := func(method, path string, into any) {
		var payload io.Reader
		if len(body) > 0 {
			payload, body = strings.NewReader(body[0]), nil
		}
		req, err := http.NewRequest(method, e.meili.URL+path, payload)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+e.meili.Key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	var task struct {
		TaskUID int64 `json:"taskUid"`
	}
	call(method, path, &task)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var state struct {
			Status string `json:"status"`
		}
		call("GET", fmt.Sprintf("/tasks/%d", task.TaskUID), &state)
		if state.Status == "succeeded" || state.Status == "failed" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Meilisearch task %d still %s", task.TaskUID, state.Status)
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, not waiting for time to pass
	}
}

// rename gives the listing with the slug a new name, as an editor would,
// and waits until search has it.
func (e *env) rename(slug, name string) {
	e.t.Helper()
	l, err := e.app.Store.GetBySlug(context.Background(), slug)
	if err != nil {
		e.t.Fatal(err)
	}
	l.Name = name
	if err := e.app.Listings.Update(context.Background(), l, testChange); err != nil {
		e.t.Fatal(err)
	}
	e.waitIndexed()
}
