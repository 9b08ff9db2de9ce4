package view

import (
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

func TestStatusLine(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, openinghours.Oslo)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	const shop = "Mo-Fr 10:00-17:00; PH off; Dec 24 10:00-13:00"
	tests := []struct {
		name, hours, now string
		lang             i18n.Lang
		want, class      string
	}{
		{"open, closes today", shop, "2026-11-23 11:00", i18n.NB, "Åpent nå – stenger 17:00", "open"},
		{"before opening", shop, "2026-11-23 08:00", i18n.NB, "Stengt – åpner 10:00", "closed"},
		{"Friday evening", shop, "2026-11-27 18:00", i18n.NB, "Stengt – åpner mandag 10:00", "closed"},
		{"Sunday evening", shop, "2026-11-29 20:00", i18n.NB, "Stengt – åpner i morgen 10:00", "closed"},
		{"English", shop, "2026-11-27 18:00", i18n.EN, "Closed – opens Monday 10:00", "closed"},
		{"Christmas Eve exception", shop, "2026-12-24 11:00", i18n.NB, "Åpent nå – stenger 13:00", "open"},
		{"after Christmas Eve, holidays closed", shop, "2026-12-24 14:00", i18n.NB, "Stengt – åpner mandag 10:00", "closed"},
		{"past midnight", "Fr-Sa 22:00-03:00", "2026-11-27 23:30", i18n.NB, "Åpent nå – stenger i morgen 03:00", "open"},
		{"always open", "24/7", "2026-11-27 23:30", i18n.EN, "Open now", "open"},
		{"over a week away", "Dec 10 10:00-12:00", "2026-12-01 12:00", i18n.NB, "Stengt – åpner 10. desember 10:00", "closed"},
		{"never opens", "Mo off", "2026-12-01 12:00", i18n.NB, "Stengt nå", "closed"},
		{"unknown", "", "2026-11-23 11:00", i18n.NB, "Åpningstider ukjent", "unknown"},
		// Summer time starts 29 March 2026 at 02:00: a Saturday-night
		// interval ends by the wall clock.
		{"DST start", "Sa 22:00-04:00", "2026-03-29 01:30", i18n.NB, "Åpent nå – stenger 04:00", "open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h openinghours.Schedule // unknown
			if tt.hours != "" {
				if h, err = openinghours.ParseOSM(tt.hours); err != nil {
					t.Fatal(err)
				}
			}
			got, class := StatusLine(c.For(tt.lang), &h, at(tt.now))
			if got != tt.want || class != tt.class {
				t.Errorf("got %q (%s), want %q (%s)", got, class, tt.want, tt.class)
			}
		})
	}
}

func TestSchemaClock(t *testing.T) {
	for m, want := range map[int]string{0: "00:00", 9*60 + 5: "09:05", 24 * 60: "23:59", 26*60 + 30: "02:30"} {
		if got := SchemaClock(m); got != want {
			t.Errorf("SchemaClock(%d) = %q, want %q", m, got, want)
		}
	}
}

