// Package search answers public searches: it parses and validates the
// query, asks the index, and keeps popular browse answers in a cache.
package search

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Limits of the public search API.
const (
	MaxTextLength  = 200
	MaxRadiusM     = 50000
	MaxPerPage     = 100
	DefaultPerPage = 20
	MaxPage        = 1000
	// OpenAtAhead is how far ahead open_at may ask; the index holds open
	// times for far longer than this (see meili.CoveredUntil).
	OpenAtAhead = 60 * 24 * time.Hour
	// OpenAtBehind allows a link made a moment ago to keep working.
	OpenAtBehind = time.Hour
)

// Point is a WGS84 coordinate.
type Point struct{ Lat, Lng float64 }

// BBox is a map viewport.
type BBox struct{ MinLng, MinLat, MaxLng, MaxLat float64 }

// Query is a validated search. Every value in it has been checked against a
// closed set or a numeric range, so adapters may build filters from it.
type Query struct {
	Text       string
	Categories []string // sorted, unique
	Districts  []string // sorted, unique
	// Kinds are the kinds of place asked for (listing.Kinds), sorted;
	// none: the places that repair (listing.RepairKinds).
	Kinds   []string
	Origin  *Point
	RadiusM int // 0: no radius
	BBox    *BBox
	OpenAt  *time.Time // truncated to the minute
	Voucher bool
	// Conditions narrow the search by the repairers' repair conditions.
	Conditions ConditionFilter
	// ConditionFacets asks for the repair conditions' and marks' facet
	// counts too (facets=conditions).
	ConditionFacets bool
	Page            int
	PerPage         int
	// Literal searches Text as typed, without reading it (the page's
	// "search for exactly this").
	Literal bool

	// Filled by Reader.Apply from the text:
	Interpreted *Interpretation
	Implied     []string // categories the words imply: their listings come first
	Ranking     string   // words that order the listings of Implied
	NearName    string   // the place named, when Origin is its point
	vocabulary  uint64   // the Fingerprint of the vocabulary the text was read with
	kindsRead   bool     // Kinds came from the words, not the form
	typed       string   // the text as typed
}

// Cacheable reports whether the query is a browse by district and category:
// no free text and nothing personal such as an origin or a viewport.
// A place named in the text ("skomaker åsane") is not personal either.
func (q Query) Cacheable() bool {
	return q.Text == "" && q.BBox == nil && (q.Origin == nil || q.NearName != "")
}

var knownParams = map[string]bool{
	"q": true, "category": true, "district": true, "lat": true, "lng": true, "radius_m": true, "bbox": true,
	"open_now": true, "open_at": true, "voucher": true, "page": true, "per_page": true, "literal": true,
	"warranty_min": true, "turnaround_max": true, "loaner": true, "where": true, "brand": true, "hide_own_brand": true,
	"label": true, "gift_card": true, "facets": true, "kind": true,
	"lang": true, // the language of error messages; the hits are the same
}

var repeatable = map[string]bool{"category": true, "district": true, "where": true, "kind": true}

// ParseQuery validates the URL parameters of /api/v1/search. now resolves
// open_now and bounds open_at. Every problem is an apperr naming the field.
func ParseQuery(v url.Values, now time.Time) (Query, error) {
	if err := checkParams(v, knownParams); err != nil {
		return Query{}, err
	}
	if _, err := parseLang(v); err != nil {
		return Query{}, err
	}
	q := Query{Page: 1, PerPage: DefaultPerPage}
	var err error
	if q.Text, err = parseText(v.Get("q")); err != nil {
		return Query{}, err
	}
	if q.Categories, err = parseSlugs(v["category"], "category", category.Valid); err != nil {
		return Query{}, err
	}
	if q.Districts, err = parseSlugs(v["district"], "district", district.ValidSlug); err != nil {
		return Query{}, err
	}
	if q.Kinds, err = parseSlugs(v["kind"], "kind", func(s string) bool { return slices.Contains(listing.Kinds, s) }); err != nil {
		return Query{}, err
	}
	if err = parsePlace(v, &q); err != nil {
		return Query{}, err
	}
	if err = parseOpen(v, now, &q); err != nil {
		return Query{}, err
	}
	if q.Voucher, err = parseBool(v, "voucher"); err != nil {
		return Query{}, err
	}
	if q.Literal, err = parseBool(v, "literal"); err != nil {
		return Query{}, err
	}
	if q.Conditions, err = parseConditionFilter(v); err != nil {
		return Query{}, err
	}
	if raw, ok := v["facets"]; ok {
		if raw[0] != "conditions" {
			return Query{}, apperr.Invalid("facets", "err.search.value_unknown", "value", raw[0])
		}
		q.ConditionFacets = true
	}
	if q.Page, err = parseInt(v, "page", 1, MaxPage, 1); err != nil {
		return Query{}, err
	}
	if q.PerPage, err = parseInt(v, "per_page", 1, MaxPerPage, DefaultPerPage); err != nil {
		return Query{}, err
	}
	return q, nil
}

// checkParams refuses parameters not in known, and repeats of those that
// are not repeatable, in a stable order.
func checkParams(v url.Values, known map[string]bool) error {
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !known[name] {
			return &apperr.Error{Code: apperr.CodeUnknownParameter, Field: name, Key: "err.unknown_parameter"}
		}
		if len(v[name]) > 1 && !repeatable[name] {
			return apperr.Invalid(name, "err.search.repeated_parameter")
		}
	}
	return nil
}

// parseLang is the lang parameter (nb, the default, or en).
func parseLang(v url.Values) (i18n.Lang, error) {
	raw, ok := v["lang"]
	if !ok {
		return i18n.NB, nil
	}
	l, valid := i18n.Parse(raw[0])
	if !valid {
		return "", apperr.Invalid("lang", "err.lang")
	}
	return l, nil
}

var suggestParams = map[string]bool{"q": true, "lang": true}

// ParseSuggest validates the URL parameters of /api/v1/suggest: the text
// (see ParseSuggestText) and the language the categories are named in.
func ParseSuggest(v url.Values) (string, i18n.Lang, error) {
	if err := checkParams(v, suggestParams); err != nil {
		return "", "", err
	}
	lang, err := parseLang(v)
	if err != nil {
		return "", "", err
	}
	text, err := ParseSuggestText(v.Get("q"))
	return text, lang, err
}

// ParseSuggestText checks the text a suggestion is asked for: like q, but
// required and at most MaxSuggestionText characters.
func ParseSuggestText(s string) (string, error) {
	text, err := parseText(s)
	switch {
	case err != nil:
		return "", err
	case text == "":
		return "", apperr.Invalid("q", "err.search.text_missing")
	case utf8.RuneCountInString(text) > MaxSuggestionText:
		return "", apperr.Invalid("q", "err.search.suggest_text_too_long", "max", MaxSuggestionText)
	}
	return text, nil
}

func parseText(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", apperr.Invalid("q", "err.search.text_not_utf8")
	}
	if utf8.RuneCountInString(s) > MaxTextLength {
		return "", apperr.Invalid("q", "err.search.text_too_long", "max", MaxTextLength)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return "", apperr.Invalid("q", "err.search.text_control_characters")
		}
	}
	return strings.Join(strings.Fields(s), " "), nil
}

func parseSlugs(values []string, field string, valid func(string) bool) ([]string, error) {
	var out []string
	for _, s := range values {
		if !valid(s) {
			return nil, apperr.Invalid(field, "err.search.value_unknown", "value", s)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out, nil
}

func parsePlace(v url.Values, q *Query) error {
	_, hasLat := v["lat"]
	_, hasLng := v["lng"]
	if hasLat != hasLng {
		return apperr.Invalid("lat", "err.search.lat_lng_together")
	}
	if hasLat {
		lat, err := parseFloat(v, "lat", -90, 90)
		if err != nil {
			return err
		}
		lng, err := parseFloat(v, "lng", -180, 180)
		if err != nil {
			return err
		}
		q.Origin = &Point{Lat: lat, Lng: lng}
	}
	if _, ok := v["radius_m"]; ok {
		if q.Origin == nil {
			return apperr.Invalid("radius_m", "err.search.radius_needs_origin")
		}
		r, err := parseInt(v, "radius_m", 1, MaxRadiusM, 0)
		if err != nil {
			return err
		}
		q.RadiusM = r
	}
	if raw, ok := v["bbox"]; ok {
		b, err := parseBBox(raw[0])
		if err != nil {
			return err
		}
		q.BBox = &b
	}
	return nil
}

func parseBBox(s string) (BBox, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return BBox{}, apperr.Invalid("bbox", "err.search.bbox_format")
	}
	var n [4]float64
	for i, p := range parts {
		f, err := listing.ParseDecimal(strings.TrimSpace(p))
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return BBox{}, apperr.Invalid("bbox", "err.search.bbox_not_a_number")
		}
		n[i] = f
	}
	b := BBox{MinLng: n[0], MinLat: n[1], MaxLng: n[2], MaxLat: n[3]}
	if b.MinLng < -180 || b.MaxLng > 180 || b.MinLat < -90 || b.MaxLat > 90 {
		return BBox{}, apperr.Invalid("bbox", "err.search.bbox_out_of_range")
	}
	if b.MinLng >= b.MaxLng || b.MinLat >= b.MaxLat {
		return BBox{}, apperr.Invalid("bbox", "err.search.bbox_min_above_max")
	}
	return b, nil
}

func parseOpen(v url.Values, now time.Time, q *Query) error {
	openNow, err := parseBool(v, "open_now")
	if err != nil {
		return err
	}
	raw, hasAt := v["open_at"]
	if openNow && hasAt {
		return apperr.Invalid("open_at", "err.search.open_now_and_open_at")
	}
	if openNow {
		t := now.Truncate(time.Minute)
		q.OpenAt = &t
	}
	if hasAt {
		t, err := time.Parse(time.RFC3339, raw[0])
		if err != nil {
			return apperr.Invalid("open_at", "err.search.open_at_format")
		}
		if t.Before(now.Add(-OpenAtBehind)) || t.After(now.Add(OpenAtAhead)) {
			return apperr.Invalid("open_at", "err.search.open_at_too_far")
		}
		t = t.Truncate(time.Minute)
		q.OpenAt = &t
	}
	return nil
}

func parseBool(v url.Values, field string) (bool, error) {
	raw, ok := v[field]
	if !ok {
		return false, nil
	}
	switch raw[0] {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, apperr.Invalid(field, "err.search.not_a_boolean")
}

func parseInt(v url.Values, field string, lo, hi, def int) (int, error) {
	raw, ok := v[field]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(raw[0])
	if err != nil {
		return 0, apperr.Invalid(field, "err.search.not_an_integer")
	}
	if n < lo || n > hi {
		return 0, apperr.Invalid(field, "err.search.out_of_range", "min", lo, "max", hi)
	}
	return n, nil
}

func parseFloat(v url.Values, field string, lo, hi float64) (float64, error) {
	f, err := listing.ParseDecimal(v.Get(field))
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, apperr.Invalid(field, "err.search.not_a_number")
	}
	if f < lo || f > hi {
		return 0, apperr.Invalid(field, "err.search.out_of_range", "min", lo, "max", hi)
	}
	return f, nil
}

// Typed is the text as the resident typed it, before it was read.
func (q Query) Typed() string {
	if q.Interpreted != nil {
		return q.typed
	}
	return q.Text
}

// CacheKey is a canonical form of a cacheable query. minute is part of it
// because each hit's open_now is computed for the minute of the answer.
func (q Query) CacheKey(minute time.Time) string {
	var b strings.Builder
	b.WriteString("c=")
	b.WriteString(strings.Join(q.Categories, ","))
	b.WriteString("|d=")
	b.WriteString(strings.Join(q.Districts, ","))
	b.WriteString("|k=")
	b.WriteString(strings.Join(q.Kinds, ","))
	b.WriteString("|v=")
	b.WriteString(strconv.FormatBool(q.Voucher))
	b.WriteString("|cf=")
	b.WriteString(q.Conditions.key())
	b.WriteString(strconv.FormatBool(q.ConditionFacets))
	b.WriteString("|o=")
	if q.OpenAt != nil {
		b.WriteString(strconv.FormatInt(q.OpenAt.Unix()/60, 10))
	}
	b.WriteString("|p=")
	b.WriteString(strconv.Itoa(q.Page))
	b.WriteString("|n=")
	b.WriteString(strconv.Itoa(q.PerPage))
	b.WriteString("|i=")
	b.WriteString(strings.Join(q.Implied, ","))
	b.WriteString("|r=")
	b.WriteString(q.Ranking)
	b.WriteString("|near=")
	b.WriteString(q.NearName)
	b.WriteString("|vv=")
	b.WriteString(strconv.FormatUint(q.vocabulary, 10))
	b.WriteString("|m=")
	b.WriteString(strconv.FormatInt(minute.Unix()/60, 10))
	return b.String()
}
