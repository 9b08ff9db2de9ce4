package event

import (
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

func oslo(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, openinghours.Oslo)
}

func cafe() *Event {
	return &Event{Title: "Reparasjonskafé", Categories: []string{"klaer"}, Booking: BookingNone,
		Place: Place{Name: "Nordnes bydelshus", Lat: 60.397, Lng: 5.31}, Start: oslo(2026, 12, 5, 12, 0), Minutes: 180}
}

// "First Saturday of the month, 12–15" keeps its wall-clock time across
// the change to summer time, skips the date left out and marks the one
// called off.
func TestMonthlyFirstSaturdayWithAnExceptionAndACancellation(t *testing.T) {
	e := cafe()
	rule, err := Rule("monthly", e.Start, time.Time{})
	if err != nil || rule != "FREQ=MONTHLY;BYDAY=1SA" {
		t.Fatalf("rule %q %v", rule, err)
	}
	e.RRule, e.Except, e.Cancelled = rule, []string{"2027-01-02"}, []string{"2027-02-06"}
	if err := e.Check(); err != nil {
		t.Fatal(err)
	}
	got := e.Occurrences(oslo(2026, 12, 1, 0, 0), oslo(2027, 5, 1, 0, 0))
	want := []struct {
		date      string
		cancelled bool
	}{{"2026-12-05", false}, {"2027-02-06", true}, {"2027-03-06", false}, {"2027-04-03", false}}
	if len(got) != len(want) {
		t.Fatalf("occurrences %v", got)
	}
	for i, o := range got {
		if o.Date() != want[i].date || o.Cancelled != want[i].cancelled {
			t.Errorf("occurrence %d: %s cancelled=%v, want %+v", i, o.Date(), o.Cancelled, want[i])
		}
		if h := o.Start.In(openinghours.Oslo).Hour(); h != 12 || o.End.Sub(o.Start) != 3*time.Hour {
			t.Errorf("%s starts at %d:00 for %v", o.Date(), h, o.End.Sub(o.Start))
		}
	}
	// Next skips the session called off.
	if next, ok := e.Next(oslo(2027, 1, 10, 9, 0)); !ok || next.Date() != "2027-03-06" {
		t.Errorf("next after 10 January: %v %v", next.Date(), ok)
	}
	// A session running now is next until it ends.
	if next, ok := e.Next(oslo(2026, 12, 5, 14, 59)); !ok || next.Date() != "2026-12-05" {
		t.Errorf("next during the first session: %v %v", next.Date(), ok)
	}
}

func TestRulesTheFormBuilds(t *testing.T) {
	tue := oslo(2026, 12, 1, 15, 0)
	for repeat, want := range map[string]string{
		"once": "", "weekly": "FREQ=WEEKLY;BYDAY=TU", "biweekly": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "monthly": "FREQ=MONTHLY;BYDAY=1TU",
	} {
		if got, err := Rule(repeat, tue, time.Time{}); err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", repeat, got, err, want)
		}
		e := cafe()
		e.Start, e.RRule = tue, want
		if got := Repeat(e); got != repeat {
			t.Errorf("Repeat(%q) = %s, want %s", want, got, repeat)
		}
	}
	// The fifth Tuesday is the last one.
	if got, _ := Rule("monthly", oslo(2026, 12, 29, 15, 0), time.Time{}); got != "FREQ=MONTHLY;BYDAY=-1TU" {
		t.Errorf("fifth Tuesday: %s", got)
	}
	until, _ := Rule("weekly", tue, time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC))
	e := cafe()
	e.Start, e.RRule = tue, until
	if n := len(e.Occurrences(tue, tue.Add(Ahead))); n != 3 {
		t.Errorf("weekly until 15 December: %d sessions (%s)", n, until)
	}
	if _, err := Rule("hourly", tue, time.Time{}); !apperr.Is(err, apperr.CodeInvalidParameter) {
		t.Errorf("an unknown repeat: %v", err)
	}
}

func TestCheckRefusesWhatCannotBeRight(t *testing.T) {
	for name, mutate := range map[string]func(e *Event){
		"no title":        func(e *Event) { e.Title = " " },
		"no category":     func(e *Event) { e.Categories = nil },
		"unknown":         func(e *Event) { e.Categories = []string{"romskip"} },
		"no length":       func(e *Event) { e.Minutes = 0 },
		"a day long":      func(e *Event) { e.Minutes = 24 * 60 },
		"no place":        func(e *Event) { e.Place = Place{} },
		"a long place":    func(e *Event) { e.Place.Name = strings.Repeat("x", MaxTitle+1) },
		"booking":         func(e *Event) { e.Booking = "maybe" },
		"booking url":     func(e *Event) { e.BookingURL = "javascript:alert(1)" },
		"hourly rule":     func(e *Event) { e.RRule = "FREQ=HOURLY" },
		"rule with start": func(e *Event) { e.RRule = "DTSTART:20261205T120000Z\nRRULE:FREQ=WEEKLY" },
		"garbage rule":    func(e *Event) { e.RRule = "FREQ=SOMETIMES" },
		"bad date":        func(e *Event) { e.Except = []string{"2026-13-01"} },
	} {
		e := cafe()
		mutate(e)
		if err := e.Check(); !apperr.Is(err, apperr.CodeInvalidParameter) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := cafe().Check(); err != nil {
		t.Errorf("a good event: %v", err)
	}
}

// Weekly sessions at 18:00 stay at 18:00 when the clocks go back.
func TestWeeklyAcrossTheClockChange(t *testing.T) {
	e := cafe()
	e.Start, e.RRule, e.Minutes = oslo(2026, 10, 13, 18, 0), "FREQ=WEEKLY;BYDAY=TU", 120
	for _, o := range e.Occurrences(oslo(2026, 10, 1, 0, 0), oslo(2026, 11, 10, 0, 0)) {
		if l := o.Start.In(openinghours.Oslo); l.Hour() != 18 || l.Weekday() != time.Tuesday {
			t.Errorf("a session at %s", l)
		}
	}
}
