package web

import (
	"crypto/subtle"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/metrics"
)

// observe counts every request by its route (for /metrics) and writes one
// access-log line for it: method, route, path without its query (the
// sign-in flow's tokens are in queries), status, time, size and request
// id; the client's address only when asked (REPARERER_ACCESS_LOG_IP). An
// error is answered here, so that the status counted is the one sent.
func observe(reg *metrics.Registry, accessLog, withIP bool, log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		if err := c.Next(); err != nil {
			if herr := c.App().Config().ErrorHandler(c, err); herr != nil {
				return herr
			}
		}
		took := time.Since(start)
		status, route := c.Response().StatusCode(), c.Route().Path
		if reg != nil {
			reg.Request(route, c.Method(), status, took)
		}
		if accessLog && log.Enabled(c.UserContext(), slog.LevelInfo) { // the line's fields are not gathered for a level that drops it
			attrs := []any{"method", c.Method(), "route", route, "path", c.Path(), "status", status,
				"ms", float64(took.Microseconds()) / 1000, "bytes", len(c.Response().Body()),
				"request_id", c.GetRespHeader(fiber.HeaderXRequestID)}
			if withIP {
				attrs = append(attrs, "client", clientIP(c))
			}
			log.Info("request", attrs...)
		}
		return nil
	}
}

// metricsHandler serves /metrics to a bearer of the token; without a
// token there is no such page.
func metricsHandler(reg *metrics.Registry, token string) fiber.Handler {
	if reg == nil || token == "" {
		return func(*fiber.Ctx) error { return errNoSuchPage }
	}
	serve, want := adaptor.HTTPHandler(reg.Handler()), []byte("Bearer "+token)
	return func(c *fiber.Ctx) error {
		if subtle.ConstantTimeCompare([]byte(c.Get(fiber.HeaderAuthorization)), want) != 1 {
			return apperr.New(apperr.CodeUnauthorized, "err.metrics.token")
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return serve(c)
	}
}
