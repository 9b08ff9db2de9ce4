package meili

import (
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/search"
)

// anchor is the word of Document.Anchor: no resident types it.
const anchor = "qqalleoppforinger"

// geo is Meilisearch's coordinate object. It is written only here, from
// listing.Location, so latitude and longitude cannot be swapped elsewhere.
type geo struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// document is what the index stores for one published listing: the
// fields searched, filtered and sorted on, and the card a hit shows.
type document struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	Kind                 string          `json:"kind"`
	NameSort             string          `json:"name_sort"`
	Categories           []string        `json:"categories"`
	CategoryNames        []string        `json:"category_names"`
	Services             []string        `json:"services"`
	DescriptionNB        string          `json:"description_nb"`
	DescriptionEN        string          `json:"description_en"`
	Address              listing.Address `json:"address"`
	District             string          `json:"district"`
	DistrictName         string          `json:"district_name"`
	Geo                  geo             `json:"_geo"`
	AcceptsRepairVoucher bool            `json:"accepts_repair_voucher"`
	// Card is what a hit shows, stored as the answer sends it: a search
	// passes it on without decoding it (search.Hit.Stored).
	Card search.Card `json:"card"`
	// Anchor is the same word in every document: a search for it and
	// more words finds every listing (of the categories filtered to),
	// those with more of the words first. See searchImplied.
	Anchor string `json:"anchor"`
	// HoursKnown is false when the opening hours are unknown: "open now"
	// is then null rather than false.
	HoursKnown bool `json:"hours_known"`
	// Hours is the schedule itself, returned with each hit: "open now" and
	// "opens next" are computed from it for each answer, so they never go
	// stale between indexings.
	Hours []int `json:"hours"`
	// The open times that make "open at T" an exact filter inside
	// Meilisearch, so totals and pages stay right (see opentimes.go).
	WeekSlots     []int   `json:"week_slots"`
	WeekMinutes   []int   `json:"week_minutes"`
	IrregularDays []int   `json:"irregular_days"`
	OpenSlots     []int64 `json:"open_slots"`
	OpenMinutes   []int64 `json:"open_minutes"`
	// Sessions are the coming sessions (a repair café's), as pairs of
	// unix minutes [start, end, start, end, …]; their times are in the
	// open slots and minutes too, so "open at" counts them.
	Sessions []int64 `json:"sessions"`
	// The repair conditions filters ask about (search.ConditionFilter):
	// null or false when unknown, so that unknown never passes a filter.
	// WarrantyCovers are the month counts the warranty reaches (1 to
	// WarrantyMonths), DoneWithin the day counts the turnaround meets
	// (MaxDays to 90): "at least N" and "within N" become equality
	// filters, which Meilisearch answers far faster than ranges.
	WarrantyCovers []int    `json:"warranty_covers"`
	DoneWithin     []int    `json:"done_within"`
	Loaner         bool     `json:"loaner"`
	RepairWhere    []string `json:"repair_where"`
	Brands         []string `json:"brands"`
	OwnBrandOnly   bool     `json:"own_brand_only"`
	// Labels are the quality labels valid when indexed (a label that
	// lapses is re-indexed the day after: app.RefreshOpenTimes).
	Labels          []string `json:"labels"`
	AcceptsGiftCard bool     `json:"accepts_gift_card"`
	// FacetKeys are the categories and the district in one attribute
	// ("category:sko", "district:bergenhus"), which every search counts:
	// Meilisearch counts the facets of an answer under 3,000 hits
	// document by document, one lookup per document and attribute, so one
	// attribute instead of two makes a filtered search's counts cost half
	// (see docs/BENCHMARKS.md). Every document has one district key
	// (districtKeyNone when it has none), which is how a search tells an
	// answer counted whole from one that met older documents.
	FacetKeys []string `json:"facet_keys"`
}

// Facet keys: a category's and a district's prefix in facet_keys.
const (
	categoryKey     = "category:"
	districtKey     = "district:"
	districtKeyNone = districtKey + "-"
)

func facetKeys(categories []string, district string) []string {
	keys := make([]string, 0, len(categories)+1)
	for _, c := range categories {
		keys = append(keys, categoryKey+c)
	}
	if district == "" {
		return append(keys, districtKeyNone)
	}
	return append(keys, districtKey+district)
}

func (ix *Index) documents(ls []*listing.Listing) []document {
	now := ix.Now()
	docs := make([]document, 0, len(ls))
	for _, l := range ls {
		docs = append(docs, ix.document(l, now))
	}
	return docs
}

func (ix *Index) document(l *listing.Listing, now time.Time) document {
	var names []string
	for _, slug := range l.Categories {
		if c, ok := category.Lookup(slug); ok {
			names = append(names, c.NameNB, c.NameEN)
			names = append(names, c.Terms...)
		}
	}
	d := document{
		ID: l.ID, Name: l.Name, Kind: l.Kind, NameSort: strings.ToLower(l.Name),
		Categories: l.Categories, CategoryNames: names, Services: l.Services,
		DescriptionNB: l.DescriptionNB, DescriptionEN: l.DescriptionEN,
		Address: l.Address, District: l.District,
		Geo:                  geo{Lat: l.Location.Lat, Lng: l.Location.Lng},
		AcceptsRepairVoucher: l.AcceptsRepairVoucher, HoursKnown: l.OpeningHours.Known(),
		Anchor: anchor, Card: search.NewCard(l), FacetKeys: facetKeys(l.Categories, l.District),
	}
	if dist, ok := ix.districts.Lookup(l.District); ok {
		d.DistrictName = dist.Name
	}
	ot := openTimesOf(&l.OpeningHours, now)
	d.Sessions = []int64{}
	for _, sn := range l.Sessions {
		a, b := sn.Start.Unix()/60, sn.End.Unix()/60
		d.Sessions = append(d.Sessions, a, b)
		ot.Slots, ot.Minutes = appendSlots(ot.Slots, ot.Minutes, a, b)
	}
	d.WeekSlots, d.WeekMinutes, d.IrregularDays, d.OpenSlots, d.OpenMinutes = ot.WeekSlots, ot.WeekMinutes, ot.IrregularDays, ot.Slots, ot.Minutes
	d.Hours = encodeHours(&l.OpeningHours)
	c := l.Conditions
	d.Loaner, d.RepairWhere, d.OwnBrandOnly = c.Loaner == "yes", nonNilStrings(c.Where), c.OwnBrandOnly == "yes"
	d.WarrantyCovers, d.DoneWithin = []int{}, []int{}
	if c.WarrantyMonths != nil {
		for m := 1; m <= *c.WarrantyMonths; m++ {
			d.WarrantyCovers = append(d.WarrantyCovers, m)
		}
	}
	if days, ok := c.MaxDays(); ok {
		for n := days; n <= search.MaxTurnaroundDays; n++ {
			d.DoneWithin = append(d.DoneWithin, n)
		}
	}
	d.Labels, d.AcceptsGiftCard = []string{}, l.AcceptsGiftCard
	for _, m := range l.ValidMarks(now) {
		d.Labels = append(d.Labels, m.Label)
	}
	d.Brands = []string{}
	for _, b := range c.Brands {
		d.Brands = append(d.Brands, listing.BrandKey(b))
	}
	return d
}

func nonNilStrings(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}
