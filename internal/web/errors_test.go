package web

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/i18n"
)

// The one error handler: codes become statuses, and internal details never
// reach the client. (Under /api/ errors are JSON; pages get HTML error
// pages, tested through the real router in internal/app.)
func TestHandleError(t *testing.T) {
	var logged strings.Builder
	messages, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	h := &errorHandler{renderer: &renderer{messages: messages}, log: slog.New(slog.NewTextHandler(&logged, nil))}
	app := fiber.New(fiber.Config{ErrorHandler: h.handle})
	routes := map[string]error{
		"/invalid":  apperr.Invalid("radius_m", "err.search.out_of_range", "min", 1, "max", 50000),
		"/conflict": apperr.Conflict("err.store.stale_version", "have", 3, "sent", 2),
		"/missing":  apperr.NotFound("err.listing_not_found"),
		"/down":     apperr.Unavailable(errors.New("dial tcp: refused"), "err.meili.search_unavailable"),
		"/secret":   errors.New("sql: password=hunter2 at /var/lib/db"),
	}
	for path, err := range routes {
		app.Get("/api/v1"+path, func(*fiber.Ctx) error { return err })
	}
	tests := []struct {
		path   string
		code   apperr.Code
		status int
	}{
		{"/invalid", "invalid_parameter", 400},
		{"/conflict", "conflict", 409},
		{"/missing", "not_found", 404},
		{"/down", "search_unavailable", 503},
		{"/secret", "internal", 500},
	}
	for _, tt := range tests {
		resp, err := app.Test(httptest.NewRequest("GET", "/api/v1"+tt.path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		var got struct{ Error jsonError }
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("%s: not JSON: %s", tt.path, body)
		}
		if resp.StatusCode != tt.status || got.Error.Code != tt.code || got.Error.Message == "" {
			t.Errorf("%s: %d %s, want %d %s", tt.path, resp.StatusCode, body, tt.status, tt.code)
		}
		if strings.Contains(string(body), "hunter2") || strings.Contains(string(body), "refused") {
			t.Errorf("%s leaks internal detail: %s", tt.path, body)
		}
	}
	if !strings.Contains(logged.String(), "hunter2") {
		t.Error("the internal error was not logged")
	}
}

// Messages come in the language the API is asked for (?lang=, bokmål by
// default), with their arguments filled in; a key the catalogue lacks is
// answered with the fixed internal message rather than the key.
func TestErrorMessagesInTheRequestsLanguage(t *testing.T) {
	messages, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	h := &errorHandler{renderer: &renderer{messages: messages}, log: slog.New(slog.DiscardHandler)}
	app := fiber.New(fiber.Config{ErrorHandler: h.handle})
	app.Get("/api/v1/range", func(*fiber.Ctx) error {
		return apperr.Invalid("radius_m", "err.search.out_of_range", "min", 1, "max", 50000)
	})
	app.Get("/api/v1/unknown-key", func(*fiber.Ctx) error { return apperr.Invalid("q", "err.no.such.key") })
	tests := []struct{ path, want string }{
		{"/api/v1/range", "Verdien må være mellom 1 og 50000."},
		{"/api/v1/range?lang=nb", "Verdien må være mellom 1 og 50000."},
		{"/api/v1/range?lang=en", "The value must be between 1 and 50000."},
		{"/api/v1/range?lang=xx", "Verdien må være mellom 1 og 50000."},
		{"/api/v1/unknown-key?lang=en", "Internal error. Please try again later."},
	}
	for _, tt := range tests {
		resp, err := app.Test(httptest.NewRequest("GET", tt.path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		var got struct{ Error jsonError }
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if got.Error.Message != tt.want || resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s: message %q (cookie %q), want %q and no cookie", tt.path, got.Error.Message, resp.Header.Get("Set-Cookie"), tt.want)
		}
	}
}
