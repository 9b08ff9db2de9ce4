package metrics_test

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/metrics"
)

// A gauge whose value cannot be read says so (NaN) rather than 0, which
// would read as an empty outbox.
func TestGaugeThatCannotBeReadIsNaN(t *testing.T) {
	r := metrics.New()
	down := false
	r.Gauge("reparerer_outbox_pending", "Listing writes waiting for the search index.", func() (float64, error) {
		if down {
			return 0, errors.New("store: database is locked")
		}
		return 7, nil
	})
	scrape := func() string {
		rec := httptest.NewRecorder()
		r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		b, _ := io.ReadAll(rec.Body)
		return string(b)
	}
	if out := scrape(); !strings.Contains(out, "\nreparerer_outbox_pending 7\n") {
		t.Errorf("a readable gauge:\n%s", out)
	}
	down = true
	if out := scrape(); !strings.Contains(out, "\nreparerer_outbox_pending NaN\n") {
		t.Errorf("an unreadable gauge:\n%s", out)
	}
}
