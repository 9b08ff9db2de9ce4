// Package event is what happens on a date rather than every week: a
// repair café's sessions and the repair bus's stops. An event is one-off
// or recurs by an RFC 5545 recurrence rule (expanded by rrule-go, not by
// hand), with dates left out and sessions called off; its occurrences are
// what residents see ("Neste gang: lørdag 6. desember kl. 12–15"), what
// "open now" counts and what the iCal feeds publish.
package event

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/teambition/rrule-go"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

// Limits of an event.
const (
	MaxTitle       = 120
	MaxDescription = 1000
	MaxMinutes     = 12 * 60
	MaxDates       = 100 // dates left out, and sessions called off
	// Ahead is how far ahead occurrences are listed, indexed and fed.
	Ahead = 90 * 24 * time.Hour
	// maxOccurrences bounds one expansion, whatever the rule says.
	maxOccurrences = 500
)

// Booking says whether to book a place at a session.
const (
	BookingNone        = "none"
	BookingRecommended = "recommended"
	BookingRequired    = "required"
)

// Bookings are the booking choices, in the form's order.
var Bookings = []string{BookingNone, BookingRecommended, BookingRequired}

// Place is where an event happens.
type Place struct {
	Name     string  `json:"name"`
	Street   string  `json:"street"`
	Postcode string  `json:"postcode"`
	City     string  `json:"city"`
	District string  `json:"district"`
	Lat      float64 `json:"lat"`
	Lng      float64 `json:"lng"`
}

// Event is a session that happens once or recurs.
type Event struct {
	ID string `json:"id"`
	// ListingID is the listing that holds it (a repair café); empty for
	// the municipality's own events and the bus's stops.
	ListingID string `json:"listing_id,omitempty"`
	// RouteID makes it a stop of the repair bus.
	RouteID     string   `json:"route_id,omitempty"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Categories  []string `json:"categories"` // what is repaired
	Place       Place    `json:"place"`
	// Start is the first session's start, in Bergen's time.
	Start   time.Time `json:"start"`
	Minutes int       `json:"minutes"` // how long each session lasts
	// RRule is an RFC 5545 recurrence rule (without DTSTART); empty: once.
	RRule string `json:"rrule,omitempty"`
	// Except are the dates (YYYY-MM-DD) the rule would give that have no
	// session; Cancelled those whose session was called off, which are
	// shown and published as cancelled.
	Except     []string  `json:"except,omitempty"`
	Cancelled  []string  `json:"cancelled,omitempty"`
	Booking    string    `json:"booking"`
	BookingURL string    `json:"booking_url,omitempty"`
	Version    int       `json:"version"`
	UpdatedAt  time.Time `json:"updated_at"`
	UpdatedBy  string    `json:"-"`
}

// Occurrence is one session of an event.
type Occurrence struct {
	Event      *Event
	Start, End time.Time
	Cancelled  bool
}

// Date is the occurrence's date in Bergen, as YYYY-MM-DD.
func (o Occurrence) Date() string { return o.Start.In(openinghours.Oslo).Format(time.DateOnly) }

// Recurring reports whether the event has more than one session.
func (e *Event) Recurring() bool { return e.RRule != "" }

// rule is the event's recurrence rule starting at its first session.
func (e *Event) rule() (*rrule.RRule, error) {
	opt, err := rrule.StrToROptionInLocation(e.RRule, openinghours.Oslo)
	if err != nil {
		return nil, err
	}
	opt.Dtstart = e.Start.In(openinghours.Oslo)
	return rrule.NewRRule(*opt)
}

// Occurrences are the sessions that overlap [from, to), the ones called
// off included, marked.
func (e *Event) Occurrences(from, to time.Time) []Occurrence {
	length := time.Duration(e.Minutes) * time.Minute
	starts := []time.Time{e.Start}
	if e.Recurring() {
		r, err := e.rule()
		if err != nil {
			return nil // a stored rule was checked when it was saved
		}
		starts = starts[:0]
		next := r.Iterator()
		for t, ok := next(); ok && len(starts) < maxOccurrences && t.Before(to); t, ok = next() {
			if !t.Add(length).After(from) {
				continue
			}
			starts = append(starts, t)
		}
	}
	var out []Occurrence
	for _, s := range starts {
		o := Occurrence{Event: e, Start: s, End: s.Add(length)}
		if !o.End.After(from) || !o.Start.Before(to) || slices.Contains(e.Except, o.Date()) {
			continue
		}
		o.Cancelled = slices.Contains(e.Cancelled, o.Date())
		out = append(out, o)
	}
	return out
}

// Next is the first session not called off that has not ended at now.
func (e *Event) Next(now time.Time) (Occurrence, bool) {
	for _, o := range e.Occurrences(now, now.Add(Ahead)) {
		if !o.Cancelled {
			return o, true
		}
	}
	return Occurrence{}, false
}

// SessionsOf are the listings' sessions, called-off ones left out, that
// overlap [from, to), by listing: what the index holds of them.
func SessionsOf(events []*Event, from, to time.Time) map[string][]listing.Session {
	out := map[string][]listing.Session{}
	for _, e := range events {
		for _, o := range e.Occurrences(from, to) {
			if !o.Cancelled && e.ListingID != "" {
				out[e.ListingID] = append(out[e.ListingID], listing.Session{Start: o.Start, End: o.End})
			}
		}
	}
	for id, ss := range out {
		slices.SortFunc(ss, func(a, b listing.Session) int { return a.Start.Compare(b.Start) })
		out[id] = ss
	}
	return out
}

// check validates a place: named or addressed, positioned, and short.
func (p Place) check() error {
	if p.Lat == 0 || p.Lng == 0 || strings.TrimSpace(p.Name+p.Street) == "" {
		return apperr.Invalid("place", "err.event.place_missing")
	}
	if utf8.RuneCountInString(p.Name) > MaxTitle || utf8.RuneCountInString(p.Street) > MaxTitle {
		return apperr.Invalid("place_name", "err.event.too_long", "max", MaxTitle)
	}
	return nil
}

// Frequencies a rule may have: sessions are not hourly.
var frequencies = []rrule.Frequency{rrule.DAILY, rrule.WEEKLY, rrule.MONTHLY, rrule.YEARLY}

// Check validates an event and tidies it in place. Every problem is an
// apperr naming the form's field.
func (e *Event) Check() error {
	e.Title = strings.TrimSpace(e.Title)
	e.Description = strings.TrimSpace(e.Description)
	switch n := utf8.RuneCountInString(e.Title); {
	case n == 0:
		return apperr.Invalid("title", "err.event.title_missing")
	case n > MaxTitle:
		return apperr.Invalid("title", "err.event.too_long", "max", MaxTitle)
	}
	if utf8.RuneCountInString(e.Description) > MaxDescription {
		return apperr.Invalid("description", "err.event.too_long", "max", MaxDescription)
	}
	if len(e.Categories) == 0 {
		return apperr.Invalid("category", "err.event.category_missing")
	}
	for _, c := range e.Categories {
		if !category.Valid(c) {
			return apperr.Invalid("category", "err.event.category_unknown")
		}
	}
	slices.Sort(e.Categories)
	e.Categories = slices.Compact(e.Categories)
	if e.Start.IsZero() {
		return apperr.Invalid("date", "err.event.start_missing")
	}
	if e.Minutes <= 0 || e.Minutes > MaxMinutes {
		return apperr.Invalid("end", "err.event.length")
	}
	if err := e.Place.check(); err != nil {
		return err
	}
	if !slices.Contains(Bookings, e.Booking) {
		return apperr.Invalid("booking", "err.event.booking")
	}
	if e.BookingURL != "" {
		u, err := url.Parse(e.BookingURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(e.BookingURL) > 500 {
			return apperr.Invalid("booking_url", "err.event.booking_url")
		}
	}
	if e.RRule != "" {
		if err := checkRule(e.RRule); err != nil {
			return err
		}
	}
	for _, dates := range []*[]string{&e.Except, &e.Cancelled} {
		if len(*dates) > MaxDates {
			return apperr.Invalid("except", "err.event.too_many_dates", "max", MaxDates)
		}
		for _, d := range *dates {
			if _, err := time.ParseInLocation(time.DateOnly, d, openinghours.Oslo); err != nil {
				return apperr.Invalid("except", "err.event.date", "value", d)
			}
		}
		slices.Sort(*dates)
		*dates = slices.Compact(*dates)
	}
	return nil
}

// checkRule accepts an RRULE value that rrule-go reads, without a start of
// its own (the event's start is it) and with a frequency of days or more.
func checkRule(rule string) error {
	upper := strings.ToUpper(rule)
	if len(rule) > 300 || strings.Contains(upper, "DTSTART") || strings.Contains(upper, "BYHOUR") ||
		strings.Contains(upper, "BYMINUTE") || strings.Contains(upper, "BYSECOND") {
		return apperr.Invalid("rrule", "err.event.rrule")
	}
	opt, err := rrule.StrToROption(rule)
	if err != nil || !slices.Contains(frequencies, opt.Freq) || opt.Interval > 12 || opt.Count > maxOccurrences {
		return apperr.Invalid("rrule", "err.event.rrule")
	}
	return nil
}

// Rule builds the recurrence rules the form offers from the first
// session's date: weekly on its weekday, every other week, or monthly on
// its nth weekday ("første lørdag", or the last when it is the fifth);
// until, if not zero, is the last date.
func Rule(repeat string, start time.Time, until time.Time) (string, error) {
	local := start.In(openinghours.Oslo)
	day := strings.ToUpper(local.Weekday().String()[:2])
	var rule string
	switch repeat {
	case "", "once":
		return "", nil
	case "weekly":
		rule = "FREQ=WEEKLY;BYDAY=" + day
	case "biweekly":
		rule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=" + day
	case "monthly":
		nth := (local.Day()-1)/7 + 1
		if nth == 5 {
			nth = -1
		}
		rule = fmt.Sprintf("FREQ=MONTHLY;BYDAY=%d%s", nth, day)
	default:
		return "", apperr.Invalid("repeat", "err.event.repeat")
	}
	if !until.IsZero() {
		if until.Before(local) {
			return "", apperr.Invalid("until", "err.event.until")
		}
		end := time.Date(until.Year(), until.Month(), until.Day(), 23, 59, 59, 0, openinghours.Oslo).UTC()
		rule += ";UNTIL=" + end.Format("20060102T150405Z")
	}
	return rule, nil
}

// Repeat names the form's choice a rule was built from ("custom" for any
// other rule).
func Repeat(e *Event) string {
	if e.RRule == "" {
		return "once"
	}
	rule, _, _ := strings.Cut(e.RRule, ";UNTIL=")
	for _, r := range []string{"weekly", "biweekly", "monthly"} {
		if built, _ := Rule(r, e.Start, time.Time{}); built == rule {
			return r
		}
	}
	return "custom"
}
