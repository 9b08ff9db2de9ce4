package event

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

// Route is a route of the repair bus: it collects things to be repaired at
// its stops (events with the route's ID, each a weekly time window) and
// lockers, and brings them back.
type Route struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Takes says what the bus takes, in each language.
	TakesNB    string    `json:"takes_nb"`
	TakesEN    string    `json:"takes_en"`
	Categories []string  `json:"categories"`
	Lockers    []Locker  `json:"lockers"`
	Version    int       `json:"version"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Locker is a drop-off point, open at its access hours.
type Locker struct {
	Place
	// Hours are the access hours in OpenStreetMap's opening_hours syntax.
	Hours string `json:"hours"`
}

// Check validates a route and tidies it in place.
func (r *Route) Check() error {
	r.Name, r.TakesNB, r.TakesEN = strings.TrimSpace(r.Name), strings.TrimSpace(r.TakesNB), strings.TrimSpace(r.TakesEN)
	if r.Name == "" || utf8.RuneCountInString(r.Name) > MaxTitle {
		return apperr.Invalid("name", "err.event.title_missing")
	}
	if utf8.RuneCountInString(r.TakesNB) > MaxDescription || utf8.RuneCountInString(r.TakesEN) > MaxDescription {
		return apperr.Invalid("takes_nb", "err.event.too_long", "max", MaxDescription)
	}
	for _, c := range r.Categories {
		if !category.Valid(c) {
			return apperr.Invalid("category", "err.event.category_unknown")
		}
	}
	if len(r.Lockers) > 50 {
		return apperr.Invalid("locker_name", "err.event.too_many_dates", "max", 50)
	}
	for _, l := range r.Lockers {
		if err := l.check(); err != nil {
			return apperr.Invalid("locker_name", "err.event.place_missing")
		}
		if _, err := openinghours.ParseOSM(l.Hours); err != nil {
			return apperr.Invalid("locker_hours", "err.event.locker_hours")
		}
	}
	return nil
}
