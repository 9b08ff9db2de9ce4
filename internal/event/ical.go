package event

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

// FeedItem is an event as a feed publishes it: its own words and link.
type FeedItem struct {
	Event   *Event
	Summary string // the title as a resident reads it ("Reparasjonskafé Nordnes")
	URL     string // absolute
	// Categories name what is repaired, in the feed's language.
	Categories []string
}

// Feed is an iCalendar (RFC 5545) feed of events, encoded by go-ical.
type Feed struct {
	Name string // X-WR-CALNAME
	// Host names the service in the events' UIDs.
	Host  string
	Items []FeedItem
}

// FeedWindow is how far back a feed reaches: a session of last month
// stays in a resident's calendar.
const FeedWindow = 30 * 24 * time.Hour

// Write encodes the feed. Each event is one VEVENT with its rule, its
// dates left out as EXDATE, and each session called off as a VEVENT of
// its own with the same UID, a RECURRENCE-ID and STATUS:CANCELLED, so that
// calendars that subscribed take it off; a one-off event called off is
// CANCELLED itself.
func (f Feed) Write(w io.Writer, now time.Time) error {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Bergen Reparerer//Kalender//NB")
	cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(ical.PropMethod, "PUBLISH")
	for name, value := range map[string]string{"X-WR-CALNAME": f.Name, "X-WR-TIMEZONE": openinghours.Oslo.String()} {
		p := ical.NewProp(name)
		p.Value = value
		cal.Props.Set(p)
	}
	cal.Children = append(cal.Children, osloTimezone())
	for _, it := range f.Items {
		e := it.Event
		if len(e.Occurrences(now.Add(-FeedWindow), now.Add(Ahead))) == 0 {
			continue
		}
		main := f.vevent(it, e.Start)
		if e.Recurring() {
			rule := ical.NewProp(ical.PropRecurrenceRule)
			rule.SetValueType(ical.ValueRecurrence)
			rule.Value = e.RRule
			main.Props.Set(rule)
			if len(e.Except) > 0 {
				ex := ical.NewProp(ical.PropExceptionDates)
				ex.SetDateTime(atDate(e.Start, e.Except[0]))
				values := make([]string, len(e.Except))
				for i, d := range e.Except {
					values[i] = atDate(e.Start, d).Format("20060102T150405")
				}
				ex.Value = strings.Join(values, ",")
				main.Props.Set(ex)
			}
		} else if len(e.Cancelled) > 0 {
			main.Props.SetText(ical.PropStatus, string(ical.EventCancelled))
		}
		cal.Children = append(cal.Children, main.Component)
		if !e.Recurring() {
			continue
		}
		for _, d := range e.Cancelled {
			start := atDate(e.Start, d)
			off := f.vevent(it, start)
			id := ical.NewProp(ical.PropRecurrenceID)
			id.SetDateTime(start)
			off.Props.Set(id)
			off.Props.SetText(ical.PropStatus, string(ical.EventCancelled))
			cal.Children = append(cal.Children, off.Component)
		}
	}
	return ical.NewEncoder(w).Encode(cal)
}

// vevent is the event's VEVENT for the session starting at start.
func (f Feed) vevent(it FeedItem, start time.Time) *ical.Event {
	e := it.Event
	v := ical.NewEvent()
	v.Props.SetText(ical.PropUID, e.ID+"@"+f.Host)
	v.Props.SetDateTime(ical.PropDateTimeStamp, e.UpdatedAt.UTC())
	seq := ical.NewProp(ical.PropSequence)
	seq.SetValueType(ical.ValueInt)
	seq.Value = strconv.Itoa(max(e.Version-1, 0))
	v.Props.Set(seq)
	v.Props.SetDateTime(ical.PropDateTimeStart, start.In(openinghours.Oslo))
	v.Props.SetDateTime(ical.PropDateTimeEnd, start.Add(time.Duration(e.Minutes)*time.Minute).In(openinghours.Oslo))
	v.Props.SetText(ical.PropSummary, it.Summary)
	if e.Description != "" {
		v.Props.SetText(ical.PropDescription, e.Description)
	}
	v.Props.SetText(ical.PropLocation, e.Place.Text())
	geo := ical.NewProp(ical.PropGeo)
	geo.SetValueType(ical.ValueFloat)
	geo.Value = strconv.FormatFloat(e.Place.Lat, 'f', 6, 64) + ";" + strconv.FormatFloat(e.Place.Lng, 'f', 6, 64)
	v.Props.Set(geo)
	if len(it.Categories) > 0 {
		cats := ical.NewProp(ical.PropCategories)
		cats.SetTextList(it.Categories)
		v.Props.Set(cats)
	}
	if it.URL != "" {
		v.Props.SetText(ical.PropURL, it.URL)
		v.Props.Get(ical.PropURL).SetValueType(ical.ValueURI)
	}
	return v
}

// Text is the place as one line: its name, street, postcode and city.
func (p Place) Text() string {
	parts := []string{}
	for _, s := range []string{p.Name, p.Street, strings.TrimSpace(p.Postcode + " " + p.City)} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// atDate is the session on date (YYYY-MM-DD) at the event's start time.
func atDate(start time.Time, date string) time.Time {
	local := start.In(openinghours.Oslo)
	d, _ := time.ParseInLocation(time.DateOnly, date, openinghours.Oslo)
	return time.Date(d.Year(), d.Month(), d.Day(), local.Hour(), local.Minute(), 0, 0, openinghours.Oslo)
}

// osloTimezone is Europe/Oslo as a VTIMEZONE: the TZID every time in the
// feed names must be defined in it (RFC 5545, 3.6.5). The rules are the
// EU's since 1996.
func osloTimezone() *ical.Component {
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, openinghours.Oslo.String())
	for _, r := range []struct{ name, from, to, abbr, start, rule string }{
		{ical.CompTimezoneDaylight, "+0100", "+0200", "CEST", "19700329T020000", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"},
		{ical.CompTimezoneStandard, "+0200", "+0100", "CET", "19701025T030000", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"},
	} {
		c := ical.NewComponent(r.name)
		for name, value := range map[string]string{ical.PropTimezoneOffsetFrom: r.from, ical.PropTimezoneOffsetTo: r.to, ical.PropTimezoneName: r.abbr} {
			p := ical.NewProp(name)
			p.SetValueType(ical.ValueUTCOffset)
			p.Value = value
			c.Props.Set(p)
		}
		c.Props.Get(ical.PropTimezoneName).SetValueType(ical.ValueText)
		start := ical.NewProp(ical.PropDateTimeStart)
		start.Value = r.start
		c.Props.Set(start)
		rule := ical.NewProp(ical.PropRecurrenceRule)
		rule.SetValueType(ical.ValueRecurrence)
		rule.Value = r.rule
		c.Props.Set(rule)
		tz.Children = append(tz.Children, c)
	}
	return tz
}
