package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/store"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

// Two instances on the same data, index and Redis behave as one service:
// a form one serves is accepted by the other, an edit through one is in
// the other's very next browse, and a rate limit reached through one holds
// on the other.
func TestTwoInstancesAreOneService(t *testing.T) {
	redis := testenv.SharedRedis(t)
	db := testenv.StoreTarget(t) // SQLite, or PostgreSQL in the contract run
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

	// A sticker's visitor is counted once a day, whichever instance the
	// proxy sends each visit to.
	lst, err := a.app.Store.GetBySlug(context.Background(), "urmaker-nesttun")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []*env{a, b, a, b} {
		if r := e.visitor().get("/reparator/urmaker-nesttun?kilde=qr"); r.Status != http.StatusFound {
			t.Fatalf("a sticker visit: %d", r.Status)
		}
	}
	if n, _ := a.app.Store.Scans(context.Background(), lst.ID); n != 1 {
		t.Errorf("four sticker visits of one client through two instances counted as %d, want 1", n)
	}
}

// Of two instances, exactly one runs the periodic jobs. A holder that
// died (its lease left behind) is taken over once the lease lapses; one
// that stops hands the jobs over at once.
func TestJobsRunOnceAndFailOver(t *testing.T) {
	db := testenv.StoreTarget(t) // SQLite, or PostgreSQL in the contract run
	dead, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := dead.TakeLease(context.Background(), "housekeeping", "an instance that was killed", 1500*time.Millisecond); !ok || err != nil {
		t.Fatalf("the dead instance's lease: %v %v", ok, err)
	}
	dead.Close()
	const token = "jobs-metrics-token"
	each := setup{db: db, metricsToken: token, reminderCheck: time.Second}
	a := start(t, each)
	each.index = a.index
	b := start(t, each)
	runs := func(e *env) float64 {
		req, err := http.NewRequest("GET", e.base+"/metrics", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		m := regexp.MustCompile(`reparerer_job_runs_total\{job="reminders",result="ok"\} (\d+)`).FindStringSubmatch(e.visitor().do(req).Body)
		if m == nil {
			return 0
		}
		n, _ := strconv.ParseFloat(m[1], 64)
		return n
	}
	// The dead holder's lease lapses; then the jobs run every second, all
	// on one instance.
	deadline := time.Now().Add(15 * time.Second)
	for runs(a)+runs(b) < 3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond) // polling the job's progress
	}
	holder, other := a, b
	if runs(b) > 0 {
		holder, other = b, a
	}
	if runs(holder) < 3 || runs(other) != 0 {
		t.Fatalf("jobs ran %v times on one instance and %v on the other, want all (at least 3) on one", runs(holder), runs(other))
	}
	// The holder stops and hands the lease back; the other takes over.
	holder.stop()
	deadline = time.Now().Add(10 * time.Second)
	for runs(other) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond) // polling the takeover
	}
	if runs(other) == 0 {
		t.Fatal("the other instance did not take the jobs over")
	}
}

// A search that finds nothing is kept for the statistics once it has been
// seen three times that day in the whole service — across instances too —
// and never before.
func TestMissedSearchesCountAcrossInstances(t *testing.T) {
	redis := testenv.SharedRedis(t)
	db := testenv.StoreTarget(t) // SQLite, or PostgreSQL in the contract run
	a := start(t, setup{db: db, redisURL: redis.URL()})
	b := start(t, setup{db: db, redisURL: redis.URL(), index: a.index, redisPrefix: a.redisPrefix})
	a.seed()
	a.waitIndexed()
	miss := "/?q=" + url.QueryEscape("reparere grammofon")
	kept := func() int {
		all, err := a.app.Store.Missed(context.Background(), "2000-01-01", "2100-01-01")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range all {
			if m.Miss.Query == "reparere grammofon" {
				n += m.Count
			}
		}
		return n
	}
	a.get(miss)
	b.get(miss)
	if n := kept(); n != 0 {
		t.Fatalf("seen twice in the service: %d kept, want none", n)
	}
	a.get(miss)
	if n := kept(); n != 3 {
		t.Errorf("seen three times, on two instances: %d kept, want 3", n)
	}
}

// A word the municipality teaches search through one instance is read by
// every instance, and an instance that reads with an older vocabulary
// never shares cached answers with one that reads with a newer.
func TestVocabularyReachesEveryInstance(t *testing.T) {
	redis := testenv.SharedRedis(t)
	db := testenv.StoreTarget(t) // SQLite, or PostgreSQL in the contract run
	each := setup{db: db, redisURL: redis.URL(), vocabularyCheck: time.Second}
	a := start(t, each)
	each.index, each.redisPrefix = a.index, a.redisPrefix
	b := start(t, each)
	a.seed()
	a.waitIndexed()

	read := func(e *env) understoodResponse { return e.understood(url.Values{"q": {"kobbersmeden"}}) }
	if r := read(b); len(r.Interpreted.Categories) != 0 {
		t.Fatalf("b before: %+v", r.Interpreted)
	}
	admin := a.adminVisitor()
	page := admin.get("/admin/ordliste")
	add := admin.post("/admin/ordliste", url.Values{"_csrf": {csrfOf(t, page)}, "terms": {"kobbersmed, kobbersmeden"}, "kind": {"object"}, "category": {"ur-smykker"}})
	if add.Status != 303 {
		t.Fatalf("add through a: %d %.300s", add.Status, add.Body)
	}
	if r := read(a); len(r.Interpreted.Categories) != 1 || r.Total != 1 {
		t.Fatalf("a after adding: %+v %v", r.Interpreted, names(r.searchResponse))
	}
	deadline := time.Now().Add(10 * time.Second)
	r := read(b)
	for len(r.Interpreted.Categories) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond) // polling b's next look at the store
		r = read(b)
	}
	if len(r.Interpreted.Categories) != 1 || r.Interpreted.Categories[0] != "ur-smykker" || r.Total != 1 || r.Hits[0].Name != "Urmaker Nesttun" {
		t.Errorf("b after a added the word: %+v %v", r.Interpreted, names(r.searchResponse))
	}
}
