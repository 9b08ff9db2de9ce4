// Package web is the HTTP layer: routes, handlers and the one error
// handler. Handlers parse, validate, make one call and render.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"github.com/bergenreparerer/reparerer/frontend"
	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/audit"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/coverage"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/mail"
	"github.com/bergenreparerer/reparerer/internal/moderation"
	"github.com/bergenreparerer/reparerer/internal/owner"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/printout"
	"github.com/bergenreparerer/reparerer/internal/reminder"
	"github.com/bergenreparerer/reparerer/internal/report"
	"github.com/bergenreparerer/reparerer/internal/search"
)

// Readiness is the answer of /readyz.
type Readiness struct {
	Store         string `json:"store"`
	Index         string `json:"index"`
	Cache         string `json:"cache"`
	CacheBackend  string `json:"cache_backend"`
	OutboxPending int    `json:"outbox_pending"`
	// OutboxParked counts entries the index refused too often; they need
	// a person (see the log for the listing and the reason).
	OutboxParked int `json:"outbox_parked"`
}

// Ready reports whether the service can answer: the store and the index
// are reachable (the cache is optional).
func (r Readiness) Ready() bool { return r.Store == "ok" && r.Index == "ok" }

// Server holds what the handlers need.
type Server struct {
	Search    *search.Service
	Listings  listing.Store
	Reports   report.Store
	Districts *district.Map
	Postcodes *postcode.Book
	Messages  *i18n.Catalogue
	// Writes is the listing service that validates and stores changes.
	Writes    *listing.Service
	Auth      *auth.Service
	Owners    *owner.Service
	Audit     audit.Store
	Reminders *reminder.Service
	Mailer    mail.Sender
	// The municipality's console.
	Moderation *moderation.Service
	Imports    *importer.Planner
	Uploads    importer.Uploads
	Scans      printout.Scans
	// Misses counts searches that found nothing; MissStore reads them back.
	Misses *coverage.Recorder
	// FreshnessAge puts a listing on the freshness list.
	FreshnessAge time.Duration
	MissStore    coverage.Store
	Readiness    func(ctx context.Context) Readiness
	Now          func() time.Time
	Log          *slog.Logger
	BaseURL      string
	// TileURL is the map tile template; empty shows no tiles.
	TileURL, TileAttribution, TileAttributionURL string

	assets *assets
	pages  *pages
}

// App returns the fiber app with every route. It fails when the frontend
// has not been built.
func (s *Server) App() (*fiber.App, error) {
	var err error
	if s.assets, err = loadAssets(frontend.Dist); err != nil {
		return nil, err
	}
	if s.pages, err = loadPages(s.assets); err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{
		AppName:               "reparerer",
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		ReadTimeout:           10 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
	})
	app.Use(recover.New())
	app.Use(requestid.New())
	app.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy: s.contentSecurityPolicy(),
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
	s.routes(app)
	app.Use(func(c *fiber.Ctx) error {
		return apperr.NotFound("Siden finnes ikke. / No such page.")
	})
	return app, nil
}

// contentSecurityPolicy allows scripts and styles from this site only, and
// images from the map tile server.
func (s *Server) contentSecurityPolicy() string {
	img := "'self' data:"
	if u, err := url.Parse(s.TileURL); err == nil && u.Host != "" {
		img += " " + u.Scheme + "://" + strings.ReplaceAll(u.Host, "{s}", "*")
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + img +
		"; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
}

var statusOf = map[apperr.Code]int{
	apperr.CodeInvalidParameter: fiber.StatusBadRequest,
	apperr.CodeUnknownParameter: fiber.StatusBadRequest,
	apperr.CodeInvalid:          fiber.StatusBadRequest,
	apperr.CodeNotFound:         fiber.StatusNotFound,
	apperr.CodeConflict:         fiber.StatusConflict,
	apperr.CodeUnauthorized:     fiber.StatusUnauthorized,
	apperr.CodeForbidden:        fiber.StatusForbidden,
	apperr.CodeRateLimited:      fiber.StatusTooManyRequests,
	apperr.CodeUnavailable:      fiber.StatusServiceUnavailable,
	apperr.CodeMailUnavailable:  fiber.StatusServiceUnavailable,
	apperr.CodeNotOwner:         fiber.StatusForbidden,
	apperr.CodeNotAdmin:         fiber.StatusForbidden,
}

// handleError is the one place errors become responses. Client errors keep
// their safe message; anything else is logged once and answered with a
// fixed message, so internal details never reach the client.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	var ae *apperr.Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &fe) && fe.Code == fiber.StatusMethodNotAllowed:
		ae = &apperr.Error{Code: apperr.CodeMethodNotAllowed, Message: "Metoden er ikke tillatt. / Method not allowed."}
	case errors.As(err, &fe) && fe.Code < 500:
		ae = &apperr.Error{Code: apperr.CodeInvalid, Message: "Ugyldig forespørsel. / Bad request."}
		if fe.Code == fiber.StatusNotFound {
			ae.Code, ae.Message = apperr.CodeNotFound, "Siden finnes ikke. / No such page."
		}
	default:
		ae = &apperr.Error{Code: apperr.CodeInternal, Message: "Intern feil. Prøv igjen senere. / Internal error. Please try again later.", Err: err}
	}
	status, ok := statusOf[ae.Code]
	if !ok {
		status = fiber.StatusInternalServerError
		if fe != nil {
			status = fe.Code
		}
	}
	if status >= 500 {
		s.Log.Error("request failed", "error", err, "status", status, "path", c.Path(),
			"request_id", c.GetRespHeader(fiber.HeaderXRequestID))
	}
	if wantsHTML(c) {
		return s.renderError(c, status, string(ae.Code))
	}
	return c.Status(status).JSON(fiber.Map{"error": ae})
}
