package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/netip"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/paths"
)

// What the middleware keeps in a request's locals.
const (
	userKey   = "user"
	csrfKey   = "csrf"
	clientKey = "client"
)

// Limits on what anybody can make the service do. Reports are
// anonymous, and sign-in links are e-mails sent on anybody's request, so
// both the client and (for links) the address are held back.
const (
	reportsPerWindow = 5
	// quotesPerAddress bounds the requests one e-mail address makes an
	// hour; quoteRepliesPerHour a client's answers to requests.
	quotesPerAddress    = 3
	quoteRepliesPerHour = 30
	reportWindow        = 10 * time.Minute
	linksPerAddress     = 3
	linksPerClient      = 10
	linkWindow          = 15 * time.Minute
	// A repairer's listing writes, an hour: per account, and per client
	// address (an office shares one).
	registrationsPerHour       = 10
	registrationsPerClientHour = 30
	editsPerHour               = 60
	editsPerClientHour         = 300
	// A café publishes its season in a sitting: a few dozen saves.
	eventWritesPerHour       = 60
	eventWritesPerClientHour = 300
)

var (
	errNoSession = apperr.New(apperr.CodeUnauthorized, "err.auth.not_signed_in")
	errNotAdmin  = apperr.New(apperr.CodeNotAdmin, "err.not_admin")
)

// middleware is what every audience shares: who is signed in, whether
// they may pass, forms' CSRF tokens, and the rate limits.
type middleware struct {
	*renderer
	auth *auth.Service
	// formKey signs form tokens (shared by the instances).
	formKey []byte
	// proxies are the trusted reverse proxies (see withClient).
	proxies []netip.Prefix
	// limits counts the rate limits in a store all instances share (nil:
	// in this process).
	limits fiber.Storage
}

// sessionCookie is the cookie's name; on https the __Host- prefix makes
// browsers refuse it from subdomains and over plain http.
func (m *middleware) sessionCookie() string {
	if m.secureCookies() {
		return "__Host-sid"
	}
	return "sid"
}

// withUser puts the signed-in user, if any, into the request.
func (m *middleware) withUser(c *fiber.Ctx) error {
	id := c.Cookies(m.sessionCookie())
	if id == "" {
		return c.Next()
	}
	u, err := m.auth.Authenticate(c.UserContext(), id)
	switch {
	case err == nil:
		c.Locals(userKey, &u)
	case apperr.Is(err, apperr.CodeUnauthorized):
		m.clearSessionCookie(c)
	default:
		return err
	}
	return c.Next()
}

// withClient finds the address a request came from: the TCP peer, or —
// when the peer is one of the trusted proxies — the last address in
// X-Forwarded-For that is not a trusted proxy (the proxies append; what
// comes before may be the client's own invention). Limits and logs use it.
func (m *middleware) withClient(c *fiber.Ctx) error {
	client, _ := netip.ParseAddr(c.Context().RemoteIP().String())
	client = client.Unmap()
	if m.trusted(client) {
		hops := strings.Split(string(c.Request().Header.Peek(fiber.HeaderXForwardedFor)), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a malformed hop: keep the last address known
			}
			client = hop.Unmap()
			if !m.trusted(client) {
				break
			}
		}
	}
	c.Locals(clientKey, client.String())
	return c.Next()
}

func (m *middleware) trusted(a netip.Addr) bool {
	for _, p := range m.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientIP is the client's address (see withClient).
func clientIP(c *fiber.Ctx) string {
	if ip, ok := c.Locals(clientKey).(string); ok {
		return ip
	}
	return c.IP()
}

// noStore keeps browsers and proxies from storing an answer: a signed-in
// person's pages, the console and its CSV files, and the pages that carry
// a sign-in or confirmation token.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// strictTransport tells browsers to use https only, once the service is
// served over it.
func strictTransport(c *fiber.Ctx) error {
	c.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000")
	return c.Next()
}

// currentUser is the signed-in user, or nil.
func currentUser(c *fiber.Ctx) *auth.User {
	u, _ := c.Locals(userKey).(*auth.User)
	return u
}

// requireUser lets only signed-in users through: a page asks them to sign
// in and come back; a form post is refused.
func (m *middleware) requireUser(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Next()
	}
	if c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
		return c.Redirect(paths.SignInNext(c.OriginalURL()), fiber.StatusSeeOther)
	}
	return errNoSession
}

// requireAdmin lets only the municipality through. It runs after
// withUser on every /admin route: a page asks a visitor to sign in, a post
// without a session is refused, and a signed-in repairer is forbidden.
func (m *middleware) requireAdmin(c *fiber.Ctx) error {
	u := currentUser(c)
	if u == nil {
		return m.requireUser(c)
	}
	if !u.Admin() {
		return errNotAdmin
	}
	return c.Next()
}

func (m *middleware) setSessionCookie(c *fiber.Ctx, id string) {
	c.Cookie(&fiber.Cookie{Name: m.sessionCookie(), Value: id, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: m.secureCookies(), SessionOnly: true})
}

func (m *middleware) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: m.sessionCookie(), Value: "", Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: m.secureCookies(), Expires: time.Unix(1, 0), MaxAge: -1})
}

// csrf gives every form a token bound to who holds it — the session, or
// before sign-in a random browser cookie — and refuses a post whose token
// is not the holder's. The token is an HMAC of that binding under a key
// all instances share, so it needs no storage, and it changes when the
// session does: at sign-in and sign-out.
func (m *middleware) csrf() fiber.Handler {
	return func(c *fiber.Ctx) error {
		token := m.csrfToken(c)
		c.Locals(csrfKey, token)
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
			return c.Next()
		}
		if sent := c.FormValue("_csrf"); subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
			return apperr.New(apperr.CodeForbidden, "err.form_expired")
		}
		return c.Next()
	}
}

// csrfToken is the form token of the request's holder, setting the
// browser cookie a visitor without a session is known by.
func (m *middleware) csrfToken(c *fiber.Ctx) string {
	binding := c.Cookies(m.sessionCookie())
	if binding != "" {
		binding = "session:" + binding
	} else {
		browser := c.Cookies(m.browserCookie())
		if len(browser) != 43 { // 32 random bytes, base64url
			b := make([]byte, 32)
			_, _ = rand.Read(b) // crypto/rand does not fail on supported platforms
			browser = base64.RawURLEncoding.EncodeToString(b)
			c.Cookie(&fiber.Cookie{Name: m.browserCookie(), Value: browser, Path: "/", HTTPOnly: true,
				SameSite: fiber.CookieSameSiteLaxMode, Secure: m.secureCookies(), SessionOnly: true})
		}
		binding = "browser:" + browser
	}
	mac := hmac.New(sha256.New, m.formKey)
	mac.Write([]byte(binding))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// browserCookie names the cookie a visitor without a session is known by
// for form tokens; __Host- on https, like the session's.
func (m *middleware) browserCookie() string {
	if m.secureCookies() {
		return "__Host-csrf"
	}
	return "csrf_"
}

// limit is a rate limit named name (keys of different limits never
// meet), keyed by the client address unless cfg says otherwise, counted in
// the shared store when there is one (Redis: the limits then hold across
// instances and restarts) or in this process.
func (m *middleware) limit(name string, cfg limiter.Config) fiber.Handler {
	key := cfg.KeyGenerator
	if key == nil {
		key = clientIP
	}
	cfg.KeyGenerator = func(c *fiber.Ctx) string { return name + ":" + key(c) }
	if m.limits != nil {
		cfg.Storage = m.limits
	}
	return limiter.New(cfg)
}

// reportLimit holds back the public's anonymous posts (name: "reports",
// "tips") per client address.
func (m *middleware) reportLimit(name string) fiber.Handler {
	return m.limit(name, limiter.Config{Max: reportsPerWindow, Expiration: reportWindow,
		LimitReached: func(*fiber.Ctx) error { return apperr.New(apperr.CodeRateLimited, "err.reports_rate_limited") }})
}

// quoteLimits hold back residents' quote requests: per client address
// like a report, and per e-mail address, so that nobody fills someone
// else's inbox with confirmation links: past its limit, an address is
// answered as if a link were sent, and sent nothing.
func (m *middleware) quoteLimits() []fiber.Handler {
	return []fiber.Handler{m.reportLimit("quotes"),
		m.limit("quotes-address", limiter.Config{Max: quotesPerAddress, Expiration: time.Hour,
			KeyGenerator: func(c *fiber.Ctx) string { return strings.ToLower(strings.TrimSpace(c.FormValue("email"))) },
			Next:         func(c *fiber.Ctx) bool { return strings.TrimSpace(c.FormValue("email")) == "" },
			LimitReached: func(c *fiber.Ctx) error {
				return c.Redirect(paths.QuoteRequest(c.Params("slug"))+"?sendt=1", fiber.StatusSeeOther)
			}})}
}

// quoteReplyLimit bounds a client's answers to quote requests: a repairer
// answers a few a day.
func (m *middleware) quoteReplyLimit() fiber.Handler {
	return m.limit("quote-replies", limiter.Config{Max: quoteRepliesPerHour, Expiration: time.Hour,
		LimitReached: func(*fiber.Ctx) error { return apperr.New(apperr.CodeRateLimited, "err.writes_rate_limited") }})
}

// lookupLimit holds back a signed-in form's lookups in the public
// services (the register, the address API) to perMinute per account: a
// form needs a few, and counting per account rather than per address
// keeps colleagues behind one office address from holding each other
// back.
func (m *middleware) lookupLimit(name string, perMinute int) fiber.Handler {
	return m.limit(name, limiter.Config{Max: perMinute, Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string { return currentUser(c).ID },
		LimitReached: func(*fiber.Ctx) error { return apperr.New(apperr.CodeRateLimited, "err.reports_rate_limited") }})
}

// writeLimits bound a repairer's listing writes (registrations or edits)
// per account and per client address, so no one fills the store: a
// business registers once and edits now and then; an office of repairers
// shares an address, so its limit is wider. The municipality's editors
// are not held back per account.
func (m *middleware) writeLimits(name string, perAccount, perClient int, window time.Duration) (client, account fiber.Handler) {
	reached := func(*fiber.Ctx) error { return apperr.New(apperr.CodeRateLimited, "err.writes_rate_limited") }
	client = m.limit(name+"-client", limiter.Config{Max: perClient, Expiration: window, LimitReached: reached})
	account = m.limit(name+"-account", limiter.Config{Max: perAccount, Expiration: window, LimitReached: reached,
		KeyGenerator: func(c *fiber.Ctx) string { return currentUser(c).ID },
		Next:         func(c *fiber.Ctx) bool { return currentUser(c) == nil || currentUser(c).Admin() }})
	return client, account
}

// linkLimits hold back sign-in e-mails per client address and per e-mail
// address. A client over its limit is told so (clientReached); an address
// that has had its links is answered as if one were sent (addressReached)
// and mailed nothing more, so others asking for someone's address can
// neither flood their inbox nor lock them out: the links already sent
// still work.
func (m *middleware) linkLimits(clientReached, addressReached fiber.Handler) []fiber.Handler {
	return []fiber.Handler{
		m.limit("links-client", limiter.Config{Max: linksPerClient, Expiration: linkWindow, LimitReached: clientReached}),
		m.limit("links-address", limiter.Config{Max: linksPerAddress, Expiration: linkWindow, LimitReached: addressReached,
			KeyGenerator: func(c *fiber.Ctx) string { return strings.ToLower(strings.TrimSpace(c.FormValue("email"))) }}),
	}
}
