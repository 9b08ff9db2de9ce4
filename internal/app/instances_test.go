package app_test

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/testenv"
)

// Two instances on the same data, index and Redis behave as one service:
// a form one serves is accepted by the other, an edit through one is in
// the other's very next browse, and a rate limit reached through one holds
// on the other.
func TestTwoInstancesAreOneService(t *testing.T) {
	redis := testenv.SharedRedis(t)
	db := filepath.Join(t.TempDir(), "reparerer.db")
	a := start(t, setup{db: db, redisURL: redis.URL()})
	shared := setup{db: db, redisURL: redis.URL(), index: a.index, redisPrefix: a.redisPrefix}
	b := start(t, shared)
	a.seed()
	a.waitIndexed()

	// A form from a, sent to b.
	v := a.visitor()
	form := v.get("/tips-oss")
	post := func(e *env) int {
		body := url.Values{"_csrf": {csrfOf(t, form)}, "name": {"Kokstad Hvitevare"}, "where": {"Kokstadvegen 1"}, "category": {"hvitevarer"}}
		req, err := http.NewRequest("POST", e.base+"/tips-oss", strings.NewReader(body.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return v.do(req).Status
	}
	if status := post(b); status != 303 {
		t.Fatalf("a's form posted to b: %d, want 303", status)
	}

	// A rate limit reached through a holds on b: 5 tips in 10 minutes.
	for i := 0; i < 4; i++ {
		post(a)
	}
	if status := post(b); status != 429 {
		t.Errorf("the 6th tip, through the other instance: %d, want 429", status)
	}

	// An edit through a is in b's very next browse, cached before.
	browse := url.Values{"district": {"bergenhus"}, "category": {"klaer"}}
	b.search(browse)
	if r := b.search(browse); r.Cache != "hit" {
		t.Fatalf("b's browse before the edit: cache %q, want hit", r.Cache)
	}
	a.rename("nordnes-som", "Nordnes Søm hos begge")
	if r := b.search(browse); len(r.Hits) != 1 || r.Hits[0].Name != "Nordnes Søm hos begge" {
		t.Errorf("b's browse after a's edit: cache %q %v", r.Cache, names(r))
	}
}
