package app_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/app"
	"github.com/bergenreparerer/reparerer/internal/config"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

func TestMain(m *testing.M) {
	serveIfAsked()
	os.Exit(testenv.Main(m))
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// env is one booted service with its own database, index and cache keys.
type env struct {
	t     *testing.T
	app   *app.App
	base  string
	clock *clock
	logs  *syncBuffer
	meili *testenv.Meili
	index string
	mail  *testenv.SMTP
	// redisPrefix is the instance's REDIS_PREFIX, for a second instance.
	redisPrefix string
	// stop shuts the instance down gracefully (as at the test's end).
	stop func()
}

type setup struct {
	meili    *testenv.Meili
	redisURL string // empty: in-process cache
	now      time.Time
	// registerURL is a stand-in register; empty: switched off.
	registerURL   string
	registerCheck time.Duration
	// geocoderURL is a stand-in address API; empty: switched off.
	geocoderURL string
	// dbMaxMB caps the database file, standing for a small disk.
	dbMaxMB string
	// trustedProxies is REPARERER_TRUSTED_PROXIES.
	trustedProxies string
	// baseURL is REPARERER_BASE_URL (default http://localhost:8080).
	baseURL string
	// db is the database file (default: a new one); readOnly is
	// REPARERER_READ_ONLY.
	db, readOnly string
	// index is the Meilisearch index (default: a new one for the test).
	index string
	// metricsToken opens /metrics; accessLog is REPARERER_ACCESS_LOG.
	metricsToken, accessLog string
	// redisPrefix is REDIS_PREFIX (default: a new one for the test).
	redisPrefix string
	// reminderCheck is REPARERER_REMINDER_CHECK (default 1h).
	reminderCheck time.Duration
	// vocabularyCheck is REPARERER_VOCABULARY_CHECK (default 1h: the
	// tests' instances learn of changes from themselves).
	vocabularyCheck time.Duration
	// embedOrigins is REPARERER_EMBED_ORIGINS (default any site).
	embedOrigins string
}

func start(t *testing.T, s setup) *env {
	t.Helper()
	if s.meili == nil {
		s.meili = testenv.SharedMeili(t)
	}
	if s.now.IsZero() {
		s.now = mustTime("2026-11-23T11:00:00+01:00") // a Monday, 11:00 in Bergen
	}
	cfg := config.Config{
		Addr: "127.0.0.1:0", DB: cmp.Or(s.db, testenv.StoreTarget(t)), BaseURL: cmp.Or(s.baseURL, "http://localhost:8080"),
		MeiliURL: s.meili.URL, MeiliKey: s.meili.Key, MeiliIndex: cmp.Or(s.index, testenv.Name(t)),
		RedisURL: s.redisURL, RedisPrefix: cmp.Or(s.redisPrefix, testenv.Name(t)+":"), SlotRefresh: time.Hour, LogLevel: "debug",
		SessionIdle: time.Hour, RequestTimeout: 5 * time.Second, ReminderInterval: 90 * 24 * time.Hour, ReminderCheck: cmp.Or(s.reminderCheck, time.Hour), VocabularyCheck: cmp.Or(s.vocabularyCheck, time.Hour), FreshnessAge: 365 * 24 * time.Hour,
		RegisterURL: s.registerURL, RegisterCheck: s.registerCheck, GeocoderURL: s.geocoderURL, DBMaxMB: s.dbMaxMB, TrustedProxies: s.trustedProxies, ReadOnly: s.readOnly,
		MetricsToken: s.metricsToken, AccessLog: s.accessLog, EmbedOrigins: s.embedOrigins,
	}
	if cfg.RegisterCheck == 0 {
		cfg.RegisterCheck = 24 * time.Hour
	}
	smtp := testenv.StartSMTP(t)
	cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPFrom, cfg.SMTPTLS = smtp.Host, strconv.Itoa(smtp.Port), "Bergen Reparerer <ikke-svar@bergen.test>", "none"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	c := &clock{t: s.now}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := app.New(context.Background(), cfg, log, app.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	a.Worker.MaxBackoff = 500 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var stopOnce sync.Once
	stop := func() {
		stopOnce.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
			a.Close()
		})
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("service log:\n%s", logs.String())
		}
	})
	e := &env{t: t, app: a, base: "http://" + a.Addr(), clock: c, logs: logs, meili: s.meili, index: cfg.MeiliIndex, mail: smtp,
		redisPrefix: cfg.RedisPrefix, stop: stop}
	select {
	case <-a.IndexReady():
	case <-time.After(30 * time.Second):
		t.Fatal("index not ready after 30s")
	}
	return e
}

// create writes a listing through the listing service, as an editor would.
func (e *env) create(l *listing.Listing) *listing.Listing {
	e.t.Helper()
	if err := e.app.Listings.Create(context.Background(), l, testChange); err != nil {
		e.t.Fatalf("create %q: %v", l.Name, err)
	}
	return l
}

// waitIndexed waits until the outbox is empty, i.e. Meilisearch has applied
// every write so far and the cache generation has moved on.
func (e *env) waitIndexed() {
	e.t.Helper()
	waitOutboxEmpty(e.t, e.app.Store, e.app.Worker.Kick)
}

func (e *env) get(path string) (int, []byte) {
	e.t.Helper()
	resp, body := e.fetch(path, nil)
	return resp.StatusCode, []byte(body)
}

// searchHit is one hit of /api/v1/search.
type searchHit struct {
	ID         string   `json:"id"`
	Slug       string   `json:"slug"`
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`
	Categories []string `json:"categories"`
	District   string   `json:"district"`
	Location   struct {
		Lat float64 `json:"lat"`
		Lng float64 `json:"lng"`
	} `json:"location"`
	DistanceM *int   `json:"distance_m"`
	OpenNow   *bool  `json:"open_now"`
	URL       string `json:"url"`
}

// searchResponse is the documented shape of /api/v1/search.
type searchResponse struct {
	Hits    []searchHit `json:"hits"`
	Total   int         `json:"total"`
	Page    int         `json:"page"`
	PerPage int         `json:"per_page"`
	Facets  struct {
		Category map[string]int `json:"category"`
		District map[string]int `json:"district"`
		Where    map[string]int `json:"where"`
		Brand    map[string]int `json:"brand"`
		Loaner   int            `json:"loaner"`
		Label    map[string]int `json:"label"`
	} `json:"facets"`
	TookMS *int   `json:"took_ms"`
	Cache  string `json:"cache"`
}

func (e *env) search(params url.Values) searchResponse {
	e.t.Helper()
	status, body := e.get("/api/v1/search?" + params.Encode())
	if status != http.StatusOK {
		e.t.Fatalf("search %v: status %d: %s", params, status, body)
	}
	var r searchResponse
	if err := json.Unmarshal(body, &r); err != nil {
		e.t.Fatalf("search %v: %v: %s", params, err, body)
	}
	return r
}

func names(r searchResponse) []string {
	out := []string{}
	for _, h := range r.Hits {
		out = append(out, h.Name)
	}
	return out
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func hours(text string) openinghours.Schedule {
	s, err := openinghours.ParseOSM(text)
	if err != nil {
		panic(err)
	}
	return s
}

// Fixture places, real spots in Bergen.
var (
	torgallmenningen = [2]float64{60.3929, 5.3241}
	nordnes          = [2]float64{60.3966, 5.3140}
	asane            = [2]float64{60.4656, 5.3224}
	danmarksplass    = [2]float64{60.3757, 5.3432}
	nesttun          = [2]float64{60.3196, 5.3538}
	lagunen          = [2]float64{60.2968, 5.3303}
)

func place(name string, at [2]float64, categories []string, opening string) *listing.Listing {
	l := &listing.Listing{
		Name: name, Categories: categories, Location: listing.Location{Lat: at[0], Lng: at[1]},
		Address: listing.Address{City: "Bergen"}, Status: listing.StatusPublished,
		Source: listing.Source{Kind: listing.SourceMunicipality},
	}
	if opening != "" {
		l.OpeningHours = hours(opening)
	}
	return l
}

// seed creates the standard fixture set and waits until it is indexed.
func (e *env) seed() {
	e.t.Helper()
	sentrum := place("Skomaker Sentrum", torgallmenningen, []string{"sko"}, "Mo-Fr 10:00-17:00; Sa 10:00-15:00; PH off; Dec 24 10:00-13:00")
	sentrum.Services = []string{"sålereparasjon", "hæl"}
	e.create(sentrum)
	skredder := place("Nordnes Søm", nordnes, []string{"klaer"}, "Mo-Fr 09:00-16:30")
	skredder.DescriptionNB = "Vi syr om klærne dine."
	e.create(skredder)
	sykkel := place("Sykkelverksted Åsane", asane, []string{"sykkel"}, "Mo-Fr 10:00-18:00")
	sykkel.AcceptsRepairVoucher = true
	e.create(sykkel)
	e.create(place("Nattåpen Mobilfiks", danmarksplass, []string{"mobil-data", "elektronikk"}, "Fr-Sa 22:00-03:00"))
	e.create(place("Urmaker Nesttun", nesttun, []string{"ur-smykker"}, ""))
	lag := place("Skomaker Lagunen", lagunen, []string{"sko"}, "Mo-Fr 10:00-18:00")
	lag.AcceptsRepairVoucher = true
	e.create(lag)
	hidden := place("Skjult Skomaker", torgallmenningen, []string{"sko"}, "24/7")
	hidden.Status, hidden.HideReason = listing.StatusHidden, "permanently closed"
	e.create(hidden)
	e.waitIndexed()
}

// syncBuffer collects log output from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var testChange = listing.Change{Actor: "test", Action: listing.ActionCreate}
