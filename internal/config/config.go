// Package config reads the service's settings: defaults in code,
// environment variables over them, command-line flags over those.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultTileURL is Kartverket's open topographic map (CC BY 4.0).
const DefaultTileURL = "https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png"

// Config is every setting. README documents each one.
type Config struct {
	Addr        string // REPARERER_ADDR
	DB          string // REPARERER_DB
	BaseURL     string // REPARERER_BASE_URL
	MeiliURL    string // MEILI_URL
	MeiliKey    string // MEILI_MASTER_KEY
	MeiliIndex  string // MEILI_INDEX
	RedisURL    string // REDIS_URL; empty: in-process cache
	RedisPrefix string // REDIS_PREFIX
	TileURL     string // REPARERER_TILE_URL; empty: no map tiles
	// EmbedOrigins are the sites that may frame the embeddable search
	// (REPARERER_EMBED_ORIGINS: "*", "none", or origins).
	EmbedOrigins string
	// RegisterURL is the business register's API (REPARERER_REGISTER_URL);
	// empty: no register discovery or checks.
	RegisterURL string
	// RegisterCodes are activity codes discovery looks for beyond the
	// repair codes, comma-separated (REPARERER_REGISTER_CODES).
	RegisterCodes string
	// RegisterReuse ("on") adds second-hand retail and rental to the
	// register discovery (registersync.ReuseCodes).
	RegisterReuse string
	// GeocoderURL is Kartverket's address API (REPARERER_GEOCODER_URL);
	// empty: addresses are placed at their postcode's centre.
	GeocoderURL string
	// LinkCheck turns the weekly website checks on ("on") or off
	// (REPARERER_LINKCHECK; default off: a machine without internet
	// would find every website dead).
	LinkCheck string
	// RegisterCheck is how often the listings are checked against the
	// register (REPARERER_REGISTER_CHECK).
	RegisterCheck time.Duration
	// RequestTimeout is every request's deadline (REPARERER_REQUEST_TIMEOUT).
	RequestTimeout time.Duration
	// TileAttribution credits the tiles on the map (REPARERER_TILE_ATTRIBUTION).
	TileAttribution string
	// SlotRefresh is how often the index's open times are checked for
	// their yearly refresh (REPARERER_SLOT_REFRESH).
	SlotRefresh time.Duration
	LogLevel    string // REPARERER_LOG_LEVEL: debug, info, warn, error

	// SMTP; an empty SMTPHost logs e-mails instead of sending them.
	SMTPHost, SMTPPort, SMTPUser, SMTPPassword, SMTPFrom, SMTPTLS string
	// DBMaxMB caps the SQLite file in megabytes (REPARERER_DB_MAX_MB; 0:
	// no cap).
	DBMaxMB string
	// ReadOnly serves reads and refuses writes (REPARERER_READ_ONLY=on).
	ReadOnly string
	// MetricsToken opens /metrics to "Authorization: Bearer <token>"
	// (REPARERER_METRICS_TOKEN; empty: no /metrics).
	MetricsToken string
	// AccessLog writes a line per request (REPARERER_ACCESS_LOG, on);
	// AccessLogIP adds the client address (REPARERER_ACCESS_LOG_IP, off).
	AccessLog, AccessLogIP string
	// TrustedProxies are the reverse proxies (CIDRs, comma-separated) whose
	// X-Forwarded-For names the client (REPARERER_TRUSTED_PROXIES).
	TrustedProxies string
	// SessionIdle ends a session unused for this long (REPARERER_SESSION_IDLE).
	SessionIdle time.Duration
	// ReminderInterval is how often owners are asked "still correct?"
	// (REPARERER_REMINDER_INTERVAL); ReminderCheck how often the job looks.
	ReminderInterval, ReminderCheck time.Duration
	// VocabularyCheck is how often an instance looks in the store for
	// vocabulary changes made through another instance
	// (REPARERER_VOCABULARY_CHECK).
	VocabularyCheck time.Duration
	// FreshnessAge is how long since the last verification or owner
	// confirmation before a listing is on the municipality's freshness
	// list (REPARERER_FRESHNESS_AGE).
	FreshnessAge time.Duration
}

type durationSetting struct {
	env, flag, def, usage string
	into                  *time.Duration
}

func (c *Config) durations() []durationSetting {
	return []durationSetting{
		{"REPARERER_SLOT_REFRESH", "slot-refresh", "1h", "how often to check whether the index's open times need their yearly refresh (cheap: one read)", &c.SlotRefresh},
		{"REPARERER_SESSION_IDLE", "session-idle", "1h", "a session unused this long ends", &c.SessionIdle},
		{"REPARERER_REMINDER_INTERVAL", "reminder-interval", "90d", "how often owners are asked \"still correct?\"", &c.ReminderInterval},
		{"REPARERER_FRESHNESS_AGE", "freshness-age", "365d", "age of the last check that puts a listing on the freshness list", &c.FreshnessAge},
		{"REPARERER_REMINDER_CHECK", "reminder-check", "1h", "how often the reminder job looks for due listings", &c.ReminderCheck},
		{"REPARERER_VOCABULARY_CHECK", "vocabulary-check", "5s", "how often an instance reads the search vocabulary's additions, to take up changes made through another instance (cheap: one small read)", &c.VocabularyCheck},
		{"REPARERER_REGISTER_CHECK", "register-check", "1d", "how often every organisation number is checked against the register", &c.RegisterCheck},
		{"REPARERER_REQUEST_TIMEOUT", "request-timeout", "5s", "every request's deadline, carried to the store, the cache and the index (imports: 2m)", &c.RequestTimeout},
	}
}

// ParseDuration reads a Go duration ("90m", "2h") or a number of days ("90d").
func ParseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// durationFlag lets a flag take "90d" as well as Go durations.
type durationFlag struct{ into *time.Duration }

func (f durationFlag) String() string {
	if f.into == nil {
		return ""
	}
	return f.into.String()
}

func (f durationFlag) Set(s string) error {
	d, err := ParseDuration(s)
	if err == nil {
		*f.into = d
	}
	return err
}

type setting struct {
	env, flag, def, usage string
	into                  *string
}

func (c *Config) settings() []setting {
	return []setting{
		{"REPARERER_ADDR", "addr", ":8080", "listen address", &c.Addr},
		{"REPARERER_DB", "db", "./data/reparerer.db", "the store: a SQLite file (created with its folder) or a postgres:// URL", &c.DB},
		{"REPARERER_TRUSTED_PROXIES", "trusted-proxies", "", "reverse proxies whose X-Forwarded-For names the client, as CIDRs (e.g. 127.0.0.1/32,10.0.0.0/8); empty: none", &c.TrustedProxies},
		{"REPARERER_METRICS_TOKEN", "metrics-token", "", "bearer token that opens /metrics (Prometheus); empty: no /metrics", &c.MetricsToken},
		{"REPARERER_ACCESS_LOG", "access-log", "on", "one log line per request (method, route, status, time, request id): on or off", &c.AccessLog},
		{"REPARERER_ACCESS_LOG_IP", "access-log-ip", "off", "on: the access log also records the client address", &c.AccessLogIP},
		{"REPARERER_READ_ONLY", "read-only", "off", "on: serve reads and answer every write 503 (maintenance)", &c.ReadOnly},
		{"REPARERER_DB_MAX_MB", "db-max-mb", "0", "cap on the SQLite file in MB; writes past it answer 503 (0: no cap; SQLite only)", &c.DBMaxMB},
		{"REPARERER_BASE_URL", "base-url", "http://localhost:8080", "public URL, used in links", &c.BaseURL},
		{"MEILI_URL", "meili-url", "http://127.0.0.1:7700", "Meilisearch URL", &c.MeiliURL},
		{"MEILI_MASTER_KEY", "meili-key", "", "Meilisearch key", &c.MeiliKey},
		{"MEILI_INDEX", "meili-index", "repairers", "Meilisearch index uid", &c.MeiliIndex},
		{"REDIS_URL", "redis-url", "", "Redis URL, e.g. redis://127.0.0.1:6379/0 (unset: in-process cache)", &c.RedisURL},
		{"REDIS_PREFIX", "redis-prefix", "reparerer:", "prefix of every Redis key", &c.RedisPrefix},
		{"REPARERER_TILE_URL", "tile-url", DefaultTileURL, "map tile URL template; empty disables tiles", &c.TileURL},
		{"REPARERER_EMBED_ORIGINS", "embed-origins", "*", "sites that may show /innbygget in a frame: * (any: the data is open), none, or origins such as https://www.bergen.kommune.no, comma-separated", &c.EmbedOrigins},
		{"REPARERER_TILE_ATTRIBUTION", "tile-attribution", "© Kartverket", "credit shown on the map for its tiles", &c.TileAttribution},
		{"REPARERER_REGISTER_URL", "register-url", "https://data.brreg.no/enhetsregisteret/api", "Enhetsregisteret API; empty disables register discovery and checks", &c.RegisterURL},
		{"REPARERER_GEOCODER_URL", "geocoder-url", "https://ws.geonorge.no/adresser/v1", "Kartverket's address API; empty places addresses at their postcode's centre", &c.GeocoderURL},
		{"REPARERER_LINKCHECK", "linkcheck", "off", "website checks: on or off (each site at most weekly, one request per host a minute)", &c.LinkCheck},
		{"REPARERER_REGISTER_CODES", "register-codes", "", "extra activity codes for register discovery, comma-separated (e.g. 33.12,45.40)", &c.RegisterCodes},
		{"REPARERER_REGISTER_REUSE", "register-reuse", "off", "on: register discovery also finds second-hand shops (47.79) and rental (77.21, 77.29, 77.39)", &c.RegisterReuse},
		{"REPARERER_LOG_LEVEL", "log-level", "info", "log level: debug, info, warn, error", &c.LogLevel},
		{"REPARERER_SMTP_HOST", "smtp-host", "", "SMTP server; empty: e-mails are written to the log", &c.SMTPHost},
		{"REPARERER_SMTP_PORT", "smtp-port", "587", "SMTP port", &c.SMTPPort},
		{"REPARERER_SMTP_USER", "smtp-user", "", "SMTP user name (empty: no authentication)", &c.SMTPUser},
		{"REPARERER_SMTP_PASSWORD", "smtp-password", "", "SMTP password", &c.SMTPPassword},
		{"REPARERER_SMTP_FROM", "smtp-from", "Bergen Reparerer <ikke-svar@localhost>", "sender of every e-mail", &c.SMTPFrom},
		{"REPARERER_SMTP_TLS", "smtp-tls", "starttls", "starttls (required), tls (implicit, port 465) or none (local mail catcher only)", &c.SMTPTLS},
	}
}

// Load reads the settings from env (as from os.Environ) and args (flags
// before any positional argument). It returns the positional arguments.
// extra, when set, adds a subcommand's own flags.
func Load(env []string, args []string, name string, stderr io.Writer, extra func(*flag.FlagSet)) (Config, []string, error) {
	lookup := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			lookup[k] = v
		}
	}
	var c Config
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, s := range c.settings() {
		v := s.def
		if e, ok := lookup[s.env]; ok {
			v = e // set but empty is meaningful (REPARERER_TILE_URL="")
		}
		fs.StringVar(s.into, s.flag, v, s.usage+" ($"+s.env+")")
	}
	for _, d := range c.durations() {
		v := d.def
		if e, ok := lookup[d.env]; ok {
			v = e
		}
		var err error
		if *d.into, err = ParseDuration(v); err != nil {
			return c, nil, fmt.Errorf("config: %s: %w", d.env, err)
		}
		fs.Var(durationFlag{d.into}, d.flag, d.usage+" ($"+d.env+", e.g. 90m, 2h, 90d)")
	}
	if extra != nil {
		extra(fs)
	}
	// Flags may come before or after the command's own words
	// ("admin add EMAIL --db F" works as well as "admin --db F add EMAIL").
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return c, nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			rest = append(rest, args[1:]...)
			break
		}
		rest, args = append(rest, args[0]), args[1:]
	}
	return c, rest, c.Validate()
}

var indexUID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,200}$`)

// validateDurations checks the durations' bounds (a zero bound: none).
func (c Config) validateDurations() []error {
	var errs []error
	for _, d := range []struct {
		name          string
		value         time.Duration
		least, most   time.Duration
		leastS, mostS string
	}{
		{"REPARERER_SLOT_REFRESH", c.SlotRefresh, time.Minute, 24 * time.Hour, "1m", "24h"},
		{"REPARERER_SESSION_IDLE", c.SessionIdle, time.Minute, 24 * time.Hour, "1m", "24h"},
		{"REPARERER_FRESHNESS_AGE", c.FreshnessAge, 24 * time.Hour, 0, "1d", ""},
		{"REPARERER_REMINDER_INTERVAL", c.ReminderInterval, time.Hour, 0, "1h", ""},
		{"REPARERER_REMINDER_CHECK", c.ReminderCheck, time.Second, 0, "1s", ""},
		{"REPARERER_VOCABULARY_CHECK", c.VocabularyCheck, time.Second, time.Hour, "1s", "1h"},
	} {
		switch {
		case d.most > 0 && (d.value < d.least || d.value > d.most):
			errs = append(errs, fmt.Errorf("%s=%s must be between %s and %s", d.name, d.value, d.leastS, d.mostS))
		case d.value < d.least:
			errs = append(errs, fmt.Errorf("%s=%s must be at least %s", d.name, d.value, d.leastS))
		}
	}
	return errs
}

// Validate reports every bad setting at once.
func (c Config) Validate() error {
	var errs []error
	for _, sw := range []struct{ name, value string }{{"REPARERER_LINKCHECK", c.LinkCheck}, {"REPARERER_REGISTER_REUSE", c.RegisterReuse}} {
		switch sw.value {
		case "", "on", "off":
		default:
			errs = append(errs, fmt.Errorf("%s=%q: want on or off", sw.name, sw.value))
		}
	}
	for _, u := range []struct{ name, value string }{{"REPARERER_BASE_URL", c.BaseURL}, {"MEILI_URL", c.MeiliURL},
		{"REPARERER_REGISTER_URL", c.RegisterURL}, {"REPARERER_GEOCODER_URL", c.GeocoderURL}} {
		if u.value == "" && u.name != "REPARERER_BASE_URL" && u.name != "MEILI_URL" {
			continue // empty: switched off
		}
		if p, err := url.Parse(u.value); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			errs = append(errs, fmt.Errorf("%s=%q is not an http(s) URL", u.name, u.value))
		}
	}
	if c.RedisURL != "" {
		if p, err := url.Parse(c.RedisURL); err != nil || (p.Scheme != "redis" && p.Scheme != "rediss") {
			errs = append(errs, fmt.Errorf("REDIS_URL=%q is not a redis:// URL", c.RedisURL))
		}
	}
	if !indexUID.MatchString(c.MeiliIndex) {
		errs = append(errs, fmt.Errorf("MEILI_INDEX=%q may hold only letters, digits, - and _", c.MeiliIndex))
	}
	if c.Addr == "" {
		errs = append(errs, errors.New("REPARERER_ADDR is empty"))
	}
	if c.DB == "" {
		errs = append(errs, errors.New("REPARERER_DB is empty"))
	}
	errs = append(errs, c.validateDurations()...)
	errs = append(errs, c.validateLimits()...)
	errs = append(errs, c.validateSMTP()...)
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("REPARERER_LOG_LEVEL=%q must be debug, info, warn or error", c.LogLevel))
	}
	if len(errs) > 0 {
		return fmt.Errorf("config: %w", errors.Join(errs...))
	}
	return nil
}

// validateLimits checks the settings that bound requests, the store and
// who counts as a client.
func (c Config) validateLimits() []error {
	var errs []error
	for _, s := range []struct{ name, value string }{{"REPARERER_READ_ONLY", c.ReadOnly}, {"REPARERER_ACCESS_LOG", c.AccessLog},
		{"REPARERER_ACCESS_LOG_IP", c.AccessLogIP}} {
		if s.value != "" && s.value != "on" && s.value != "off" {
			errs = append(errs, fmt.Errorf("%s=%q: want on or off", s.name, s.value))
		}
	}
	errs = append(errs, c.checkDB()...)
	if _, err := ParseEmbedOrigins(c.EmbedOrigins); err != nil {
		errs = append(errs, err)
	}
	if c.RequestTimeout < 500*time.Millisecond || c.RequestTimeout > time.Minute {
		errs = append(errs, fmt.Errorf("REPARERER_REQUEST_TIMEOUT=%s must be between 500ms and 1m", c.RequestTimeout))
	}
	if _, err := ParseProxies(c.TrustedProxies); err != nil {
		errs = append(errs, err)
	}
	if mb, err := strconv.Atoi(c.DBMaxMB); c.DBMaxMB != "" && (err != nil || mb < 0) {
		errs = append(errs, fmt.Errorf("REPARERER_DB_MAX_MB=%q: want a whole number of megabytes (0: no cap)", c.DBMaxMB))
	}
	return errs
}

// validateSMTP checks the mail settings, which matter only with a host.
func (c Config) validateSMTP() []error {
	if c.SMTPHost == "" {
		return nil
	}
	var errs []error
	if port, err := strconv.Atoi(c.SMTPPort); err != nil || port < 1 || port > 65535 {
		errs = append(errs, fmt.Errorf("REPARERER_SMTP_PORT=%q is not a port number", c.SMTPPort))
	}
	if _, err := mail.ParseAddress(c.SMTPFrom); err != nil {
		errs = append(errs, fmt.Errorf("REPARERER_SMTP_FROM=%q is not an e-mail address", c.SMTPFrom))
	}
	switch c.SMTPTLS {
	case "starttls", "tls", "none":
	default:
		errs = append(errs, fmt.Errorf("REPARERER_SMTP_TLS=%q must be starttls, tls or none", c.SMTPTLS))
	}
	return errs
}

// ParseProxies reads REPARERER_TRUSTED_PROXIES: CIDRs or single
// addresses, comma-separated.
func ParseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("REPARERER_TRUSTED_PROXIES: %q is not an address or CIDR", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// CheckServe checks what only serving needs: a public (https) service
// without an SMTP relay would write working sign-in links to its log, for
// whoever reads the log, so it does not start.
func (c Config) CheckServe() error {
	if c.SMTPHost == "" && strings.HasPrefix(c.BaseURL, "https://") {
		return errors.New("config: REPARERER_SMTP_HOST is empty while REPARERER_BASE_URL is https: sign-in links would be written to the log; set an SMTP relay")
	}
	return nil
}

// Redact hides a URL's password (a path is returned as it is).
func Redact(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return raw
}

// checkDB refuses a store URL the service does not speak: any URL but
// PostgreSQL's would otherwise become a SQLite file in a folder named
// after its scheme, served as if nothing were wrong.
func (c *Config) checkDB() []error {
	u, err := url.Parse(c.DB)
	if err != nil || len(u.Scheme) <= 1 { // a path (C:\ on Windows has a one-letter scheme)
		return nil
	}
	switch {
	case u.Scheme != "postgres" && u.Scheme != "postgresql":
		return []error{fmt.Errorf("REPARERER_DB=%q: want a SQLite file path or a postgres:// URL", Redact(c.DB))}
	case u.Host == "" && u.Query().Get("host") == "":
		return []error{fmt.Errorf("REPARERER_DB=%q: the PostgreSQL URL names no host", Redact(c.DB))}
	case c.DBMaxMB != "" && c.DBMaxMB != "0":
		return []error{fmt.Errorf("REPARERER_DB_MAX_MB caps a SQLite file; limit PostgreSQL with its own means")}
	}
	return nil
}

// ParseEmbedOrigins reads REPARERER_EMBED_ORIGINS into a CSP
// frame-ancestors source list: "*" (any site), "'none'", or the origins.
func ParseEmbedOrigins(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	switch raw {
	case "", "*":
		return "*", nil
	case "none":
		return "'none'", nil
	}
	var out []string
	for _, o := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' }) {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") ||
			u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.ContainsAny(o, ";'\"") {
			return "", fmt.Errorf("REPARERER_EMBED_ORIGINS: %q is not an origin (https://host[:port])", o)
		}
		out = append(out, u.Scheme+"://"+u.Host)
	}
	return strings.Join(out, " "), nil
}
