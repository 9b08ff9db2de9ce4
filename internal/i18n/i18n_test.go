package i18n

import (
	"testing"
	"time"
)

func TestFormatting(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	nb, en := c.For(NB), c.For(EN)
	oslo, _ := time.LoadLocation("Europe/Oslo")
	date := time.Date(2026, 11, 1, 10, 5, 0, 0, oslo)
	tests := []struct{ name, got, want string }{
		{"nb int", nb.Int(12345), "12\u00a0345"},
		{"en int", en.Int(12345), "12,345"},
		{"nb metres", nb.Distance(412), "412 m"},
		{"nb km", nb.Distance(1250), "1,2 km"},
		{"en km", en.Distance(1250), "1.2 km"},
		{"nb date", nb.Date(date), "1. november 2026"},
		{"en date", en.Date(date), "1 November 2026"},
		{"nb day and month", nb.DayMonth(12, 24), "24. desember"},
		{"time", nb.TimeOf(date), "10:05"},
		{"past midnight", nb.Clock(26 * 60), "02:00"},
		{"end of day", nb.Clock(24 * 60), "24:00"},
		{"nb weekday", nb.WeekdayOf(date), "søndag"},
		{"en weekday", en.Weekday(0), "Monday"},
		{"nb one", nb.N("results.count", 1), "1 treff"},
		{"en one", en.N("results.count", 1), "1 result"},
		{"en other", en.N("results.count", 1200), "1,200 results"},
		{"placeholder", en.T("status.open_closes", "when", "17:00"), "Open now – closes 17:00"},
		{"unknown key", nb.T("no.such.key"), "no.such.key"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestUnknownLanguageIsBokmal(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := Parse("EN "); !ok || l != EN {
		t.Errorf("Parse(\"EN \") = %q, %v", l, ok)
	}
	if _, ok := Parse("de"); ok {
		t.Error("de is not a supported language")
	}
	if got := c.For("de").Lang; got != NB {
		t.Errorf("For(de) = %s, want nb", got)
	}
}

func TestScriptMessages(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	m := c.For(EN).Script()
	if m["show_on_map"] != "Show on map" {
		t.Errorf("show_on_map = %v", m["show_on_map"])
	}
	if forms, ok := m["cluster"].(map[string]string); !ok || forms["one"] == "" || forms["other"] == "" {
		t.Errorf("cluster has no plural forms: %v", m["cluster"])
	}
	if _, ok := m["site.name"]; ok {
		t.Error("only js.* messages go to the script")
	}
}

func TestCatalogueMismatchIsAnError(t *testing.T) {
	if _, err := parse([]byte(`{"a": {"one": "x"}}`)); err == nil {
		t.Error("a plural without other was accepted")
	}
	if samePlaceholders("{a} {b}", "{a}") {
		t.Error("a missing placeholder went unnoticed")
	}
	if !samePlaceholders("{a} og {b}", "{b} and {a}") {
		t.Error("placeholders in another order are the same placeholders")
	}
}
