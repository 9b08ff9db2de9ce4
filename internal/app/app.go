// Package app wires the service together: store, index, cache, outbox
// worker and HTTP server, as one value with Run and Close, so tests can boot
// the whole service on a free port with a temporary database.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/cache"
	"github.com/bergenreparerer/reparerer/internal/config"
	"github.com/bergenreparerer/reparerer/internal/coverage"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/event"
	"github.com/bergenreparerer/reparerer/internal/follow"
	"github.com/bergenreparerer/reparerer/internal/gazetteer"
	"github.com/bergenreparerer/reparerer/internal/geocoder"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/linkcheck"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/mail"
	"github.com/bergenreparerer/reparerer/internal/meili"
	"github.com/bergenreparerer/reparerer/internal/metrics"
	"github.com/bergenreparerer/reparerer/internal/moderation"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/outbox"
	"github.com/bergenreparerer/reparerer/internal/owner"
	"github.com/bergenreparerer/reparerer/internal/position"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/quote"
	"github.com/bergenreparerer/reparerer/internal/register"
	"github.com/bergenreparerer/reparerer/internal/registersync"
	"github.com/bergenreparerer/reparerer/internal/reminder"
	"github.com/bergenreparerer/reparerer/internal/search"
	"github.com/bergenreparerer/reparerer/internal/store"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
	"github.com/bergenreparerer/reparerer/internal/vocabulary"
	"github.com/bergenreparerer/reparerer/internal/web"
	indexsettings "github.com/bergenreparerer/reparerer/search"
)

// generationCache is a search cache whose generation can be moved on.
type generationCache interface {
	search.Cache
	Bump(ctx context.Context) error
	Ping(ctx context.Context) error
	Close() error
}

// App is the running service.
type App struct {
	cfg       config.Config
	log       *slog.Logger
	now       func() time.Time
	Store     *store.DB
	Index     *meili.Index
	Districts *district.Map
	Listings  *listing.Service
	Auth      *auth.Service
	Owners    *owner.Service
	Reminders *reminder.Service
	// Quotes runs quote requests on the European Repair Information Form.
	Quotes *quote.Service
	// Follows tells residents of new sessions and repairers.
	Follows *follow.Service
	Worker  *outbox.Worker
	// Imports are the console's uploads and their background runs.
	Imports *importer.Service
	// Reader reads search text with the vocabulary and the place names;
	// Vocabulary keeps that vocabulary with the municipality's additions.
	Reader     *search.Reader
	Vocabulary *vocabulary.Service
	// Register checks and discovers with the business register; nil when
	// REPARERER_REGISTER_URL is empty.
	Register *registersync.Service
	// Metrics is what /metrics serves.
	Metrics *metrics.Registry
	// instance names this process in the jobs' leases.
	instance string
	// Links checks the listings' websites; nil unless REPARERER_LINKCHECK=on.
	Links    *linkcheck.Checker
	cache    generationCache
	redis    bool
	fiber    *fiber.App
	listener net.Listener

	// indexReady is closed once the index exists with its settings;
	// indexLost says a search found the index or its settings gone.
	indexReady chan struct{}
	indexLost  chan struct{}
	wg         sync.WaitGroup
}

// Options are what tests may replace.
type Options struct {
	Now func() time.Time // default time.Now
}

// New opens the store, prepares the index adapter and the cache, and binds
// the listen address (":0" picks a free port; see Addr).
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opts Options) (*App, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	if err := cfg.CheckServe(); err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: log, now: now, indexReady: make(chan struct{}), indexLost: make(chan struct{}, 1), Metrics: metrics.New(), instance: uuid.NewString()}
	var err error
	if a.Districts, err = district.Load(); err != nil {
		return nil, err
	}
	postcodes, err := postcode.Load()
	if err != nil {
		return nil, err
	}
	messages, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	builtIn, err := vocabulary.Parse(indexsettings.Vocabulary)
	if err != nil {
		return nil, fmt.Errorf("app: search/vocabulary.json: %w", err)
	}
	places, err := gazetteer.Load(a.Districts, postcodes)
	if err != nil {
		return nil, err
	}
	a.Reader = search.NewReader(vocabulary.New(builtIn), places)
	maxMB, _ := strconv.Atoi(cfg.DBMaxMB) // validated by config
	if a.Store, err = store.OpenWith(ctx, cfg.DB, store.Options{MaxBytes: int64(maxMB) << 20, ReadOnly: cfg.ReadOnly == "on"}); err != nil {
		return nil, err
	}
	a.Store.Now = now
	if cfg.ReadOnly == "on" {
		log.Warn("store: REPARERER_READ_ONLY=on: reads are served, every write answers 503")
	}
	a.Vocabulary = &vocabulary.Service{Store: a.Store, BuiltIn: builtIn, Consumer: a.Reader, Now: now}
	if err := a.Vocabulary.Load(ctx); err != nil {
		return nil, errors.Join(err, a.Store.Close())
	}
	if a.Index, err = meili.New(cfg.MeiliURL, cfg.MeiliKey, cfg.MeiliIndex, a.Districts); err != nil {
		return nil, errors.Join(err, a.Store.Close())
	}
	a.Index.Now = now
	a.Index.Sessions = a.sessionsOf
	a.Index.OnLost = a.indexLostSignal
	if cfg.RedisURL != "" {
		r, err := cache.NewRedis(cfg.RedisURL, cfg.RedisPrefix)
		if err != nil {
			return nil, errors.Join(err, a.Store.Close())
		}
		a.cache, a.redis = r, true
		log.Info("cache: Redis", "redis_url", redactURL(cfg.RedisURL), "prefix", cfg.RedisPrefix)
	} else {
		a.cache = cache.NewMemory(10_000)
		log.Info("cache: REDIS_URL is not set; using the in-process cache (fine for one instance)")
	}
	a.Worker = outbox.NewWorker(a.Store, a.Store, a.Index, generations{a.cache, log}, log)
	// One instance drains the outbox; it renews the lease at each drain
	// (at least every second), so another takes over within outboxLease
	// of its death, and edits made on any instance reach the index within
	// a second of its poll.
	a.Worker.Gate = func(ctx context.Context) bool { return a.lease(ctx, "outbox", outboxLease) }
	positions := &position.Finder{Postcodes: postcodes}
	if cfg.GeocoderURL == "" {
		log.Info("geocoder: REPARERER_GEOCODER_URL is empty; new addresses are placed at their postcode's centre, marked approximate")
	} else {
		positions.Geocoder = geocoder.New(cfg.GeocoderURL, log)
		log.Info("geocoder: addresses are placed through the address API", "url", cfg.GeocoderURL)
	}
	a.Listings = &listing.Service{Store: a.Store, Districts: a.Districts, Now: now, Notify: a.Worker, Placer: positions, Timer: a.Metrics}
	mailer, err := newMailer(cfg, log)
	if err != nil {
		return nil, errors.Join(err, a.Close())
	}
	a.Auth = &auth.Service{Store: a.Store, Now: now, IdleTimeout: cfg.SessionIdle, Mailer: mailer, Messages: messages, BaseURL: cfg.BaseURL}
	a.Owners = &owner.Service{Store: a.Store, Listings: a.Store, Numbers: a.Listings, Now: now, Log: log}
	a.Reminders = &reminder.Service{Store: a.Store, Listings: a.Listings, Owners: a.Store, Mailer: mailer,
		Messages: messages, Now: now, Log: log, BaseURL: cfg.BaseURL, Interval: cfg.ReminderInterval}
	a.Quotes = &quote.Service{Store: a.Store, Listings: a.Store, Mailer: mailer, Messages: messages, BaseURL: cfg.BaseURL, Now: now, Log: log}
	moderator := &moderation.Service{Listings: a.Listings, Audit: a.Store, Claims: a.Owners, Reports: a.Store, Seen: a.Store, Labels: a.Store,
		Scans: a.Store, Reminders: a.Reminders, Mailer: mailer, Messages: messages, Now: now, Log: log, BaseURL: cfg.BaseURL}
	suggestions := &suggestion.Service{Store: a.Store, Listings: a.Listings, Owners: a.Store, Now: now}
	if cfg.RegisterURL == "" {
		log.Info("register: REPARERER_REGISTER_URL is empty; no register discovery or checks")
	} else {
		a.Register = &registersync.Service{Register: register.New(cfg.RegisterURL, log), Listings: a.Listings, Suggestions: suggestions,
			Postcodes: postcodes, ExtraCodes: strings.Split(cfg.RegisterCodes, ","), Reuse: cfg.RegisterReuse == "on", Now: now, Placer: positions, Matches: a.Store}
		log.Info("register: checks listings against the business register", "url", cfg.RegisterURL, "every", cfg.RegisterCheck.String())
	}
	embedAncestors, _ := config.ParseEmbedOrigins(cfg.EmbedOrigins) // validated by config
	planner := &importer.Planner{Listings: a.Listings, Districts: a.Districts, Postcodes: postcodes, Suggestions: a.Store}
	planner.Geocoder = positions.Geocoder
	a.Imports = &importer.Service{Planner: planner, Uploads: a.Store, Runs: a.Store, Now: now, Log: log}
	if cfg.LinkCheck == "on" {
		a.Links = &linkcheck.Checker{Store: a.Store, Listings: a.Store, Suggestions: suggestions, Log: log, Now: now}
		log.Info("linkcheck: websites are checked daily, each at most weekly")
	} else {
		log.Info("linkcheck: REPARERER_LINKCHECK is off; websites are not checked")
	}
	deps := web.Deps{
		Listings: a.Store,
		Writes:   a.Listings,
		Search: &search.Service{Index: a.Index, Cache: a.cache, Now: now, Log: log, Reader: a.Reader, Messages: messages, Observer: a.Metrics,
			BusStops: a.busStops},
		Reports:         a.Store,
		Tips:            a.Store,
		Quotes:          a.Quotes,
		Suggestions:     suggestions,
		Register:        a.Register,
		Positions:       positions,
		Vocabulary:      a.Vocabulary,
		Reader:          a.Reader,
		Districts:       a.Districts,
		Postcodes:       postcodes,
		Messages:        messages,
		Auth:            a.Auth,
		Owners:          a.Owners,
		History:         a.Store,
		Reminders:       a.Reminders,
		Moderation:      moderator,
		Imports:         a.Imports,
		Labels:          a.Store,
		Events:          a.Store,
		Scans:           a.Store,
		RegisterMatches: a.Store,
		Unwritable:      a.Store.Unwritable,
		Misses:          &coverage.Recorder{Store: a.Store, Districts: a.Districts, Now: now, Log: log},
		FreshnessAge:    cfg.FreshnessAge,
		RequestTimeout:  cfg.RequestTimeout,
		Readiness:       a.readiness,
		Now:             now,
		Log:             log,
		BaseURL:         cfg.BaseURL,
		TileURL:         cfg.TileURL, TileAttribution: cfg.TileAttribution, EmbedAncestors: embedAncestors,
	}
	if cfg.TileURL == config.DefaultTileURL {
		deps.TileAttributionURL = "https://www.kartverket.no/"
	}
	if cfg.TileURL == "" {
		log.Info("map: REPARERER_TILE_URL is empty; maps show district outlines without tiles")
	}
	deps.TrustedProxies, _ = config.ParseProxies(cfg.TrustedProxies) // validated by config
	var registerClient any
	if a.Register != nil {
		registerClient = a.Register.Register
	}
	a.observe(positions.Geocoder, registerClient)
	deps.Metrics, deps.MetricsToken = a.Metrics, cfg.MetricsToken
	if r, ok := a.cache.(*cache.Redis); ok {
		// Limits, the missed-search threshold and the sticker visits seen
		// today hold across instances and restarts.
		deps.Limits = r.Counters()
		deps.Misses.Tally = r.Counters()
		deps.Visits = r.Counters()
	}
	deps.AccessLog, deps.AccessLogIP = cfg.AccessLog == "on", cfg.AccessLogIP == "on"
	if deps.FormKey, err = a.Store.Secret(ctx, "csrf"); err != nil {
		return nil, errors.Join(err, a.Close())
	}
	if deps.Follows, err = a.newFollows(ctx, cfg, messages, log); err != nil {
		return nil, errors.Join(err, a.Close())
	}
	if a.fiber, err = web.New(deps); err != nil {
		return nil, errors.Join(err, a.Close())
	}
	if a.listener, err = net.Listen("tcp", cfg.Addr); err != nil {
		return nil, errors.Join(fmt.Errorf("app: listen on %s: %w", cfg.Addr, err), a.Close())
	}
	return a, nil
}

// newMailer sends over SMTP when a host is configured; otherwise e-mails
// (and the sign-in links in them) go to the log, which start-up says.
func newMailer(cfg config.Config, log *slog.Logger) (mail.Sender, error) {
	if cfg.SMTPHost == "" {
		log.Warn("mail: REPARERER_SMTP_HOST is not set; e-mails (sign-in links, reminders) are written to the log instead of sent")
		return &mail.Log{Log: log}, nil
	}
	port, _ := strconv.Atoi(cfg.SMTPPort) // validated by config
	m, err := mail.NewSMTP(mail.SMTPConfig{Host: cfg.SMTPHost, Port: port, User: cfg.SMTPUser,
		Password: cfg.SMTPPassword, From: cfg.SMTPFrom, TLS: cfg.SMTPTLS})
	if err != nil {
		return nil, err
	}
	log.Info("mail: SMTP", "host", cfg.SMTPHost, "port", port, "tls", cfg.SMTPTLS, "from", cfg.SMTPFrom)
	return m, nil
}

// Routes lists every route of the HTTP server, for tests that check a
// rule holds on all of them.
func (a *App) Routes() []fiber.Route { return a.fiber.GetRoutes(true) }

// Addr is the address the service listens on.
func (a *App) Addr() string { return a.listener.Addr().String() }

// IndexReady is closed once the search index exists with its settings.
func (a *App) IndexReady() <-chan struct{} { return a.indexReady }

// Run serves until ctx ends. The index is prepared in the background, so a
// Meilisearch that is down at start delays search but not the rest.
func (a *App) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a.wg.Add(3)
	go func() {
		defer a.wg.Done()
		a.background(ctx)
	}()
	go func() { // independent of Meilisearch
		defer a.wg.Done()
		a.housekeeping(ctx)
	}()
	go func() {
		defer a.wg.Done()
		a.followVocabulary(ctx)
	}()
	if a.Links != nil {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			a.linkChecks(ctx)
		}()
	}
	if a.Register != nil {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			a.registerChecks(ctx)
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- a.fiber.Listener(a.listener) }()
	a.log.Info("serving", "addr", a.Addr(), "base_url", a.cfg.BaseURL, "meili_index", a.cfg.MeiliIndex)
	select {
	case <-ctx.Done():
		// In-flight requests finish (10 s at most); then the jobs stop and
		// their leases go back, so another instance takes them at once.
		err := a.fiber.ShutdownWithTimeout(10 * time.Second)
		// An import being written gets a while to finish; one cut short
		// stalls and is confirmed again.
		waitImports, stopWaiting := context.WithTimeout(context.Background(), 20*time.Second)
		a.Imports.Wait(waitImports)
		stopWaiting()
		cancel()
		a.wg.Wait()
		a.releaseLeases()
		return err
	case err := <-errc:
		cancel()
		a.wg.Wait()
		a.releaseLeases()
		return err
	}
}

// followVocabulary takes up vocabulary changes made through other
// instances, so that every instance reads queries alike within
// REPARERER_VOCABULARY_CHECK of a change (this instance's own changes
// apply at once). It runs on every instance: each keeps its own copy.
func (a *App) followVocabulary(ctx context.Context) {
	t := time.NewTicker(a.cfg.VocabularyCheck)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := a.Vocabulary.Load(ctx)
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			a.log.Warn("vocabulary: cannot read the additions; searching with the words known until it can", "error", err)
		case err == nil && failing:
			a.log.Info("vocabulary: the additions can be read again")
		}
		failing = err != nil
	}
}

// background prepares the index, then drains the outbox and refreshes the
// open-time slots until ctx ends.
func (a *App) background(ctx context.Context) {
	for backoff := 250 * time.Millisecond; ; backoff = min(2*backoff, 30*time.Second) {
		err := a.Index.Ensure(ctx)
		if err == nil {
			break
		}
		a.log.Warn("index: Meilisearch not ready; search answers 503 until it is", "error", err, "retry_in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
	}
	close(a.indexReady)
	a.wg.Add(2)
	go func() {
		defer a.wg.Done()
		a.Worker.Run(ctx)
	}()
	go func() {
		defer a.wg.Done()
		a.restoreWhenLost(ctx)
	}()
	ticker := time.NewTicker(a.cfg.SlotRefresh)
	defer ticker.Stop()
	for {
		if a.holds(ctx, "open_times", a.cfg.SlotRefresh) {
			a.RefreshOpenTimes(ctx)
			a.RefreshLapsedMarks(ctx)
			a.RefreshSessions(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		a.RestoreIndex(ctx)
	}
}

// sessionsOf are the listings' coming sessions, for their documents.
func (a *App) sessionsOf(ctx context.Context, ids []string) (map[string][]listing.Session, error) {
	events, err := a.Store.EventsOf(ctx, ids...)
	if err != nil {
		return nil, err
	}
	at := a.now()
	return event.SessionsOf(events, at.Add(-search.OpenAtBehind), at.Add(event.Ahead)), nil
}

// newFollows runs follows with the store's signing key for their links.
func (a *App) newFollows(ctx context.Context, cfg config.Config, messages *i18n.Catalogue, log *slog.Logger) (*follow.Service, error) {
	key, err := a.Store.Secret(ctx, "follow")
	if err != nil {
		return nil, err
	}
	a.Follows = &follow.Service{Store: a.Store, News: a.Store, Mailer: a.Quotes.Mailer, Messages: messages, Districts: a.Districts,
		Key: key, BaseURL: cfg.BaseURL, Now: a.now, Log: log}
	return a.Follows, nil
}

// busStops are the repair bus's stops, for the searches that find nobody
// in a district.
func (a *App) busStops(ctx context.Context) ([]search.BusStop, error) {
	all, err := a.Store.Events(ctx)
	if err != nil {
		return nil, err
	}
	var out []search.BusStop
	for _, ev := range all {
		if ev.RouteID == "" {
			continue
		}
		start := ev.Start.In(openinghours.Oslo)
		from := start.Hour()*60 + start.Minute()
		out = append(out, search.BusStop{Name: ev.Title, District: ev.Place.District, Categories: ev.Categories,
			Weekday: (int(start.Weekday()) + 6) % 7, From: from, To: from + ev.Minutes})
	}
	return out, nil
}

// RefreshSessions re-indexes, once a week, the listings with recurring
// events, so that their documents keep holding the sessions of the coming
// event.Ahead (90 days; open_at asks up to 60 ahead). The work grows with
// the listings that have events, not with all of them.
func (a *App) RefreshSessions(ctx context.Context) {
	week := strconv.Itoa(a.now().Year()) + "-" + strconv.Itoa(a.now().YearDay()/7)
	last, err := a.Store.IndexState(ctx, "sessions_week")
	if err != nil || last == week {
		a.Metrics.Job("sessions", err)
		return
	}
	ids, err := a.Store.ListingsWithRecurringEvents(ctx)
	if err == nil {
		err = a.Store.EnqueueListings(ctx, ids)
	}
	if err == nil {
		err = a.Store.SetIndexState(ctx, "sessions_week", week)
	}
	a.Metrics.Job("sessions", err)
}

// RefreshLapsedMarks re-indexes, once a day, the listings whose quality
// label lapsed since the last day it ran, so that a filter on the label no
// longer finds them: a daily read of the listings, and a re-index of only
// the few whose label lapsed.
func (a *App) RefreshLapsedMarks(ctx context.Context) {
	today := a.now().In(openinghours.Oslo).Format(time.DateOnly)
	last, err := a.Store.IndexState(ctx, "marks_day")
	if err != nil || last == today {
		a.Metrics.Job("marks", err)
		return
	}
	if last == "" {
		last = a.now().In(openinghours.Oslo).AddDate(0, 0, -1).Format(time.DateOnly)
	}
	published, err := a.Store.Published(ctx)
	var lapsed []string
	for _, l := range published {
		for _, m := range l.Marks {
			// Valid through Until: it lapses the day after, so a mark that
			// ran until a day in [last-1, today-1] lapsed since last ran.
			if m.Until != "" && m.Until >= dayBefore(last) && m.Until < today {
				lapsed = append(lapsed, l.ID)
				break
			}
		}
	}
	if err == nil {
		err = a.Store.EnqueueListings(ctx, lapsed)
	}
	if err == nil {
		err = a.Store.SetIndexState(ctx, "marks_day", today)
	}
	a.Metrics.Job("marks", err)
	if err != nil {
		a.log.Error("index: re-index lapsed quality labels", "error", err)
		return
	}
	if len(lapsed) > 0 {
		a.log.Info("index: quality labels lapsed; re-indexed", "listings", len(lapsed))
		a.Worker.Kick()
	}
}

// dayBefore is the date before a YYYY-MM-DD date.
func dayBefore(date string) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return d.AddDate(0, 0, -1).Format(time.DateOnly)
}

// indexLostSignal tells restoreWhenLost, without waiting: searches that
// fail meanwhile add nothing to one signal already waiting.
func (a *App) indexLostSignal() {
	select {
	case a.indexLost <- struct{}{}:
	default:
	}
}

// restoreWhenLost restores the index when a search found it or its
// settings gone (an instance of an older version applying its own during a
// rolling deploy, or a Meilisearch that lost its data), at most every
// restoreSpacing, rather than at the next hourly check.
func (a *App) restoreWhenLost(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-a.indexLost:
		}
		a.log.Warn("index: a search found the index or its settings gone; restoring them")
		a.RestoreIndex(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(restoreSpacing):
		}
	}
}

// restoreSpacing keeps a Meilisearch that keeps losing the index from
// being asked to restore it many times a second.
const restoreSpacing = 2 * time.Second

// RestoreIndex gives a Meilisearch that lost its data the index and its
// settings back, and refills it from the store.
func (a *App) RestoreIndex(ctx context.Context) {
	created, err := a.Index.Restore(ctx)
	if err != nil {
		a.log.Warn("index: could not ensure the index and its settings", "error", err)
		return
	}
	if !created {
		return
	}
	n, err := a.Store.EnqueuePublished(ctx)
	if err != nil {
		a.log.Error("index: the index was lost and could not be queued for refilling", "error", err)
		return
	}
	a.log.Warn("index: the index was lost; refilling it from the store", "listings", n)
	a.Worker.Kick()
}

// housekeeping sends due "still correct?" e-mails, sweeps expired
// sign-in links and idle sessions, and closes, e-mails and deletes quote
// requests as their time comes, now and then every REPARERER_REMINDER_CHECK.
// Its state is in the store, so a restart neither skips nor repeats a reminder.
func (a *App) housekeeping(ctx context.Context) {
	t := time.NewTicker(a.cfg.ReminderCheck)
	defer t.Stop()
	for {
		if a.holds(ctx, "housekeeping", a.cfg.ReminderCheck) {
			err := a.Reminders.SendDue(ctx)
			a.Metrics.Job("reminders", err)
			if err != nil && ctx.Err() == nil {
				a.log.Error("reminder: run failed", "error", err)
			}
			err = a.Auth.Sweep(ctx)
			a.Metrics.Job("sweep", err)
			if err != nil && ctx.Err() == nil {
				a.log.Error("auth: sweep failed", "error", err)
			}
			err = a.Quotes.Sweep(ctx)
			a.Metrics.Job("quotes", err)
			if err != nil && ctx.Err() == nil {
				a.log.Error("quote: sweep failed", "error", err)
			}
			var sent int
			sent, err = a.Follows.Send(ctx)
			a.Metrics.Job("follows", err)
			if sent > 0 {
				a.log.Info("follow: told residents what is new", "emails", sent)
			}
			if err != nil && ctx.Err() == nil {
				a.log.Error("follow: run failed", "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// holds takes or renews the lease of a periodic job run every interval, so
// that of several instances exactly one runs it; another takes it over
// when the holder has not renewed it for an interval and a half (it
// died). A store that does not answer runs nothing.
func (a *App) holds(ctx context.Context, job string, interval time.Duration) bool {
	return a.lease(ctx, job, interval+interval/2)
}

// lease takes or renews the job's lease for ttl.
func (a *App) lease(ctx context.Context, job string, ttl time.Duration) bool {
	ok, err := a.Store.TakeLease(ctx, job, a.instance, ttl)
	if err != nil && ctx.Err() == nil {
		a.log.Warn("jobs: could not take the lease; not run this time", "job", job, "error", err)
	}
	return ok
}

// releaseLeases hands the jobs back on a graceful stop, so another
// instance takes them at once.
func (a *App) releaseLeases() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for _, job := range []string{"housekeeping", "register_check", "link_check", "open_times", "outbox"} {
		if err := a.Store.ReleaseLease(ctx, job, a.instance); err != nil {
			a.log.Warn("jobs: could not hand the lease back; it lapses by itself", "job", job, "error", err)
		}
	}
}

// registerChecks checks every organisation number against the register
// each REPARERER_REGISTER_CHECK (the first check one interval after the
// start, so that restarts do not call the register again and again).
// Findings are suggestions; a register that is down is tried next time.
func (a *App) registerChecks(ctx context.Context) {
	t := time.NewTicker(a.cfg.RegisterCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !a.holds(ctx, "register_check", a.cfg.RegisterCheck) {
			continue
		}
		r, err := a.Register.Check(ctx)
		a.Metrics.Job("register_check", err)
		if err != nil && ctx.Err() == nil {
			a.log.Warn("register: check stopped; tried again next time", "checked", r.Checked, "error", err)
			continue
		}
		a.log.Info("register: checked", "listings", r.Checked, "new_suggestions", r.Suggested)
	}
}

// linkChecks runs the website checks daily; each site is requested at
// most weekly, and a host at most once a minute.
func (a *App) linkChecks(ctx context.Context) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		if a.holds(ctx, "link_check", 24*time.Hour) {
			r, err := a.Links.Run(ctx)
			a.Metrics.Job("link_check", err)
			if err != nil && ctx.Err() == nil {
				a.log.Warn("linkcheck: run stopped", "error", err)
			} else {
				a.log.Info("linkcheck: checked", "websites", r.Checked, "waiting", r.Skipped, "new_suggestions", r.Suggested)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// openTimesMargin is how long before the documents' cover runs out they
// are refreshed, beyond the farthest open_at may ask.
const openTimesMargin = 30 * 24 * time.Hour

// RefreshOpenTimes re-indexes every published listing when the documents'
// open times are of an older format or about to stop covering the dates
// open_at may ask — once a year, when the next year's holidays roll in.
// Otherwise it does nothing: a listing's open times change when the
// listing does, and its write re-indexes it. The outbox gives the
// re-indexing the same retries as any write.
func (a *App) RefreshOpenTimes(ctx context.Context) {
	state, err := a.Store.IndexState(ctx, meili.DocumentState)
	if err != nil {
		a.Metrics.Job("open_times", err)
		a.log.Error("index: read the open times' state", "error", err)
		return
	}
	now := a.now()
	format, year, _ := strings.Cut(state, ":")
	indexedIn, _ := strconv.Atoi(year)
	covered := meili.CoveredUntil(time.Date(indexedIn, time.June, 1, 0, 0, 0, 0, time.UTC))
	if format == meili.DocumentFormat && now.Add(search.OpenAtAhead+openTimesMargin).Before(covered) {
		a.Metrics.Job("open_times", nil)
		return
	}
	n, err := a.Store.EnqueuePublished(ctx)
	if err == nil {
		err = a.Store.SetIndexState(ctx, meili.DocumentState, meili.DocumentStateNow(now))
	}
	a.Metrics.Job("open_times", err)
	if err != nil {
		a.log.Error("index: queue the open times' refresh", "error", err)
		return
	}
	a.log.Info("index: open times refreshed for the coming year", "listings", n, "was", state)
	a.Worker.Kick()
}

// generations moves the search cache on after the index accepted a batch.
type generations struct {
	cache generationCache
	log   *slog.Logger
}

func (g generations) Bump(ctx context.Context) {
	if err := g.cache.Bump(ctx); err != nil {
		g.log.Warn("cache: could not move to a new generation; cached answers are bypassed until it can", "error", err)
	}
}

func (a *App) readiness(ctx context.Context) web.Readiness {
	r := web.Readiness{Store: "ok", Index: "ok", Cache: "disabled", CacheBackend: "memory"}
	if a.redis {
		r.CacheBackend, r.Cache = "redis", "ok"
	}
	// Each dependency is asked at once, with its own short deadline: a hung
	// one is reported as down without holding the others or the probe.
	check := func(probe func(context.Context) error) <-chan error {
		done := make(chan error, 1)
		go func() {
			ctx, cancel := context.WithTimeout(ctx, readinessDeadline)
			defer cancel()
			done <- probe(ctx)
		}()
		return done
	}
	var pending, parked int // read only after the store's answer came
	store := check(func(ctx context.Context) error {
		if err := a.Store.Ping(ctx); err != nil {
			return err
		}
		var err1, err2 error
		pending, err1 = a.Store.PendingCount(ctx)
		parked, err2 = a.Store.ParkedCount(ctx)
		return errors.Join(err1, err2)
	})
	writable := check(a.Store.Writable)
	index := check(a.Index.Health)
	cache := check(func(ctx context.Context) error {
		if !a.redis {
			return nil
		}
		return a.cache.Ping(ctx)
	})
	wait := func(done <-chan error) error {
		select {
		case err := <-done:
			return err
		case <-time.After(readinessDeadline + 100*time.Millisecond):
			return context.DeadlineExceeded
		}
	}
	storeErr, writeErr, indexErr, cacheErr := wait(store), wait(writable), wait(index), wait(cache)
	switch {
	case storeErr != nil:
		r.Store = "down"
	case writeErr != nil:
		r.Store, r.OutboxPending, r.OutboxParked = "read_only", pending, parked
	default:
		r.OutboxPending, r.OutboxParked = pending, parked
	}
	if indexErr != nil {
		r.Index = "down"
	}
	if cacheErr != nil {
		r.Cache = "down"
	}
	return r
}

// outboxLease is how long the outbox's drainer holds it unrenewed.
const outboxLease = 5 * time.Second

// readinessDeadline bounds each of readiness's checks; they run at once,
// so /readyz answers within about this long.
const readinessDeadline = 800 * time.Millisecond

// Close releases everything New opened.
func (a *App) Close() error {
	var errs []error
	if a.listener != nil {
		_ = a.listener.Close() // already closed by a shut-down Run
	}
	if a.cache != nil {
		errs = append(errs, a.cache.Close())
	}
	if a.Index != nil {
		a.Index.Close()
	}
	if a.Store != nil {
		errs = append(errs, a.Store.Close())
	}
	return errors.Join(errs...)
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}

// observe lets /metrics report what the store and the external services
// count themselves: the outbox, and each service's calls and failures.
func (a *App) observe(services ...any) {
	outbox := func(count func(context.Context) (int, error)) func() (float64, error) {
		return func() (float64, error) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			n, err := count(ctx) // a store that does not answer: NaN; readiness says why
			return float64(n), err
		}
	}
	a.Metrics.Gauge("reparerer_outbox_pending", "Listing writes waiting for the search index.", outbox(a.Store.PendingCount))
	a.Metrics.Gauge("reparerer_outbox_parked", "Listing writes the index refused too often (need a person).", outbox(a.Store.ParkedCount))
	type counted interface {
		Stats() (calls, failures int64)
		ServiceName() string
	}
	for _, s := range services {
		c, ok := s.(counted)
		if !ok {
			continue // switched off
		}
		labels := map[string]string{"service": c.ServiceName()}
		a.Metrics.Counter("reparerer_external_calls_total", "Calls to an external public service.", labels,
			func() float64 { calls, _ := c.Stats(); return float64(calls) })
		a.Metrics.Counter("reparerer_external_failures_total", "Calls to an external public service that failed after retries.", labels,
			func() float64 { _, failed := c.Stats(); return float64(failed) })
	}
}
