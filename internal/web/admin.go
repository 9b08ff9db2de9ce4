package web

import (
	"github.com/bergenreparerer/reparerer/internal/registersync"
	"github.com/bergenreparerer/reparerer/internal/search"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
	"github.com/bergenreparerer/reparerer/internal/tip"
	"github.com/bergenreparerer/reparerer/internal/vocabulary"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/coverage"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/label"
	"github.com/bergenreparerer/reparerer/internal/moderation"
	"github.com/bergenreparerer/reparerer/internal/quote"
	"github.com/bergenreparerer/reparerer/internal/reminder"
	"github.com/bergenreparerer/reparerer/internal/web/form"
)

// admin serves the municipality's console: the review queue, one
// listing's dossier and actions, freshness, import, printouts, the repair
// voucher and the statistics.
type admin struct {
	*renderer
	listings    ListingReader
	moderation  *moderation.Service
	tips        tip.Store
	suggestions *suggestion.Service
	register    *registersync.Service
	vocabulary  *vocabulary.Service
	reader      *search.Reader
	reminders   *reminder.Service
	imports     *importer.Service
	labels      label.Store
	misses      *coverage.Recorder
	// registerMatches is what the register checks found, for the
	// data-quality panel.
	registerMatches RegisterMatches
	districts       *district.Map
	freshnessAge    time.Duration
	now             func() time.Time
	log             *slog.Logger
	quotes          *quote.Service
	events          EventStore
}

// adminBody is what every admin page shares: the sub-navigation, a
// notice after an action, a refusal, and the page's own data.
type adminBody struct {
	Page   string // which admin page: queue, listing, fresh, import, voucher, stats
	Notice string
	Error  *form.Error
	Data   any
}

func (a *admin) render(c *fiber.Ctx, status int, page, title string, data any, ferr *form.Error) error {
	l := a.lang(c)
	body := adminBody{Page: page, Data: data, Error: ferr}
	if n := c.Query("melding"); n != "" && l.Has("admin.notice."+n) {
		body.Notice = l.T("admin.notice." + n)
	}
	return a.renderer.render(c, status, "admin", a.private(c, l, title, "admin", body))
}
