package web

import (
	"errors"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/i18n"
)

var errNoSuchPage = apperr.NotFound("err.no_such_page")

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
	apperr.CodeReadOnly:         fiber.StatusServiceUnavailable,
	apperr.CodeNotOwner:         fiber.StatusForbidden,
	apperr.CodeNotAdmin:         fiber.StatusForbidden,
	apperr.CodeMethodNotAllowed: fiber.StatusMethodNotAllowed,
}

// errorHandler is the one place errors become responses.
type errorHandler struct {
	*renderer
	log *slog.Logger
	// unwritable recognises the store refusing writes (a full disk, a
	// read-only file); nil: never.
	unwritable func(error) bool
}

// jsonError is an error as the API answers it.
type jsonError struct {
	Code    apperr.Code `json:"code"`
	Message string      `json:"message"`
	Field   string      `json:"field,omitempty"`
}

// handle answers err: client errors with their message in the request's
// language (?lang= or the cookie for pages, ?lang= for the API, bokmål by
// default); anything else is logged once and answered with a fixed
// message, so internal details never reach the client.
func (h *errorHandler) handle(c *fiber.Ctx, err error) error {
	ae := asAppError(err)
	if ae.Code == apperr.CodeInternal && h.unwritable != nil && h.unwritable(err) {
		ae = apperr.New(apperr.CodeReadOnly, "err.store.read_only").Wrap(err)
	}
	status, ok := statusOf[ae.Code]
	if !ok {
		status = fiber.StatusInternalServerError
	}
	if status >= 500 {
		h.log.Error("request failed", "error", err, "status", status, "path", c.Path(), "client", clientIP(c),
			"request_id", c.GetRespHeader(fiber.HeaderXRequestID))
	}
	if wantsHTML(c) {
		return h.renderError(c, status, ae.Code)
	}
	l := apiLang(c, h.messages)
	msg := l.T(ae.Key, ae.Args...)
	if !l.Has(ae.Key) { // a bug, not a message: said in the log, not to the client
		h.log.Error("error message not in the catalogue", "key", ae.Key, "code", ae.Code, "path", c.Path())
		msg = l.T("err.internal")
	}
	return c.Status(status).JSON(fiber.Map{"error": jsonError{Code: ae.Code, Message: msg, Field: ae.Field}})
}

// asAppError is err as an apperr: fiber's own client errors get a code;
// everything else is internal.
func asAppError(err error) *apperr.Error {
	var ae *apperr.Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &fe) && fe.Code == fiber.StatusMethodNotAllowed:
		return apperr.New(apperr.CodeMethodNotAllowed, "err.method_not_allowed")
	case errors.As(err, &fe) && fe.Code == fiber.StatusNotFound:
		return errNoSuchPage
	case errors.As(err, &fe) && fe.Code < 500:
		return apperr.New(apperr.CodeInvalid, "err.bad_request")
	}
	return apperr.New(apperr.CodeInternal, "err.internal").Wrap(err)
}

// renderError answers a page request with an HTML error page in the
// visitor's language.
func (h *errorHandler) renderError(c *fiber.Ctx, status int, code apperr.Code) error {
	l := h.lang(c)
	key := "error." + string(code)
	if !l.Has(key + ".heading") {
		key = "error.internal"
	}
	v := h.newPage(c, l, l.T(key+".heading"), nil, false)
	v.Noindex = true
	v.Body = struct{ Heading, Message string }{l.T(key + ".heading"), l.T(key + ".message")}
	return h.render(c, status, "error", v)
}

// wantsHTML reports whether an error should be answered with a page
// rather than JSON: anything outside the API, the open data and the probes
// is a page or a form of one.
func wantsHTML(c *fiber.Ctx) bool {
	p := c.Path()
	for _, prefix := range []string{"/api/", "/data/", "/healthz", "/readyz", "/_/"} {
		if strings.HasPrefix(p, prefix) {
			return false
		}
	}
	return true
}

// apiLang is the language of an API answer: ?lang= when it names one,
// else bokmål. The API sets no cookie and reads none.
func apiLang(c *fiber.Ctx, messages *i18n.Catalogue) *i18n.Localizer {
	l, _ := i18n.Parse(c.Query("lang"))
	return messages.For(l)
}
