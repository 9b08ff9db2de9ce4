package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/coverage"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/label"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/printout"
	"github.com/bergenreparerer/reparerer/internal/quote"
	"github.com/bergenreparerer/reparerer/internal/reminder"
	"github.com/bergenreparerer/reparerer/internal/search"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
	"github.com/bergenreparerer/reparerer/internal/tip"
)

// public serves residents, crawlers and other sites: search, listing
// pages, open data, error reports, probes.
type public struct {
	*renderer
	listings ListingReader
	// scansSeen counts a sticker visit once a day per client.
	scansSeen seenToday
	search    *search.Service
	// events gives a listing page its coming sessions.
	events  *events
	reports ReportTaker
	tips    tip.Store
	// suggestions takes the values the public proposes in a report.
	suggestions *suggestion.Service
	districts   *district.Map
	postcodes   *postcode.Book
	reminders   *reminder.Service
	misses      *coverage.Recorder
	scans       printout.Scans
	readiness   func(ctx context.Context) Readiness
	now         func() time.Time
	log         *slog.Logger
	// embedPolicy is the Content-Security-Policy of the framed search.
	embedPolicy string
	labels      label.Store
	quotes      *quote.Service
}

// errNotPublished answers for a listing the public may not see exactly as
// for one that does not exist.
var errNotPublished = apperr.NotFound("err.listing_not_found")

// published is the :slug listing of listings if the public may see it.
func published(c *fiber.Ctx, listings ListingReader) (*listing.Listing, error) {
	l, err := listings.GetBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, err
	}
	if !l.Published() {
		return nil, errNotPublished
	}
	return l, nil
}

func (p *public) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

func (p *public) readyz(c *fiber.Ctx) error {
	r := p.readiness(c.UserContext())
	if !r.Ready() {
		c.Status(fiber.StatusServiceUnavailable)
	}
	return c.JSON(r)
}
