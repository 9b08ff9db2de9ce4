package search

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/paths"
)

// Reasons a search found nothing, each with a next step.
const (
	ReasonClosedNow       = "closed_now"       // open_now or open_at emptied it
	ReasonNoneInDistrict  = "none_in_district" // the district filter did
	ReasonNoneInCategory  = "none_in_category" // nobody repairs this here (yet)
	ReasonUnknownWords    = "unknown_words"    // words nobody's listing has
	ReasonOutsideRadius   = "outside_radius"   // the radius or the map area did
	ReasonOtherKind       = "other_kind"       // no repairer, but a second-hand or rental place
	ReasonBusStop         = "bus_stop"         // nobody in the district, but the repair bus stops there
	alternativeSampleSize = 100                // hits read to find the first opening
)

// Alternative is a next step when a search found nothing: a search that
// finds Total places (0 for "tell us about a repairer"), as a link.
type Alternative struct {
	Reason string `json:"reason"`
	Total  int    `json:"total"`
	URL    string `json:"url"`
	Label  string `json:"label"`
	// Remove and Set are the edit to the search's parameters the URL
	// makes, so that the page can build it from its own form.
	Remove []string   `json:"remove,omitempty"`
	Set    url.Values `json:"set,omitempty"`
}

// related are categories worth offering when one has nobody: someone who
// repairs the neighbouring kind of thing may take it on.
var related = map[string][]string{
	"hvitevarer":    {"elektronikk"},
	"instrumenter":  {"elektronikk"},
	"sport-friluft": {"klaer", "sykkel"},
	"mobler":        {"klaer"},
	"verktoy":       {"sykkel"},
	"elektronikk":   {"mobil-data"},
	"mobil-data":    {"elektronikk"},
}

// alternatives finds the next steps for a query that found nothing. Each
// step is one more search of the index, only ever on an empty answer.
func (s *Service) alternatives(ctx context.Context, q Query, lang i18n.Lang, now time.Time) ([]Alternative, error) {
	var l *i18n.Localizer
	if s.Messages != nil {
		l = s.Messages.For(lang)
	}
	o := &offers{s: s, q: q, l: l}
	if q.OpenAt != nil {
		wider := q
		wider.OpenAt = nil
		o.try(ctx, ReasonClosedNow, wider, []string{"open_now", "open_at", "open", "open_day", "open_time"}, func(r Result) string {
			if first, ok := firstOpening(r.Hits, *q.OpenAt); ok {
				return l.N("alt.closed_now_opens", r.Total, "when", l.When(now.In(openinghours.Oslo), first.In(openinghours.Oslo)))
			}
			return l.N("alt.closed_now", r.Total)
		})
	}
	if len(q.Districts) > 0 {
		wider := q
		wider.Districts = nil
		o.try(ctx, ReasonNoneInDistrict, wider, []string{"district"}, func(r Result) string { return l.N("alt.none_in_district", r.Total) })
	}
	if q.RadiusM > 0 || q.BBox != nil {
		wider := q
		wider.RadiusM, wider.BBox = 0, nil
		o.try(ctx, ReasonOutsideRadius, wider, []string{"radius_m", "bbox"}, func(r Result) string {
			if len(r.Hits) > 0 && r.Hits[0].DistanceM != nil {
				return l.N("alt.outside_radius_nearest", r.Total, "distance", l.Distance(*r.Hits[0].DistanceM))
			}
			return l.N("alt.outside_radius", r.Total)
		})
	}
	if cats := q.Categories; len(cats) > 0 || len(q.Implied) > 0 {
		if len(q.Implied) > 0 {
			cats = q.Implied
		}
		more, err := s.emptyCategories(ctx, q, cats, l)
		o.out, o.err = append(o.out, more...), errors.Join(o.err, err)
	}
	if q.Text != "" && len(q.Implied) == 0 {
		wider := q
		wider.Text = ""
		o.try(ctx, ReasonUnknownWords, wider, []string{"q"}, func(r Result) string { return l.N("alt.unknown_words", r.Total, "words", q.Text) })
	}
	if len(q.Districts) > 0 && s.BusStops != nil && o.err == nil {
		more, err := s.busStops(ctx, q, l)
		o.out, o.err = append(o.out, more...), err
	}
	if len(q.Kinds) == 0 && (q.Typed() != "" || len(q.Categories) > 0) {
		// Nobody repairs it: someone may sell it second-hand or rent it out.
		what := q.Typed()
		if what == "" {
			what = categoryNames(q.Categories, l)
		}
		for _, kind := range listing.ReuseKinds {
			wider := q
			wider.Kinds = []string{kind}
			o.offer(ctx, ReasonOtherKind, wider, nil, url.Values{"kind": {kind}}, func(r Result) string {
				return l.N("alt.kind."+kind, r.Total, "what", what)
			})
		}
	}
	if o.err != nil {
		return nil, o.err
	}
	return o.out, nil
}

// BusStop is a stop of the repair bus: where, on which weekday (0 is
// Monday) and between which minutes of the day, and what it takes (none:
// anything).
type BusStop struct {
	Name, District string
	Categories     []string
	Weekday        int
	From, To       int
}

// busStops offers the repair bus's stops in the districts searched that
// take what was asked for: "Reparasjonsbussen: Åsane senter, tirsdag
// 15:00–18:00".
func (s *Service) busStops(ctx context.Context, q Query, l *i18n.Localizer) ([]Alternative, error) {
	stops, err := s.BusStops(ctx)
	if err != nil {
		return nil, err
	}
	wanted := q.Categories
	if len(q.Implied) > 0 {
		wanted = q.Implied
	}
	var out []Alternative
	for _, st := range stops {
		if !slices.Contains(q.Districts, st.District) {
			continue
		}
		if len(wanted) > 0 && len(st.Categories) > 0 && len(intersect(wanted, st.Categories)) == 0 {
			continue
		}
		a := Alternative{Reason: ReasonBusStop, URL: paths.Bus}
		if l != nil {
			a.Label = l.T("alt.bus_stop", "stop", st.Name, "day", l.Weekday(st.Weekday), "from", l.Clock(st.From), "to", l.Clock(st.To))
		}
		out = append(out, a)
	}
	return out, nil
}

// offers collects alternatives; the first error stops the rest.
type offers struct {
	s   *Service
	q   Query
	l   *i18n.Localizer
	out []Alternative
	err error
}

// try searches wider and, when it finds something, offers it as an
// alternative that removes the given parameters.
func (o *offers) try(ctx context.Context, reason string, wider Query, remove []string, label func(Result) string) {
	o.offer(ctx, reason, wider, remove, nil, label)
}

// offer searches wider and, when it finds something, offers it as an
// alternative that removes and sets the given parameters.
func (o *offers) offer(ctx context.Context, reason string, wider Query, remove []string, set url.Values, label func(Result) string) {
	if o.err != nil {
		return
	}
	wider.Page, wider.PerPage = 1, alternativeSampleSize
	res, err := o.s.Index.Search(ctx, wider)
	if err != nil || res.Total == 0 {
		o.err = err
		return
	}
	a := Alternative{Reason: reason, Total: res.Total, Remove: remove, Set: set}
	a.URL = paths.Search(a.Edit(o.q.Values()))
	if o.l != nil {
		a.Label = label(res)
	}
	o.out = append(o.out, a)
}

// emptyCategories offers, for categories nobody in the directory repairs,
// the repair café, related categories that have listings, and the form
// that tells the municipality about a repairer.
func (s *Service) emptyCategories(ctx context.Context, q Query, cats []string, l *i18n.Localizer) ([]Alternative, error) {
	counts, err := s.categoryCounts(ctx, true)
	if err != nil {
		return nil, err
	}
	var empty []string
	for _, c := range cats {
		if counts[c] == 0 {
			empty = append(empty, c)
		}
	}
	if len(empty) == 0 || len(empty) < len(cats) {
		return nil, nil
	}
	var out []Alternative
	label := func(key string, n int, slug string) string {
		if l == nil {
			return ""
		}
		return l.N(key, n, "category", categoryNames([]string{slug}, l))
	}
	tip := Alternative{Reason: ReasonNoneInCategory, URL: paths.Tip(empty[0]), Label: label("alt.none_in_category", 0, empty[0])}
	out = append(out, tip)
	offer := func(slug string) {
		if counts[slug] == 0 || slices.Contains(cats, slug) || slices.ContainsFunc(out, func(a Alternative) bool { return a.Set.Get("category") == slug }) {
			return
		}
		a := Alternative{Reason: ReasonNoneInCategory, Total: counts[slug], Remove: []string{"q", "category"}, Set: url.Values{"category": {slug}}}
		a.URL = paths.Search(a.Edit(q.Values()))
		key := "alt.related_category"
		if slug == "reparasjonskafe" {
			key = "alt.repair_cafe"
		}
		a.Label = label(key, a.Total, slug)
		out = append(out, a)
	}
	offer("reparasjonskafe")
	for _, c := range empty {
		for _, r := range related[c] {
			offer(r)
		}
	}
	return out, nil
}

// categoryNames are the categories' names in l's language (bokmål
// without one), joined.
func categoryNames(slugs []string, l *i18n.Localizer) string {
	lang := i18n.NB
	if l != nil {
		lang = l.Lang
	}
	return strings.Join(category.Names(slugs, lang), ", ")
}

// countsTTL is how long the category counts are reused: suggestions ask
// on every pause in typing, and a new category's first listing may wait
// this long to be offered.
const countsTTL = 10 * time.Second

// categoryCounts counts the published listings of every category; a
// recent count does unless fresh.
func (s *Service) categoryCounts(ctx context.Context, fresh bool) (map[string]int, error) {
	s.countsMu.Lock()
	counts, at := s.counts, s.countsAt
	s.countsMu.Unlock()
	if !fresh && counts != nil && time.Since(at) < countsTTL {
		return counts, nil
	}
	res, err := s.Index.Search(ctx, Query{Page: 1, PerPage: 1})
	if err != nil {
		return nil, err
	}
	s.countsMu.Lock()
	s.counts, s.countsAt = res.Facets.Category, time.Now()
	s.countsMu.Unlock()
	return res.Facets.Category, nil
}

// Edit applies the alternative's change to a search's parameters.
func (a Alternative) Edit(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		if !slices.Contains(a.Remove, k) && k != "page" && k != "per_page" {
			out[k] = slices.Clone(vs)
		}
	}
	for k, vs := range a.Set {
		out[k] = slices.Clone(vs)
	}
	return out
}

// firstOpening is the earliest opening after at among the hits.
func firstOpening(hits []Hit, at time.Time) (time.Time, bool) {
	var best time.Time
	for _, h := range hits {
		if h.Hours == nil {
			continue
		}
		if open, next, ok := openNow(h.Hours, at); !open && ok && (best.IsZero() || next.Before(best)) {
			best = next
		}
	}
	return best, !best.IsZero()
}

// Values are the search page's parameters for q, as the resident asked it
// (the text as typed, the origin of a named place left out).
func (q Query) Values() url.Values {
	v := url.Values{}
	if text := q.Typed(); text != "" {
		v.Set("q", q.Typed())
	}
	if len(q.Categories) > 0 {
		v["category"] = slices.Clone(q.Categories)
	}
	if len(q.Districts) > 0 {
		v["district"] = slices.Clone(q.Districts)
	}
	if q.Origin != nil && q.NearName == "" {
		v.Set("lat", strconv.FormatFloat(q.Origin.Lat, 'f', -1, 64))
		v.Set("lng", strconv.FormatFloat(q.Origin.Lng, 'f', -1, 64))
		if q.RadiusM > 0 {
			v.Set("radius_m", strconv.Itoa(q.RadiusM))
		}
	}
	if b := q.BBox; b != nil {
		v.Set("bbox", strconv.FormatFloat(b.MinLng, 'f', -1, 64)+","+strconv.FormatFloat(b.MinLat, 'f', -1, 64)+","+
			strconv.FormatFloat(b.MaxLng, 'f', -1, 64)+","+strconv.FormatFloat(b.MaxLat, 'f', -1, 64))
	}
	if q.OpenAt != nil {
		v.Set("open_at", q.OpenAt.Format(time.RFC3339))
	}
	if len(q.Kinds) > 0 && !q.kindsRead {
		v["kind"] = slices.Clone(q.Kinds)
	}
	if q.Voucher {
		v.Set("voucher", "true")
	}
	if q.Literal {
		v.Set("literal", "true")
	}
	return v
}
