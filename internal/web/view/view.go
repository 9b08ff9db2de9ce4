// Package view shapes domain values into what the pages and the JSON API
// show: text in the reader's language, links, tables. It takes plain
// values (domain types, a localizer, the time) and knows nothing of HTTP,
// so every shape is tested on its own.
package view

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

// Option is one choice of a select or a set of radio buttons.
type Option struct {
	Slug, Name string
	Selected   bool
}

// Check is one checkbox or radio button of a form.
type Check struct {
	Value, Label string
	Checked      bool
}

// Link is a link with its text.
type Link struct{ Href, Text string }

// CategoryName is a category's name in the reader's language.
func CategoryName(c category.Category, l *i18n.Localizer) string { return c.NameIn(l.Lang) }

// CategoryNames names the categories of the slugs, skipping unknown ones.
func CategoryNames(slugs []string, l *i18n.Localizer) string {
	return strings.Join(category.Names(slugs, l.Lang), ", ")
}

// AddressText is "Street 1, 5003 Bergen", or the district's name when the
// street address is not known.
func AddressText(street, postcode, city, districtName string) string {
	place := strings.TrimSpace(postcode + " " + city)
	switch {
	case street != "" && place != "":
		return street + ", " + place
	case street != "":
		return street
	case place != "":
		return place
	}
	return districtName
}

// StatusLine says whether the place is open now and when that changes:
// "Åpent nå – stenger 17:00", "Stengt – åpner mandag 10:00"; class is
// open, closed or unknown.
func StatusLine(l *i18n.Localizer, h *openinghours.Schedule, now time.Time) (text, class string) {
	if !h.Known() {
		return l.T("status.unknown"), "unknown"
	}
	open := h.OpenAt(now)
	next, changes := h.NextChange(now)
	switch {
	case open && changes:
		return l.T("status.open_closes", "when", When(l, now, next)), "open"
	case open:
		return l.T("status.open"), "open"
	case changes:
		return l.T("status.closed_opens", "when", When(l, now, next)), "closed"
	default:
		return l.T("status.closed"), "closed"
	}
}

// When names a coming moment relative to now: "17:00", "i morgen 10:00",
// "mandag 10:00", "24. desember 10:00".
func When(l *i18n.Localizer, now, t time.Time) string {
	return l.When(now.In(openinghours.Oslo), t.In(openinghours.Oslo))
}

// Moment is a date and time for the municipality's lists.
func Moment(l *i18n.Localizer, t time.Time) string {
	t = t.In(openinghours.Oslo)
	return l.Date(t) + " " + l.TimeOf(t)
}

// Date is a date in Oslo, as the reader writes dates.
func Date(l *i18n.Localizer, t time.Time) string { return l.Date(t.In(openinghours.Oslo)) }

// IntervalsText is a day's opening hours: "10:00–17:00, 18:00–20:00", or
// closed.
func IntervalsText(l *i18n.Localizer, ivs []openinghours.Interval) string {
	if len(ivs) == 0 {
		return l.T("hours.closed")
	}
	parts := make([]string, len(ivs))
	for i, iv := range ivs {
		parts[i] = l.T("hours.interval", "from", l.Clock(iv.Start), "to", l.Clock(iv.End))
	}
	return strings.Join(parts, ", ")
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
