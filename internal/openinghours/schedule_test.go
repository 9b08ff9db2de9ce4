package openinghours

import (
	"testing"
	"time"
)

func mustParse(t *testing.T, text string) Schedule {
	t.Helper()
	s, err := ParseOSM(text)
	if err != nil {
		t.Fatalf("ParseOSM(%q): %v", text, err)
	}
	return s
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestOpenAt(t *testing.T) {
	tests := []struct {
		name  string
		hours string
		at    string
		want  bool
	}{
		// Winter (CET, UTC+1): 10:00 local is 09:00Z.
		{"winter opening minute", "Mo-Fr 10:00-18:00", "2026-11-23T09:00:00Z", true},
		{"winter minute before opening", "Mo-Fr 10:00-18:00", "2026-11-23T08:59:00Z", false},
		{"winter last open minute", "Mo-Fr 10:00-18:00", "2026-11-23T16:59:59Z", true},
		{"winter closing minute", "Mo-Fr 10:00-18:00", "2026-11-23T17:00:00Z", false},
		// Summer (CEST, UTC+2): 10:00 local is 08:00Z.
		{"summer opening minute", "Mo-Fr 10:00-18:00", "2026-06-15T08:00:00Z", true},
		{"summer closing minute", "Mo-Fr 10:00-18:00", "2026-06-15T16:00:00Z", false},
		{"odd minute 10:13 opens", "Mo-Th 10:13-15:00", "2026-11-23T09:13:00Z", true},
		{"odd minute 10:12 still closed", "Mo-Th 10:13-15:00", "2026-11-23T09:12:59Z", false},
		{"Sunday closed", "Mo-Sa 10:00-18:00", "2026-11-22T12:00:00Z", false},
		// Past midnight: Friday 22:00-03:00 is open early Saturday.
		{"past midnight, Saturday 02:30", "Fr 22:00-03:00", "2026-11-28T01:30:00Z", true},
		{"past midnight, Saturday 03:00 closed", "Fr 22:00-03:00", "2026-11-28T02:00:00Z", false},
		{"past midnight, not from Thursday", "Fr 22:00-03:00", "2026-11-27T01:30:00Z", false},
		// Spring forward, Sunday 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00Z.
		{"DST spring, Sat night 01:59 CET open", "Sa 22:00-03:00", "2026-03-29T00:59:00Z", true},
		{"DST spring, 03:00 CEST closed", "Sa 22:00-03:00", "2026-03-29T01:00:00Z", false},
		{"DST spring day, Sunday 10:00 CEST", "Su 10:00-16:00", "2026-03-29T08:00:00Z", true},
		{"DST spring day, Sunday 09:59 CEST", "Su 10:00-16:00", "2026-03-29T07:59:00Z", false},
		// Fall back, Sunday 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00Z.
		{"DST autumn, second 02:30 (CET) open", "Sa 22:00-03:00", "2026-10-25T01:30:00Z", true},
		{"DST autumn, 03:00 CET closed", "Sa 22:00-03:00", "2026-10-25T02:00:00Z", false},
		{"DST autumn day, Sunday 10:00 CET", "Su 10:00-16:00", "2026-10-25T09:00:00Z", true},
		{"DST autumn day, Sunday 10:00 CEST would be wrong", "Su 10:00-16:00", "2026-10-25T08:30:00Z", false},
		// Exceptions and holidays.
		{"Christmas Eve shortened: 12:59 open", "Mo-Fr 10:00-17:00; Dec 24 10:00-13:00", "2026-12-24T11:59:00Z", true},
		{"Christmas Eve shortened: 13:00 closed", "Mo-Fr 10:00-17:00; Dec 24 10:00-13:00", "2026-12-24T12:00:00Z", false},
		{"17 May is a public holiday", "Mo-Fr 10:00-17:00; PH off", "2027-05-17T10:00:00Z", false},
		{"Easter Monday 2027 is a public holiday", "Mo-Fr 10:00-17:00; PH off", "2027-03-29T10:00:00Z", false},
		{"the day after Easter Monday is not", "Mo-Fr 10:00-17:00; PH off", "2027-03-30T10:00:00Z", true},
		{"summer closure with a year", "Mo-Fr 10:00-17:00; 2026 Jul 06-Jul 31 off", "2026-07-15T10:00:00Z", false},
		{"summer closure does not touch the next year", "Mo-Fr 10:00-17:00; 2026 Jul 06-Jul 31 off", "2027-07-15T10:00:00Z", true},
		{"exception on a closed weekday opens it", "Mo-Fr 10:00-17:00; 2026 Dec 06 12:00-15:00", "2026-12-06T12:00:00Z", true},
		{"24/7", "24/7", "2026-03-29T01:30:00Z", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustParse(t, tt.hours)
			if got := s.OpenAt(utc(tt.at)); got != tt.want {
				t.Errorf("OpenAt(%s) with %q = %v, want %v (local %s)", tt.at, tt.hours, got, tt.want, utc(tt.at).In(Oslo))
			}
		})
	}
}

func TestUnknownScheduleIsNeverOpen(t *testing.T) {
	s := Schedule{Text: "by appointment", Unparsed: true}
	if s.OpenAt(utc("2026-11-23T12:00:00Z")) || s.Known() {
		t.Error("an unparsed schedule must be unknown, not open")
	}
	var zero Schedule
	if zero.Known() {
		t.Error("the zero schedule must be unknown")
	}
}

func TestSpansAgreeWithOpenAt(t *testing.T) {
	// Every minute across both DST weekends: the spans and OpenAt must agree.
	s := mustParse(t, "Mo-Fr 09:00-16:30; Sa 22:00-03:00; Su 01:30-02:30; PH off; Dec 24 10:00-13:00")
	for _, start := range []string{"2026-03-27T00:00:00Z", "2026-10-23T00:00:00Z", "2026-12-22T00:00:00Z"} {
		from := utc(start)
		to := from.Add(4 * 24 * time.Hour)
		spans := s.Spans(from, to)
		if len(spans) == 0 {
			t.Fatalf("no spans from %s", start)
		}
		for m := from; m.Before(to); m = m.Add(time.Minute) {
			inSpan := false
			for _, sp := range spans {
				if !m.Before(sp.Start) && m.Before(sp.End) {
					inSpan = true
				}
			}
			if inSpan != s.OpenAt(m) {
				t.Fatalf("at %s (local %s): spans say %v, OpenAt says %v", m, m.In(Oslo), inSpan, !inSpan)
			}
		}
	}
}

func TestNextChange(t *testing.T) {
	s := mustParse(t, "Mo-Fr 10:00-17:00")
	got, ok := s.NextChange(utc("2026-11-23T10:00:00Z")) // Monday 11:00, open
	if want := utc("2026-11-23T16:00:00Z"); !ok || !got.Equal(want) {
		t.Errorf("closing = %s, %v; want %s", got, ok, want)
	}
	got, ok = s.NextChange(utc("2026-11-21T12:00:00Z")) // Saturday, closed
	if want := utc("2026-11-23T09:00:00Z"); !ok || !got.Equal(want) {
		t.Errorf("opening = %s, %v; want %s", got, ok, want)
	}
}
