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
)

// The one error handler: codes become statuses, and internal details never
// reach the client. (Under /api/ errors are JSON; pages get HTML error
// pages, tested through the real router in internal/app.)
func TestHandleError(t *testing.T) {
	var logged strings.Builder
	s := &Server{Log: slog.New(slog.NewTextHandler(&logged, nil))}
	app := fiber.New(fiber.Config{ErrorHandler: s.handleError})
	routes := map[string]error{
		"/invalid":  apperr.Invalid("radius_m", "too far"),
		"/conflict": apperr.Conflict("stale version"),
		"/missing":  apperr.NotFound("no such listing"),
		"/down":     apperr.Unavailable(errors.New("dial tcp: refused"), "search is down"),
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
		var got struct{ Error apperr.Error }
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
