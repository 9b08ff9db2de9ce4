// Package openinghours models a weekly opening schedule with dated
// exceptions and public-holiday rules, parses the common OpenStreetMap
// opening_hours syntax, and answers "open at T" in Europe/Oslo time.
package openinghours

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
	"github.com/rickar/cal/v2/no"
)

// Oslo is the time zone every schedule is read in.
var Oslo = mustLoadLocation("Europe/Oslo")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("openinghours: load %s: %v (is tzdata missing?)", name, err))
	}
	return loc
}

const minutesPerDay = 24 * 60

// The bounds of a schedule, so that no write can store an unbounded one:
// a shop open in six separate spells a day is already unusual; a year's
// dated exceptions (holidays, a summer closure, a year of renovation) fit
// in MaxExceptions dates; the OSM text of the real data is under 200
// characters.
const (
	MaxIntervals  = 6
	MaxExceptions = 400
	MaxText       = 1000
)

// Interval is an opening interval in minutes after local midnight. End is
// after Start and may pass midnight; only 00:00-24:00 may last a whole day
// (another 24-hour range cannot be written unambiguously in OSM syntax), so "Fr 22:00-02:00" is
// {1320, 1560} on Friday.
type Interval struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Exception replaces the weekly hours on one date. Year 0 means every year
// (OSM "Dec 24 off"). No intervals means closed.
type Exception struct {
	Year      int        `json:"year,omitempty"`
	Month     int        `json:"month"`
	Day       int        `json:"day"`
	Intervals []Interval `json:"intervals"`
}

// Schedule is a listing's opening hours. The zero value means "unknown".
type Schedule struct {
	// Week holds the intervals of each weekday, Monday first.
	Week [7][]Interval `json:"week"`
	// Holidays, when HolidayRule is set, replace the weekly hours on
	// Norwegian public holidays (OSM "PH off").
	HolidayRule bool        `json:"holiday_rule,omitempty"`
	Holidays    []Interval  `json:"holidays,omitempty"`
	Exceptions  []Exception `json:"exceptions,omitempty"`
	// Text is the OSM-syntax source of the schedule, kept so that an
	// unparsed value is never lost.
	Text string `json:"text,omitempty"`
	// Unparsed means Text could not be understood, so the hours are unknown.
	Unparsed bool `json:"unparsed,omitempty"`
}

// Known reports whether the schedule says anything about when the place is
// open. An unknown schedule is never "open now" and never "closed now".
func (s *Schedule) Known() bool {
	if s == nil || s.Unparsed {
		return false
	}
	if s.HolidayRule || len(s.Exceptions) > 0 {
		return true
	}
	for _, d := range s.Week {
		if len(d) > 0 {
			return true
		}
	}
	return s.Text != ""
}

// Validate checks that every interval is well-formed and the schedule
// within its bounds.
func (s *Schedule) Validate() error {
	if len(s.Exceptions) > MaxExceptions {
		return fmt.Errorf("%d dated exceptions; at most %d", len(s.Exceptions), MaxExceptions)
	}
	if len(s.Text) > MaxText {
		return fmt.Errorf("the text is longer than %d characters", MaxText)
	}
	check := func(where string, ivs []Interval) error {
		if len(ivs) > MaxIntervals {
			return fmt.Errorf("%s: %d intervals; at most %d", where, len(ivs), MaxIntervals)
		}
		for _, iv := range ivs {
			if iv.Start < 0 || iv.Start >= minutesPerDay || iv.End <= iv.Start || iv.End-iv.Start > minutesPerDay ||
				(iv.End-iv.Start == minutesPerDay && iv.Start != 0) {
				return fmt.Errorf("%s: interval %s is out of range", where, iv)
			}
		}
		return nil
	}
	for d, ivs := range s.Week {
		if err := check(weekdayNames[d], ivs); err != nil {
			return err
		}
	}
	if err := check("PH", s.Holidays); err != nil {
		return err
	}
	for _, e := range s.Exceptions {
		if e.Month < 1 || e.Month > 12 || e.Day < 1 || e.Day > 31 || e.Year < 0 || e.Year > 9999 {
			return fmt.Errorf("exception %04d-%02d-%02d is not a date", e.Year, e.Month, e.Day)
		}
		if err := check(fmt.Sprintf("%02d-%02d", e.Month, e.Day), e.Intervals); err != nil {
			return err
		}
	}
	return nil
}

func (iv Interval) String() string {
	return fmt.Sprintf("%s-%s", clock(iv.Start), clock(iv.End))
}

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// IntervalsOn returns the intervals that start on the local date (y, m, d):
// the date's exception, a holiday's hours, or the weekday's.
func (s *Schedule) IntervalsOn(y int, m time.Month, d int) []Interval { return s.intervalsOn(y, m, d) }

// intervalsOn returns the intervals that start on the local date (y, m, d).
func (s *Schedule) intervalsOn(y int, m time.Month, d int) []Interval {
	var yearly []Interval
	foundYearly := false
	for _, e := range s.Exceptions {
		if e.Month == int(m) && e.Day == d {
			if e.Year == y {
				return e.Intervals
			}
			if e.Year == 0 && !foundYearly {
				yearly, foundYearly = e.Intervals, true
			}
		}
	}
	if foundYearly {
		return yearly
	}
	if s.HolidayRule && IsPublicHoliday(y, m, d) {
		return s.Holidays
	}
	wd := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Weekday()
	return s.Week[(int(wd)+6)%7]
}

// Span is an absolute opening interval [Start, End).
type Span struct{ Start, End time.Time }

// OpenAt reports whether the place is open at t. Wall-clock times are read
// in Europe/Oslo, so a shop open 10:00-18:00 is open 8 hours on the days the
// clocks change as well, and an interval into a DST gap ends when the wall
// clock says so.
func (s *Schedule) OpenAt(t time.Time) bool {
	if !s.Known() {
		return false
	}
	local := t.In(Oslo)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	// Intervals that started yesterday may still be open past midnight.
	for _, d := range []time.Time{day.AddDate(0, 0, -1), day} {
		for _, sp := range s.spansOn(d) {
			if !t.Before(sp.Start) && t.Before(sp.End) {
				return true
			}
		}
	}
	return false
}

// spansOn converts the intervals of one local date (given as midnight UTC
// of that calendar date) to absolute spans.
func (s *Schedule) spansOn(day time.Time) []Span {
	y, m, d := day.Date()
	ivs := s.intervalsOn(y, m, d)
	out := make([]Span, 0, len(ivs))
	for _, iv := range ivs {
		out = append(out, Span{
			Start: time.Date(y, m, d, 0, iv.Start, 0, 0, Oslo),
			End:   time.Date(y, m, d, 0, iv.End, 0, 0, Oslo),
		})
	}
	return out
}

// Spans returns the merged absolute opening spans that overlap [from, to),
// clipped to it, in order.
func (s *Schedule) Spans(from, to time.Time) []Span {
	if !s.Known() || !from.Before(to) {
		return nil
	}
	lf := from.In(Oslo)
	day := time.Date(lf.Year(), lf.Month(), lf.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	var all []Span
	for ; ; day = day.AddDate(0, 0, 1) {
		if time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, Oslo).After(to) {
			break
		}
		for _, sp := range s.spansOn(day) {
			if sp.Start.Before(from) {
				sp.Start = from
			}
			if sp.End.After(to) {
				sp.End = to
			}
			if sp.Start.Before(sp.End) {
				all = append(all, sp)
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Start.Before(all[j].Start) })
	merged := all[:0]
	for _, sp := range all {
		if n := len(merged); n > 0 && !sp.Start.After(merged[n-1].End) {
			if sp.End.After(merged[n-1].End) {
				merged[n-1].End = sp.End
			}
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// NextChange returns when the open/closed state after t next changes,
// looking at most a fortnight ahead; ok is false when it does not change.
func (s *Schedule) NextChange(t time.Time) (time.Time, bool) {
	const horizon = 14 * 24 * time.Hour
	for _, sp := range s.Spans(t.Add(-time.Minute), t.Add(horizon)) {
		if sp.Start.After(t) {
			return sp.Start, true
		}
		if sp.End.After(t) && sp.End.Before(t.Add(horizon)) {
			return sp.End, true
		}
	}
	return time.Time{}, false
}

// norwegianHolidays are the public holidays (helligdager) of Norway,
// including the two that always fall on a Sunday.
var norwegianHolidays = append(append([]*cal.Holiday{}, no.Holidays...), aa.Easter, aa.Pentecost)

var holidayYears sync.Map // year -> map[[2]int]bool

// IsPublicHoliday reports whether the date is a Norwegian public holiday.
func IsPublicHoliday(y int, m time.Month, d int) bool {
	v, ok := holidayYears.Load(y)
	if !ok {
		days := map[[2]int]bool{}
		for _, h := range norwegianHolidays {
			if actual, _ := h.Calc(y); !actual.IsZero() {
				days[[2]int{int(actual.Month()), actual.Day()}] = true
			}
		}
		v, _ = holidayYears.LoadOrStore(y, days)
	}
	return v.(map[[2]int]bool)[[2]int{int(m), d}]
}

// Deviation is a local date whose hours differ from the usual week: a
// dated exception or a public holiday.
type Deviation struct {
	Date      time.Time // midnight of the date in Europe/Oslo
	Intervals []Interval
}

// Deviations lists the dates among the days local dates from t's on whose
// hours differ from the weekly schedule, in order.
func (s *Schedule) Deviations(t time.Time, days int) []Deviation {
	if !s.Known() {
		return nil
	}
	local := t.In(Oslo)
	var out []Deviation
	for i := 0; i < days; i++ {
		d := time.Date(local.Year(), local.Month(), local.Day()+i, 0, 0, 0, 0, Oslo)
		ivs := s.intervalsOn(d.Year(), d.Month(), d.Day())
		if !equalIntervals(ivs, s.Week[(int(d.Weekday())+6)%7]) {
			out = append(out, Deviation{Date: d, Intervals: ivs})
		}
	}
	return out
}
