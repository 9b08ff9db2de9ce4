package openinghours

import (
	"testing"
	"time"
)

// FuzzParseOSM checks that the parser never panics, that what it accepts is
// valid, and that rendering it back gives the same schedule.
func FuzzParseOSM(f *testing.F) {
	for _, seed := range []string{
		"Mo-Fr 10-18, Sa 10-15, Su off", "Mo-Th 10:13-15:00", "Mo-We,Fr-Su off; Th 18:00-21:00",
		"Fr 22:00-03:00", "24/7", "PH off", "Dec 24-Jan 02 off", "2026 Jul off", "Mo 10:00-12:00,13:00-17:00",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseOSM(text)
		if err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("ParseOSM(%q) accepted an invalid schedule: %v", text, err)
		}
		again, err := ParseOSM(s.String())
		if err != nil {
			t.Fatalf("ParseOSM(%q).String() = %q does not parse: %v", text, s.String(), err)
		}
		if !sameRules(s, again) {
			t.Fatalf("round trip of %q via %q changed the schedule", text, s.String())
		}
		at := time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)
		_ = s.OpenAt(at)
		_ = s.Spans(at, at.Add(48*time.Hour))
	})
}
