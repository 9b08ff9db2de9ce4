package event

import (
	"bytes"
	"slices"
	"testing"
	"time"

	arran "github.com/arran4/golang-ical"
	"github.com/emersion/go-ical"

	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

// The feed of a recurring café with a date left out and a session called
// off reads in two independent calendar parsers as a calendar shows it:
// the rule's sessions at 12:00 Bergen time without the date left out, and
// the one called off as a cancelled instance of the same event.
func TestFeedReadsInCalendarParsers(t *testing.T) {
	e := cafe()
	e.ID, e.Version, e.UpdatedAt = "ev-1", 3, time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	e.RRule, e.Except, e.Cancelled = "FREQ=MONTHLY;BYDAY=1SA", []string{"2027-01-02"}, []string{"2027-02-06"}
	once := cafe()
	once.ID, once.Title, once.Start, once.Cancelled = "ev-2", "Sykkeldugnad", oslo(2026, 12, 12, 10, 0), []string{"2026-12-12"}
	var buf bytes.Buffer
	now := oslo(2026, 11, 30, 9, 0)
	feed := Feed{Name: "Reparasjonskalender", Host: "bergenreparerer.no", Items: []FeedItem{
		{Event: e, Summary: "Reparasjonskafé Nordnes", URL: "https://bergenreparerer.no/reparator/nordnes"},
		{Event: once, Summary: "Sykkeldugnad"},
	}}
	if err := feed.Write(&buf, now); err != nil {
		t.Fatal(err)
	}

	cal, err := arran.ParseCalendar(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("arran4/golang-ical: %v\n%s", err, buf.String())
	}
	events := cal.Events()
	if len(events) != 3 {
		t.Fatalf("%d VEVENTs, want the café, its cancelled session and the one-off:\n%s", len(events), buf.String())
	}
	statuses := map[string][]string{}
	for _, v := range events {
		uid := v.GetProperty(arran.ComponentPropertyUniqueId).Value
		status := ""
		if p := v.GetProperty(arran.ComponentPropertyStatus); p != nil {
			status = p.Value
		}
		if p := v.GetProperty(arran.ComponentPropertyRecurrenceId); p != nil {
			status += "@" + p.Value
		}
		statuses[uid] = append(statuses[uid], status)
		if start, err := v.GetStartAt(); err != nil || start.In(openinghours.Oslo).Hour() == 0 {
			t.Errorf("%s: DTSTART %v %v", uid, start, err)
		}
	}
	if got := statuses["ev-1@bergenreparerer.no"]; !slices.Equal(got, []string{"", "CANCELLED@20270206T120000"}) {
		t.Errorf("the café: %v\n%s", got, buf.String())
	}
	if got := statuses["ev-2@bergenreparerer.no"]; !slices.Equal(got, []string{"CANCELLED"}) {
		t.Errorf("the one-off called off: %v", got)
	}

	decoded, err := ical.NewDecoder(bytes.NewReader(buf.Bytes())).Decode()
	if err != nil {
		t.Fatalf("emersion/go-ical: %v", err)
	}
	for _, v := range decoded.Events() {
		if v.Props.Get(ical.PropRecurrenceRule) == nil {
			continue
		}
		set, err := v.RecurrenceSet(openinghours.Oslo)
		if err != nil {
			t.Fatal(err)
		}
		var dates []string
		for _, s := range set.Between(oslo(2026, 12, 1, 0, 0), oslo(2027, 3, 31, 0, 0), true) {
			if s.In(openinghours.Oslo).Hour() != 12 {
				t.Errorf("a session at %s", s)
			}
			dates = append(dates, s.In(openinghours.Oslo).Format(time.DateOnly))
		}
		if want := []string{"2026-12-05", "2027-02-06", "2027-03-06"}; !slices.Equal(dates, want) {
			t.Errorf("a calendar expands the rule to %v, want %v (2 January left out)", dates, want)
		}
	}
}
