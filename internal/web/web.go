// Package web is the HTTP layer: one route table, and handlers that parse,
// make one call and render. Handlers hang on three small structs by
// audience — public (search, listing pages, open data, reports), account
// (sign-in, Min side, claims, owner edits) and admin (the console) — each
// holding only what it uses, built from one Deps value by New. Middleware
// (sessions, CSRF, role guards, rate limits), the one error handler and
// rendering have files of their own; forms are read by package form and
// pages shaped by package view.
package web

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/valyala/fasthttp"

	"github.com/bergenreparerer/reparerer/frontend"
	"github.com/bergenreparerer/reparerer/internal/audit"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/coverage"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/follow"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/label"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/metrics"
	"github.com/bergenreparerer/reparerer/internal/moderation"
	"github.com/bergenreparerer/reparerer/internal/owner"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/position"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/printout"
	"github.com/bergenreparerer/reparerer/internal/quote"
	"github.com/bergenreparerer/reparerer/internal/registersync"
	"github.com/bergenreparerer/reparerer/internal/reminder"
	"github.com/bergenreparerer/reparerer/internal/report"
	"github.com/bergenreparerer/reparerer/internal/search"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
	"github.com/bergenreparerer/reparerer/internal/tip"
	"github.com/bergenreparerer/reparerer/internal/vocabulary"
)

// Readiness is the answer of /readyz.
type Readiness struct {
	Store         string `json:"store"` // ok, read_only (reads work, writes do not) or down
	Index         string `json:"index"`
	Cache         string `json:"cache"`
	CacheBackend  string `json:"cache_backend"`
	OutboxPending int    `json:"outbox_pending"`
	// OutboxParked counts entries the index refused too often; they need
	// a person (see the log for the listing and the reason).
	OutboxParked int `json:"outbox_parked"`
}

// Ready reports whether the service can answer: the store can read and
// write and the index is reachable (the cache is optional).
func (r Readiness) Ready() bool { return r.Store == "ok" && r.Index == "ok" }

// ListingReader reads listings; nothing in web writes one except through
// the listing service and the services built on it.
type ListingReader interface {
	Get(ctx context.Context, id string) (*listing.Listing, error)
	GetBySlug(ctx context.Context, slug string) (*listing.Listing, error)
	Published(ctx context.Context) ([]*listing.Listing, error)
	CountPublished(ctx context.Context) (listing.Counts, error)
}

// ReportTaker takes the public's error reports.
type ReportTaker interface {
	CreateReport(ctx context.Context, r *report.Report) error
}

// RegisterMatches reads, by listing, the organisation number the last
// register check found alive.
type RegisterMatches interface {
	RegisterMatches(ctx context.Context) (map[string]string, error)
}

// Deps is everything the handlers need, as the app wires it.
type Deps struct {
	Listings ListingReader
	Writes   *listing.Service
	Search   *search.Service
	Reports  ReportTaker
	Tips     tip.Store
	// Quotes runs quote requests on the European Repair Information Form.
	Quotes *quote.Service
	// Suggestions are proposed changes an editor decides.
	Suggestions *suggestion.Service
	// Register discovers repair businesses; nil when it is switched off.
	Register *registersync.Service
	// Positions places and completes addresses (the address API, when on).
	Positions *position.Finder
	// Vocabulary keeps the search vocabulary; Reader reads queries with it.
	Vocabulary *vocabulary.Service
	Reader     *search.Reader
	Districts  *district.Map
	Postcodes  *postcode.Book
	Messages   *i18n.Catalogue
	Auth       *auth.Service
	Owners     *owner.Service
	// History reads the audit log, for the owner's conflict view.
	History   audit.Store
	Reminders *reminder.Service
	// The municipality's console.
	Moderation *moderation.Service
	Imports    *importer.Service
	Scans      printout.Scans
	// RegisterMatches is what the register checks found.
	RegisterMatches RegisterMatches
	// Unwritable recognises the store refusing writes, answered 503.
	Unwritable func(error) bool
	Misses     *coverage.Recorder
	// FreshnessAge puts a listing on the freshness list.
	FreshnessAge time.Duration
	Readiness    func(ctx context.Context) Readiness
	// FormKey signs form tokens; every instance must have the same.
	FormKey []byte
	// Limits counts the rate limits where every instance sees them (Redis);
	// nil: in this process.
	Limits fiber.Storage
	// Visits tells, where every instance sees it (Redis), whether a
	// sticker's visitor was counted today already; nil: in this process.
	Visits coverage.Tally
	// Metrics counts requests and serves /metrics to MetricsToken (empty:
	// no /metrics); nil counts nothing.
	Metrics      *metrics.Registry
	MetricsToken string
	// AccessLog writes a line per request; AccessLogIP adds the client.
	AccessLog, AccessLogIP bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client.
	TrustedProxies []netip.Prefix
	// RequestTimeout is every request's deadline (0: 5 s).
	RequestTimeout time.Duration
	Now            func() time.Time
	Log            *slog.Logger
	BaseURL        string
	// TileURL is the map tile template; empty shows no tiles.
	TileURL, TileAttribution, TileAttributionURL string
	// Labels are the quality labels the municipality keeps.
	Labels label.Store
	// Events keeps repair-café sessions and the repair bus.
	Events EventStore
	// Follows tells residents of new sessions and repairers.
	Follows *follow.Service
	// EmbedAncestors are the sites that may frame the embeddable search
	// (a CSP frame-ancestors source list; "" is any site).
	EmbedAncestors string
}

// New returns the fiber app with every route. It fails when the frontend
// has not been built.
func New(d Deps) (*fiber.App, error) {
	a, err := loadAssets(frontend.Dist)
	if err != nil {
		return nil, err
	}
	p, err := loadPages(a)
	if err != nil {
		return nil, err
	}
	r := &renderer{pages: p, messages: d.Messages, baseURL: d.BaseURL,
		tileURL: d.TileURL, tileAttribution: d.TileAttribution, tileAttributionURL: d.TileAttributionURL}
	errs := &errorHandler{renderer: r, log: d.Log, unwritable: d.Unwritable}
	if len(d.FormKey) < 32 {
		return nil, errors.New("web: FormKey must be at least 32 bytes")
	}
	mw := &middleware{auth: d.Auth, renderer: r, formKey: d.FormKey, proxies: d.TrustedProxies, limits: d.Limits}
	pub := &public{renderer: r, listings: d.Listings, search: d.Search, reports: d.Reports, tips: d.Tips, suggestions: d.Suggestions, districts: d.Districts,
		postcodes: d.Postcodes, reminders: d.Reminders, misses: d.Misses, scans: d.Scans, scansSeen: seenToday{shared: d.Visits}, readiness: d.Readiness,
		now: d.Now, log: d.Log, embedPolicy: contentSecurityPolicy(d.TileURL, cmp.Or(d.EmbedAncestors, "*")), labels: d.Labels, quotes: d.Quotes}
	acct := &account{renderer: r, mw: mw, listings: d.Listings, writes: d.Writes, auth: d.Auth, owners: d.Owners,
		reminders: d.Reminders, history: d.History, postcodes: d.Postcodes, register: d.Register, positions: d.Positions, now: d.Now, log: d.Log}
	adm := &admin{renderer: r, listings: d.Listings, moderation: d.Moderation, tips: d.Tips, suggestions: d.Suggestions, register: d.Register, registerMatches: d.RegisterMatches, vocabulary: d.Vocabulary, reader: d.Reader, reminders: d.Reminders,
		imports: d.Imports, labels: d.Labels, quotes: d.Quotes, events: d.Events, misses: d.Misses, districts: d.Districts, freshnessAge: d.FreshnessAge, now: d.Now, log: d.Log}

	app := fiber.New(fiber.Config{
		AppName:               "reparerer",
		ErrorHandler:          errs.handle,
		DisableStartupMessage: true,
		// Headers must arrive within HeaderTimeout (a slow or malformed
		// request is cut off at once); the body then has BodyTimeout (see
		// readBody below).
		ReadTimeout:  HeaderTimeout,
		WriteTimeout: 30 * time.Second,
		IdleTimeout:  120 * time.Second,
		// A search answer of 20 hits is about 10 KB: with the default 4 KB
		// buffer it left in three writes, with this in one.
		WriteBufferSize: 16 << 10,
	})
	// Once the headers are in, the body may take longer than they may.
	app.Server().HeaderReceived = func(*fasthttp.RequestHeader) fasthttp.RequestConfig {
		return fasthttp.RequestConfig{ReadTimeout: BodyTimeout}
	}
	app.Use(recover.New())
	app.Use(requestid.New())
	app.Use(withDeadline(d.RequestTimeout))
	app.Use(mw.withClient)
	app.Use(observe(d.Metrics, d.AccessLog, d.AccessLogIP, d.Log))
	if strings.HasPrefix(d.BaseURL, "https://") {
		app.Use(strictTransport)
	}
	app.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy: contentSecurityPolicy(d.TileURL, "'self'"),
		ReferrerPolicy:        "strict-origin-when-cross-origin",
		PermissionPolicy:      "geolocation=(self), camera=(), microphone=()",
		// The open data and the API are for other sites too.
		CrossOriginEmbedderPolicy: "unsafe-none",
		CrossOriginResourcePolicy: "cross-origin",
	}))
	app.Use(compress.New(compress.Config{
		Level: compress.LevelBestSpeed,
		Next:  func(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/assets/") }, // stored compressed
	}))
	app.Get("/metrics", metricsHandler(d.Metrics, d.MetricsToken)) // Prometheus, to the token's bearer
	ev := &events{renderer: r, store: d.Events, listings: d.Listings, owners: d.Owners, districts: d.Districts, postcodes: d.Postcodes,
		positions: d.Positions, follows: d.Follows, baseURL: d.BaseURL, now: d.Now, log: d.Log}
	pub.events = ev
	routes(app, mw, a, pub, acct, adm, ev)
	app.Use(func(*fiber.Ctx) error { return errNoSuchPage })
	return app, nil
}

// HeaderTimeout and BodyTimeout bound reading a request: its headers, then
// its body (an upload of up to 2 MB from a phone).
const (
	HeaderTimeout = 2 * time.Second
	BodyTimeout   = 30 * time.Second
)

// SlowRequestTimeout is the deadline of the console's imports, which
// place every row through the address API.
const SlowRequestTimeout = 2 * time.Minute

// withDeadline gives every request a deadline in its context, which the
// store, the cache and the index calls carry: nothing a hung dependency
// does can hold a request longer. Imports get SlowRequestTimeout.
func withDeadline(timeout time.Duration) fiber.Handler {
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	return func(c *fiber.Ctx) error {
		d := timeout
		if strings.HasPrefix(c.Path(), paths.AdminImport) {
			d = SlowRequestTimeout
		}
		ctx, cancel := context.WithTimeout(c.UserContext(), d)
		defer cancel()
		c.SetUserContext(ctx)
		return c.Next()
	}
}

// earlyScript marks the page as scripted before its first paint. The site's
// script is a deferred module; were the "js" class set there, the page would
// be laid out twice and shift as it loads. It is the one inline script,
// allowed by its hash.
const earlyScript = `document.documentElement.className="js"`

// earlyScriptHash is earlyScript's CSP source.
var earlyScriptHash = func() string {
	sum := sha256.Sum256([]byte(earlyScript))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

// contentSecurityPolicy allows scripts and styles from this site only (and
// earlyScript), images from the map tile server, and framing by
// frameAncestors.
func contentSecurityPolicy(tileURL, frameAncestors string) string {
	img := "'self' data:"
	if u, err := url.Parse(tileURL); err == nil && u.Host != "" {
		img += " " + u.Scheme + "://" + strings.ReplaceAll(u.Host, "{s}", "*")
	}
	return "default-src 'self'; script-src 'self' " + earlyScriptHash + "; style-src 'self'; img-src " + img +
		"; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors " + frameAncestors
}
