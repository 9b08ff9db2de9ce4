package meili

import (
	"context"
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/search"
)

var retrieved = []string{"id", "slug", "name", "categories", "services", "district", "address", "_geo",
	"accepts_repair_voucher", "verified_at", "hours_known", "open_spans"}

// Search runs a validated query.
func (ix *Index) Search(ctx context.Context, q search.Query) (search.Result, error) {
	if !ix.ready.Load() {
		return search.Result{}, apperr.Unavailable(errNotReady, "err.meili.search_unavailable")
	}
	req := &searchRequest{
		Q: q.Text, Filter: Filter(q), Facets: []string{"categories", "district"},
		Page: q.Page, HitsPerPage: q.PerPage, AttributesToRetrieve: retrieved,
	}
	switch {
	case q.Origin != nil:
		req.Sort = []string{"_geoPoint(" + num(q.Origin.Lat) + "," + num(q.Origin.Lng) + "):asc"}
	case q.Text == "":
		req.Sort = []string{"name_sort:asc"} // a browse reads best in name order
	}
	var resp struct {
		Hits []struct {
			search.Hit           // the fields stored under the same names
			Geo         geo      `json:"_geo"`
			GeoDistance *float64 `json:"_geoDistance"`
			HoursKnown  bool     `json:"hours_known"`
			OpenSpans   []int64  `json:"open_spans"`
		} `json:"hits"`
		TotalHits         int                       `json:"totalHits"`
		FacetDistribution map[string]map[string]int `json:"facetDistribution"`
	}
	if err := ix.searcher.search(ctx, req, &resp); err != nil {
		if errors.Is(err, errSearchRefused) {
			return search.Result{}, err // a bug of ours: an internal error, logged
		}
		return search.Result{}, apperr.Unavailable(err,
			"err.meili.search_unavailable")
	}
	res := search.Result{
		Hits: make([]search.Hit, len(resp.Hits)), Total: resp.TotalHits, Page: q.Page, PerPage: q.PerPage,
		Facets: search.Facets{Category: nonNilCounts(resp.FacetDistribution["categories"]), District: nonNilCounts(resp.FacetDistribution["district"])},
	}
	for i, h := range resp.Hits {
		hit := h.Hit
		hit.Location = listing.Location{Lat: h.Geo.Lat, Lng: h.Geo.Lng}
		hit.HoursKnown, hit.OpenSpans = h.HoursKnown, h.OpenSpans
		if h.GeoDistance != nil {
			d := int(math.Round(*h.GeoDistance))
			hit.DistanceM = &d
		}
		res.Hits[i] = hit
	}
	return res, nil
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

func nonNilCounts(m map[string]int) map[string]int {
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
		minute := q.OpenAt.Unix() / 60
		parts = append(parts, "(open_slots = "+strconv.FormatInt(minute/slotMinutes, 10)+
			" OR open_minutes = "+strconv.FormatInt(minute, 10)+")")
	}
	return strings.Join(parts, " AND ")
}

func quoted(slugs []string) string {
	q := make([]string, len(slugs))
	for i, s := range slugs {
		q[i] = strconv.Quote(s) // slugs are [a-z0-9-]; quoting is belt and braces
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
