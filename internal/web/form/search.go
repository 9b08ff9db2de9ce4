package form

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/search"
)

// Search is the state of the search page, all of it in the URL.
type Search struct {
	Q          string
	Categories []string
	District   string
	Postnr     string
	Lat, Lng   string // "near me", from the browser's position
	BBox       string // "search this area"
	// Open is when the places must be open: "" (any time), "now",
	// "today" or "tomorrow" at OpenTime, or "day": OpenDay at OpenTime.
	Open     string
	OpenTime string // HH:MM
	OpenDay  string // YYYY-MM-DD
	Voucher  bool
	// Kind is the kind of place asked for ("": the places that repair).
	Kind string
	// The repair conditions asked for: warranty of at least WarrantyMin
	// months, done within TurnaroundMax working days, a loaner, repairs
	// at any of Where, Brand, and HideOwnBrand.
	WarrantyMin, TurnaroundMax, Brand, Label string
	Loaner, HideOwnBrand, GiftCard           bool
	Where                                    []string
	// Literal searches Q as typed, without reading it.
	Literal bool
	Page    string
}

// OpenChoices are the values of Open, in the order the form offers them.
var OpenChoices = []string{"", "now", "today", "tomorrow", "day"}

// ReadSearch reads the search page's query string.
func ReadSearch(v url.Values) Search {
	f := Search{
		Q: strings.TrimSpace(v.Get("q")), District: strings.TrimSpace(v.Get("district")), Postnr: strings.TrimSpace(v.Get("postnr")),
		Lat: v.Get("lat"), Lng: v.Get("lng"), BBox: v.Get("bbox"), Page: v.Get("page"),
		Open: v.Get("open"), OpenTime: strings.TrimSpace(v.Get("open_time")), OpenDay: strings.TrimSpace(v.Get("open_day")),
		Voucher: v.Get("voucher") != "", Literal: v.Get("literal") != "",
		WarrantyMin: strings.TrimSpace(v.Get("warranty_min")), TurnaroundMax: strings.TrimSpace(v.Get("turnaround_max")),
		Brand: strings.TrimSpace(v.Get("brand")), Loaner: v.Get("loaner") != "", HideOwnBrand: v.Get("hide_own_brand") != "",
		Label: strings.TrimSpace(v.Get("label")), GiftCard: v.Get("gift_card") != "", Kind: strings.TrimSpace(v.Get("kind")),
	}
	for _, w := range v["where"] {
		if w = strings.TrimSpace(w); w != "" {
			f.Where = append(f.Where, w)
		}
	}
	if v.Get("open_now") != "" {
		f.Open = "now" // the older, still linked form of "open now"
	}
	for _, c := range v["category"] {
		if c = strings.TrimSpace(c); c != "" {
			f.Categories = append(f.Categories, c)
		}
	}
	return f
}

// Values is the form as a query string, without the page.
func (f Search) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", f.Q)
	if len(f.Categories) > 0 {
		v["category"] = f.Categories
	}
	set("district", f.District)
	set("kind", f.Kind)
	set("postnr", f.Postnr)
	set("lat", f.Lat)
	set("lng", f.Lng)
	set("bbox", f.BBox)
	switch f.Open {
	case "":
	case "now":
		v.Set("open_now", "true")
	default:
		v.Set("open", f.Open)
		set("open_time", f.OpenTime)
		if f.Open == "day" {
			set("open_day", f.OpenDay)
		}
	}
	if f.Literal {
		v.Set("literal", "true")
	}
	if f.Voucher {
		v.Set("voucher", "true")
	}
	set("warranty_min", f.WarrantyMin)
	set("turnaround_max", f.TurnaroundMax)
	set("brand", f.Brand)
	set("label", f.Label)
	if f.GiftCard {
		v.Set("gift_card", "true")
	}
	if f.Loaner {
		v.Set("loaner", "true")
	}
	if f.HideOwnBrand {
		v.Set("hide_own_brand", "true")
	}
	if len(f.Where) > 0 {
		v["where"] = f.Where
	}
	return v
}

// WarrantyChoices and TurnaroundChoices are what the search page offers
// for the repair conditions (months; working days).
var (
	WarrantyChoices   = []string{"3", "6", "12", "24"}
	TurnaroundChoices = []string{"0", "2", "5", "10"}
)

// inputOfParameter is the form field a bad API parameter is shown at.
var inputOfParameter = map[string]string{"lat": "postnr", "lng": "postnr", "category": "q", "bbox": "q", "page": "q",
	"where": "where-at_home", "loaner": "loaner", "hide_own_brand": "hide_own_brand", "kind": "kind"}

// Query turns the form into a search query of perPage hits: the
// postcode's centre is the origin when the browser's position is not
// given. Values are checked by the same parser as the API's.
func (f Search) Query(postcodes *postcode.Book, l *i18n.Localizer, perPage int, now time.Time) (search.Query, *Error) {
	v := f.Values()
	v.Del("postnr")
	if f.Postnr != "" && f.Lat == "" && f.Lng == "" {
		p, ok := postcodes.Lookup(f.Postnr)
		if !ok {
			return search.Query{}, &Error{"postnr", l.T("error.postnr", "value", f.Postnr)}
		}
		v.Set("lat", strconv.FormatFloat(p.Lat, 'f', -1, 64))
		v.Set("lng", strconv.FormatFloat(p.Lng, 'f', -1, 64))
	}
	if f.Page != "" {
		v.Set("page", f.Page)
	}
	if f.Open != "" && f.Open != "now" {
		at, ferr := f.openAt(l, now)
		if ferr != nil {
			return search.Query{}, ferr
		}
		for _, k := range []string{"open", "open_time", "open_day"} {
			v.Del(k)
		}
		v.Set("open_at", at.Format(time.RFC3339))
	}
	v.Set("per_page", strconv.Itoa(perPage))
	q, err := search.ParseQuery(v, now)
	if err != nil {
		var ae *apperr.Error
		field := ""
		if errors.As(err, &ae) {
			field = ae.Field
		}
		key := "error.field." + field
		if !l.Has(key) {
			key = "error.field.other"
		}
		target := inputOfParameter[field]
		if target == "" {
			target = field
		}
		return search.Query{}, &Error{target, l.T(key)}
	}
	return q, nil
}

// OpenAtDefault is the time a later opening is asked for when the form
// gives none: the next whole hour today, ten o'clock on another day.
func OpenAtDefault(open string, now time.Time) string {
	if open == "today" {
		return now.In(openinghours.Oslo).Add(time.Hour).Truncate(time.Hour).Format("15:04")
	}
	return "10:00"
}

// openAt is the moment the form's "open today/tomorrow/on a day at a time"
// asks for, in Bergen's time.
func (f Search) openAt(l *i18n.Localizer, now time.Time) (time.Time, *Error) {
	local := now.In(openinghours.Oslo)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, openinghours.Oslo)
	switch f.Open {
	case "today":
	case "tomorrow":
		day = day.AddDate(0, 0, 1)
	case "day":
		d, err := time.ParseInLocation(time.DateOnly, f.OpenDay, openinghours.Oslo)
		if err != nil {
			return time.Time{}, &Error{"open_day", l.T("error.open_day")}
		}
		day = d
	default:
		return time.Time{}, &Error{"open", l.T("error.open")}
	}
	clock := f.OpenTime
	if clock == "" {
		clock = OpenAtDefault(f.Open, now)
	}
	t, err := time.Parse("15:04", clock)
	if err != nil {
		return time.Time{}, &Error{"open_time", l.T("error.open_time")}
	}
	at := time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, openinghours.Oslo)
	if at.Before(now.Add(-search.OpenAtBehind)) || at.After(now.Add(search.OpenAtAhead)) {
		return time.Time{}, &Error{"open_day", l.T("error.open_too_far")}
	}
	return at, nil
}
