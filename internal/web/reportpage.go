package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/report"
)

// Reports are anonymous, so abuse is held back per client address.
const (
	reportsPerWindow = 5
	reportWindow     = 10 * time.Minute
)

type reportBody struct {
	Name, ListingURL, Action, CSRF string
	Reasons                        []reportReason
	Message, Email                 string
	Error                          *formError
}

type reportReason struct {
	Value, Label string
	Checked      bool
}

// csrfProtection checks the token of every form post against its cookie.
func (s *Server) csrfProtection() fiber.Handler {
	return csrf.New(csrf.Config{
		KeyLookup: "form:_csrf", CookieName: "csrf_", CookieSameSite: fiber.CookieSameSiteLaxMode,
		CookieHTTPOnly: true, CookieSecure: s.secureCookies(), Expiration: 2 * time.Hour, ContextKey: "csrf",
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			return &apperr.Error{Code: apperr.CodeForbidden, Message: "Skjemaet er utløpt eller ugyldig. / The form has expired or is invalid.", Err: err}
		},
	})
}

func (s *Server) reportLimit() fiber.Handler {
	return limiter.New(limiter.Config{
		Max: reportsPerWindow, Expiration: reportWindow,
		LimitReached: func(c *fiber.Ctx) error {
			return &apperr.Error{Code: apperr.CodeRateLimited, Message: "For mange meldinger. Prøv igjen senere. / Too many reports. Please try again later."}
		},
	})
}

func (s *Server) publishedListing(c *fiber.Ctx) (*listing.Listing, error) {
	l, err := s.Listings.GetBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, err
	}
	if !l.Published() {
		return nil, errNotPublished
	}
	return l, nil
}

func (s *Server) reportForm(c *fiber.Ctx) error {
	lst, err := s.publishedListing(c)
	if err != nil {
		return err
	}
	return s.renderReport(c, s.lang(c), lst, report.Report{}, nil, fiber.StatusOK)
}

func (s *Server) reportSubmit(c *fiber.Ctx) error {
	lst, err := s.publishedListing(c)
	if err != nil {
		return err
	}
	thanks := "/reparator/" + lst.Slug + "?meldt=1"
	if c.FormValue("website") != "" { // the honeypot: a robot filled a field people never see
		s.Log.Info("report: dropped a robot's report", "listing_id", lst.ID)
		return c.Redirect(thanks, fiber.StatusSeeOther)
	}
	r := report.Report{
		ListingID: lst.ID, Reason: strings.Clone(c.FormValue("reason")),
		Message: strings.Clone(c.FormValue("message")), Email: strings.Clone(c.FormValue("email")),
	}
	if err := r.Normalize(); err != nil {
		l := s.lang(c)
		field := ""
		if ae, ok := err.(*apperr.Error); ok {
			field = ae.Field
		}
		target := field
		if field == "reason" {
			target = "reason-" + report.Reasons[0]
		}
		return s.renderReport(c, l, lst, r, &formError{target, l.T("report.error." + field)}, fiber.StatusBadRequest)
	}
	if err := s.Reports.CreateReport(c.UserContext(), &r); err != nil {
		return err
	}
	s.Log.Info("report: received", "listing_id", lst.ID, "report_id", r.ID, "reason", r.Reason)
	return c.Redirect(thanks, fiber.StatusSeeOther)
}

func (s *Server) renderReport(c *fiber.Ctx, l *i18n.Localizer, lst *listing.Listing, r report.Report, ferr *formError, status int) error {
	body := reportBody{
		Name: lst.Name, ListingURL: "/reparator/" + lst.Slug, Action: "/reparator/" + lst.Slug + "/meld-feil",
		Message: r.Message, Email: r.Email, Error: ferr,
	}
	body.CSRF, _ = c.Locals("csrf").(string)
	for _, reason := range report.Reasons {
		body.Reasons = append(body.Reasons, reportReason{reason, l.T("report.reason." + reason), reason == r.Reason})
	}
	v := s.newView(c, l, l.T("report.heading", "name", lst.Name), nil, false)
	v.Noindex = true
	v.Body = body
	return s.render(c, status, "report", "layout", v)
}
