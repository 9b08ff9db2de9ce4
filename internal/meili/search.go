package meili

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/search"
)

// retrieved is what a hit needs: the card, passed on as stored, and the
// hours "open now" is computed from (_geo only because Meilisearch gives
// _geoDistance only with it).
var retrieved = []string{"card", "hours_known", "hours", "_geo", "sessions"}

// retrievedBeforeCards is what a hit needed from documents indexed before
// they held a card: while an upgrade re-indexes them, a search that meets
// one asks again for these (see withCards).
var retrievedBeforeCards = append([]string{"id", "slug", "name", "categories", "services", "district", "address",
	"accepts_repair_voucher", "verified_at", "changed_since_verification", "approximate_position", "phone"}, retrieved...)

// Search runs a validated query. A query whose words imply categories
// lists those categories' listings first and then the other listings that
// match the words it did not understand (see searchImplied).
func (ix *Index) Search(ctx context.Context, q search.Query) (search.Result, error) {
	if !ix.ready.Load() {
		return search.Result{}, apperr.Unavailable(errNotReady, "err.meili.search_unavailable")
	}
	if len(q.Implied) > 0 {
		return ix.searchImplied(ctx, q)
	}
	req := ix.request(q, q.Text, Filter(q))
	req.Page, req.HitsPerPage = q.Page, q.PerPage
	var resp searchResponse
	err := whole([]*searchRequest{req}, func() ([]searchResponse, error) {
		resp = answerFor(req)
		err := ix.run(ctx, func() error { return ix.searcher.search(ctx, req, &resp) })
		return []searchResponse{resp}, err
	})
	if err != nil {
		return search.Result{}, err
	}
	res := search.Result{Total: resp.TotalHits, Page: q.Page, PerPage: q.PerPage, Facets: resp.facets()}
	res.Hits = resp.hits()
	return res, nil
}

// searchImplied answers a query whose words imply categories, as two
// searches in one request: the implied categories' listings (all of them:
// every document has the anchor word; those with more of the ranking
// words first), then the listings of other categories that match the
// words not understood. Results page through the first list and on into
// the second; totals and facets are their sums (the two are disjoint).
func (ix *Index) searchImplied(ctx context.Context, q search.Query) (search.Result, error) {
	offset := (q.Page - 1) * q.PerPage
	inside := ix.request(q, "", Filter(q)+and(Filter(q))+"categories IN "+quoted(q.Implied))
	if q.Ranking != "" {
		inside.Q = anchor + " " + q.Ranking
		if q.Origin == nil {
			inside.Sort = nil // ranked by the words, not by name
		}
	}
	inside.Page, inside.HitsPerPage = q.Page, q.PerPage
	reqs := []*searchRequest{inside}
	var outside *searchRequest
	if q.Text != "" {
		outside = ix.request(q, q.Text, Filter(q)+and(Filter(q))+"NOT categories IN "+quoted(q.Implied))
		outside.MatchingStrategy = "all"
		// The second list starts where the first ends; its offset is only
		// known from the first's total, so ask for enough to cut from.
		outside.Page, outside.HitsPerPage = 1, min(offset+q.PerPage, maxHitsPerRequest)
		reqs = append(reqs, outside)
	}
	for _, r := range reqs {
		r.IndexUID = ix.uid // a multi-search names the index of each search
	}
	var resps []searchResponse
	err := whole(reqs, func() ([]searchResponse, error) {
		resps = nil
		err := ix.run(ctx, func() error { return ix.searcher.multiSearch(ctx, reqs, &resps) })
		return resps, err
	})
	if err != nil {
		return search.Result{}, err
	}
	first := resps[0]
	res := search.Result{Total: first.TotalHits, Page: q.Page, PerPage: q.PerPage, Facets: first.facets()}
	res.Hits = first.hits()
	if outside != nil && len(resps) > 1 {
		second := resps[1]
		res.Total += second.TotalHits
		res.Facets = addFacets(res.Facets, second.facets())
		from := max(0, offset-first.TotalHits)
		more := second.hits()
		if from < len(more) {
			more = more[from:]
			res.Hits = append(res.Hits, more[:min(len(more), q.PerPage-len(res.Hits))]...)
		}
	}
	return res, nil
}

// maxHitsPerRequest bounds the second list of searchImplied.
const maxHitsPerRequest = 1000

func and(filter string) string {
	if filter == "" {
		return ""
	}
	return " AND "
}

// request is the search body for q with the given text and filter.
func (ix *Index) request(q search.Query, text, filter string) *searchRequest {
	facets := facetNames[:1]
	if q.ConditionFacets {
		facets = facetNames
	}
	req := &searchRequest{Q: text, Filter: filter, Facets: facets, AttributesToRetrieve: retrieved}
	switch {
	case q.Origin != nil:
		req.Sort = []string{"_geoPoint(" + num(q.Origin.Lat) + "," + num(q.Origin.Lng) + "):asc"}
	case text == "":
		req.Sort = []string{"name_sort:asc"} // a browse reads best in name order
	}
	return req
}

// run turns a failed search into the error callers expect: a refusal is a
// bug of ours (an internal error, logged), anything else an outage. An
// index or settings found gone is said to OnLost, so that they are set
// right at once rather than at the next periodic check.
func (ix *Index) run(ctx context.Context, search func() error) error {
	err := search()
	if err == nil {
		return nil
	}
	if errors.Is(err, errSearchRefused) {
		return err
	}
	ix.lost(err)
	return apperr.Unavailable(err, "err.meili.search_unavailable")
}

func (ix *Index) lost(err error) {
	if errors.Is(err, errIndexLost) && ix.OnLost != nil {
		ix.OnLost()
	}
}

// whole runs a search and, when it met documents indexed before they
// held a card or facet keys, runs it once more asking for the fields and
// facets such documents hold instead: an upgrade must not break search
// while it re-indexes. Once every document is of the current format,
// nothing is asked twice.
func whole(reqs []*searchRequest, run func() ([]searchResponse, error)) error {
	resps, err := run()
	if err != nil {
		return err
	}
	for _, r := range resps {
		if r.fromOlderDocuments() {
			for _, req := range reqs {
				req.AttributesToRetrieve = retrievedBeforeCards
				req.Facets = slices.Concat(facetsBeforeKeys, req.Facets[1:])
			}
			_, err := run()
			return err
		}
	}
	return nil
}

// fromOlderDocuments says whether an answer holds a hit without a card or
// counted documents without facet keys: every document of the current
// format has exactly one district key, so the district keys' counts add
// up to less than the total exactly when some matching document has none.
// (They may add up to more: the total stops at pagination.maxTotalHits,
// the counts do not.)
func (r *searchResponse) fromOlderDocuments() bool {
	for _, h := range r.Hits {
		if h.Stored == nil {
			return true
		}
	}
	keys, ok := r.FacetDistribution[facetNames[0]]
	if !ok {
		return false // the facets were not asked for by key
	}
	n := 0
	for k, c := range keys {
		if strings.HasPrefix(k, districtKey) {
			n += c
		}
	}
	return n < r.TotalHits
}

type searchResponse struct {
	Hits              []hitDocument             `json:"hits"`
	TotalHits         int                       `json:"totalHits"`
	FacetDistribution map[string]map[string]int `json:"facetDistribution"`
}

// answerFor is an empty answer with room for a page of req's hits: the
// decoder fills the room it is given instead of growing a slice by
// doubling (7 of the 45 KB an uncached search allocated).
func answerFor(req *searchRequest) searchResponse {
	return searchResponse{Hits: make([]hitDocument, 0, min(req.HitsPerPage, maxHitsPerRequest))}
}

// hitDocument is what a search retrieves of a document.
type hitDocument struct {
	// Stored is the card, passed on undecoded; search.Card holds what a
	// document from before cards says instead (see whole).
	Stored json.RawMessage `json:"card"`
	*search.Card
	Geo         geo             `json:"_geo"`
	GeoDistance *float64        `json:"_geoDistance"`
	HoursKnown  bool            `json:"hours_known"`
	Hours       json.RawMessage `json:"hours"`
	Sessions    []int64         `json:"sessions"`
}

// facetNames are the attributes whose values an answer counts: the
// categories and districts (as facet keys) always, the repair conditions
// and marks when asked for (facets=conditions) — Meilisearch's counting
// of six facets halves the rate of a filtered text search, for counts
// most answers do not show.
var facetNames = []string{"facet_keys", "repair_where", "brands", "loaner", "labels"}

// facetsBeforeKeys count what facet_keys counts, in documents from before
// it (see whole).
var facetsBeforeKeys = []string{"categories", "district"}

func (r *searchResponse) facets() search.Facets {
	f := search.Facets{Category: counts(r.FacetDistribution["categories"]), District: counts(r.FacetDistribution["district"]),
		Where: counts(r.FacetDistribution["repair_where"]), Brand: counts(r.FacetDistribution["brands"]),
		Loaner: r.FacetDistribution["loaner"]["true"], Label: counts(r.FacetDistribution["labels"])}
	for k, n := range r.FacetDistribution[facetNames[0]] {
		if slug, ok := strings.CutPrefix(k, categoryKey); ok {
			f.Category[slug] = n
		} else if slug, ok := strings.CutPrefix(k, districtKey); ok && k != districtKeyNone {
			f.District[slug] = n
		}
	}
	return f
}

// addFacets is the counts of two disjoint answers together.
func addFacets(a, b search.Facets) search.Facets {
	for _, m := range [][2]map[string]int{{a.Category, b.Category}, {a.District, b.District}, {a.Where, b.Where}, {a.Brand, b.Brand}, {a.Label, b.Label}} {
		for k, n := range m[1] {
			m[0][k] += n
		}
	}
	a.Loaner += b.Loaner
	return a
}

func (r *searchResponse) hits() []search.Hit {
	out := make([]search.Hit, len(r.Hits))
	for i, h := range r.Hits {
		hit := search.Hit{Stored: h.Stored}
		if h.Stored == nil && h.Card != nil { // a document from before cards
			hit.Card = *h.Card
			hit.Location = listing.Location{Lat: h.Geo.Lat, Lng: h.Geo.Lng}
		}
		if h.HoursKnown {
			hit.Hours = hitHours(h.Hours)
		}
		for j := 0; j+1 < len(h.Sessions); j += 2 {
			hit.Sessions = append(hit.Sessions, listing.Session{Start: time.Unix(h.Sessions[j]*60, 0), End: time.Unix(h.Sessions[j+1]*60, 0)})
		}
		if h.GeoDistance != nil {
			d := int(math.Round(*h.GeoDistance))
			hit.DistanceM = &d
		}
		out[i] = hit
	}
	return out
}

// Services returns up to limit service words of the indexed listings that
// match text as a prefix (with Meilisearch's typo tolerance), the most
// common first.
func (ix *Index) Services(ctx context.Context, text string, limit int) ([]string, error) {
	if !ix.ready.Load() {
		return nil, apperr.Unavailable(errNotReady, "err.meili.suggest_unavailable")
	}
	var resp struct {
		FacetHits []struct {
			Value string `json:"value"`
			Count int    `json:"count"`
		} `json:"facetHits"`
	}
	if err := ix.searcher.facetSearch(ctx, &facetSearchRequest{FacetName: "services", FacetQuery: text}, &resp); err != nil {
		if errors.Is(err, errSearchRefused) {
			return nil, err
		}
		ix.lost(err)
		return nil, apperr.Unavailable(err, "err.meili.suggest_unavailable")
	}
	hits := resp.FacetHits
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Count > hits[j].Count })
	out := make([]string, 0, min(limit, len(hits)))
	for _, h := range hits[:min(limit, len(hits))] {
		out = append(out, h.Value)
	}
	return out, nil
}

// counts is a decoded facet's counts, never nil: the answer is the
// maps' only holder, so they are used as they are rather than copied.
func counts(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// Filter builds the Meilisearch filter of q. Every value comes from a
// validated Query: slugs from closed sets, numbers as parsed numbers. No
// user text is ever part of it.
func Filter(q search.Query) string {
	var parts []string
	if len(q.Categories) > 0 {
		parts = append(parts, "categories IN "+quoted(q.Categories))
	}
	if len(q.Districts) > 0 {
		parts = append(parts, "district IN "+quoted(q.Districts))
	}
	if len(q.Kinds) > 0 {
		parts = append(parts, "kind IN "+quoted(q.Kinds))
	} else {
		// Repair-first, said as what it leaves out: a document from before
		// kinds has none and is a repairer's.
		parts = append(parts, "NOT kind IN "+quoted(listing.ReuseKinds))
	}
	if q.Voucher {
		parts = append(parts, "accepts_repair_voucher = true")
	}
	if q.Origin != nil && q.RadiusM > 0 {
		parts = append(parts, "_geoRadius("+num(q.Origin.Lat)+", "+num(q.Origin.Lng)+", "+strconv.Itoa(q.RadiusM)+")")
	}
	if b := q.BBox; b != nil {
		// Meilisearch takes the top-right corner first: [lat, lng] pairs.
		parts = append(parts, "_geoBoundingBox(["+num(b.MaxLat)+", "+num(b.MaxLng)+"], ["+num(b.MinLat)+", "+num(b.MinLng)+"])")
	}
	if q.OpenAt != nil {
		parts = append(parts, openAtFilter(*q.OpenAt))
	}
	parts = append(parts, conditionFilter(q.Conditions)...)
	return strings.Join(parts, " AND ")
}

// conditionFilter is the filter's part for the repair conditions; every
// value is validated (numbers, closed sets, a brand of letters and digits).
func conditionFilter(f search.ConditionFilter) []string {
	var parts []string
	// Equality on a list of the thresholds met, not a range on a number:
	// Meilisearch answers a range filter on a text+geo search at half the
	// rate of an equality (see document.go).
	if f.WarrantyMin > 0 {
		parts = append(parts, "warranty_covers = "+strconv.Itoa(f.WarrantyMin))
	}
	if f.TurnaroundMax != nil {
		parts = append(parts, "done_within = "+strconv.Itoa(*f.TurnaroundMax))
	}
	if f.Loaner {
		parts = append(parts, "loaner = true")
	}
	if len(f.Where) > 0 {
		parts = append(parts, "repair_where IN "+quoted(f.Where))
	}
	if f.Brand != "" {
		parts = append(parts, "brands = "+strconv.Quote(f.Brand))
	}
	if f.HideOwnBrandOnly {
		parts = append(parts, "NOT own_brand_only = true")
	}
	if f.Label != "" {
		parts = append(parts, "labels = "+strconv.Quote(f.Label))
	}
	if f.GiftCard {
		parts = append(parts, "accepts_gift_card = true")
	}
	return parts
}

// openAtFilter matches the documents open at t: by the regular week
// unless t's date is irregular for the listing, else by that date's own
// slots (see opentimes.go).
func openAtFilter(t time.Time) string {
	week, minute := weekMinute(t), t.Unix()/60
	return "(((week_slots = " + strconv.Itoa(week/slotMinutes) + " OR week_minutes = " + strconv.Itoa(week) + ")" +
		" AND NOT irregular_days = " + strconv.Itoa(dateNumber(t)) + ")" +
		" OR open_slots = " + strconv.FormatInt(minute/slotMinutes, 10) + " OR open_minutes = " + strconv.FormatInt(minute, 10) + ")"
}

func quoted(slugs []string) string {
	q := make([]string, len(slugs))
	for i, s := range slugs {
		q[i] = strconv.Quote(s) // slugs are [a-z0-9-]; quoting is belt and braces
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
