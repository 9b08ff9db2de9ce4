package form

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/event"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

// Event is the event form as typed: a session, once or recurring.
type Event struct {
	Title, Description   string
	Categories           map[string]bool
	Date, Start, End     string // YYYY-MM-DD, HH:MM, HH:MM
	Repeat, RRule, Until string // once, weekly, biweekly, monthly or custom (RRule)
	// Except and Cancelled are dates, one per line (or separated by
	// commas or spaces).
	Except, Cancelled   string
	Booking, BookingURL string
	// OwnPlace: the event is not at its listing's address (or it has no
	// listing); then PlaceName, Street and Postcode say where.
	OwnPlace                    bool
	PlaceName, Street, Postcode string
	Version                     int
}

// ReadEvent reads a posted event form.
func ReadEvent(v url.Values) Event {
	f := Event{Title: v.Get("title"), Description: v.Get("description"), Categories: map[string]bool{},
		Date: strings.TrimSpace(v.Get("date")), Start: strings.TrimSpace(v.Get("start")), End: strings.TrimSpace(v.Get("end")),
		Repeat: v.Get("repeat"), RRule: strings.TrimSpace(v.Get("rrule")), Until: strings.TrimSpace(v.Get("until")),
		Except: v.Get("except"), Cancelled: v.Get("cancelled"), Booking: v.Get("booking"), BookingURL: strings.TrimSpace(v.Get("booking_url")),
		OwnPlace: v.Get("place") == "own", PlaceName: v.Get("place_name"), Street: v.Get("street"), Postcode: strings.TrimSpace(v.Get("postcode"))}
	for _, c := range v["category"] {
		f.Categories[c] = true
	}
	f.Version, _ = strconv.Atoi(v.Get("version"))
	return f
}

// FromEvent fills the form from a stored event.
func FromEvent(e *event.Event) Event {
	local := e.Start.In(openinghours.Oslo)
	f := Event{Title: e.Title, Description: e.Description, Categories: map[string]bool{},
		Date: local.Format(time.DateOnly), Start: local.Format("15:04"),
		End:    local.Add(time.Duration(e.Minutes) * time.Minute).Format("15:04"),
		Repeat: event.Repeat(e), Except: strings.Join(e.Except, "\n"), Cancelled: strings.Join(e.Cancelled, "\n"),
		Booking: e.Booking, BookingURL: e.BookingURL, OwnPlace: true,
		PlaceName: e.Place.Name, Street: e.Place.Street, Postcode: e.Place.Postcode, Version: e.Version}
	if f.Repeat == "custom" {
		f.RRule = e.RRule
	}
	if _, until, ok := strings.Cut(e.RRule, ";UNTIL="); ok && f.Repeat != "custom" {
		if t, err := time.Parse("20060102T150405Z", until); err == nil {
			f.Until = t.In(openinghours.Oslo).Format(time.DateOnly)
		}
	}
	for _, c := range e.Categories {
		f.Categories[c] = true
	}
	return f
}

// Apply sets what the form says on e, except the place, which the caller
// locates. Problems are apperr errors naming the field.
func (f Event) Apply(e *event.Event) error {
	e.Title, e.Description, e.Booking, e.BookingURL = f.Title, f.Description, f.Booking, f.BookingURL
	e.Categories = e.Categories[:0]
	for c := range f.Categories {
		e.Categories = append(e.Categories, c)
	}
	day, err := time.ParseInLocation(time.DateOnly, f.Date, openinghours.Oslo)
	if err != nil {
		return apperr.Invalid("date", "err.event.date", "value", f.Date)
	}
	from, err1 := time.Parse("15:04", f.Start)
	to, err2 := time.Parse("15:04", f.End)
	if err1 != nil {
		return apperr.Invalid("start", "err.event.time")
	}
	if err2 != nil {
		return apperr.Invalid("end", "err.event.time")
	}
	e.Start = time.Date(day.Year(), day.Month(), day.Day(), from.Hour(), from.Minute(), 0, 0, openinghours.Oslo)
	e.Minutes = int(to.Sub(from) / time.Minute)
	if e.Minutes <= 0 {
		e.Minutes += 24 * 60 // past midnight
	}
	var until time.Time
	if f.Until != "" {
		if until, err = time.ParseInLocation(time.DateOnly, f.Until, openinghours.Oslo); err != nil {
			return apperr.Invalid("until", "err.event.date", "value", f.Until)
		}
	}
	if f.Repeat == "custom" {
		e.RRule = f.RRule
		if e.RRule == "" {
			return apperr.Invalid("rrule", "err.event.rrule")
		}
	} else if e.RRule, err = event.Rule(f.Repeat, e.Start, until); err != nil {
		return err
	}
	e.Except, e.Cancelled = dates(f.Except), dates(f.Cancelled)
	return e.Check()
}

// dates splits a list of dates typed one per line, or with commas or
// spaces between them.
func dates(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}
