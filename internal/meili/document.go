package meili

import (
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

// Slot window: the open-time slots of a document cover this span around the
// moment it was indexed. The periodic refresh re-indexes every listing well
// before the window runs out (search.OpenAtAhead is one day shorter).
const (
	SlotWindowBefore = 2 * time.Hour
	SlotWindowAfter  = 8 * 24 * time.Hour
	slotMinutes      = 15
	// spanWindowAfter is shorter: the spans returned with each hit only
	// answer "open now" and "opens next", and every hit costs bytes.
	spanWindowAfter = 3 * 24 * time.Hour
)

// anchor is the word of Document.Anchor: no resident types it.
const anchor = "qqalleoppforinger"

// geo is Meilisearch's coordinate object. It is written only here, from
// listing.Location, so latitude and longitude cannot be swapped elsewhere.
type geo struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// document is what the index stores for one published listing.
type document struct {
	ID                   string          `json:"id"`
	Slug                 string          `json:"slug"`
	Name                 string          `json:"name"`
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
	VerifiedAt           *time.Time      `json:"verified_at"`
	// ChangedSinceVerification: an identifying fact changed after the
	// municipality's last check, so the check no longer covers it.
	ChangedSinceVerification bool   `json:"changed_since_verification"`
	Phone                    string `json:"phone"`
	// ApproximatePosition: _geo is the postcode's centre, not the door.
	ApproximatePosition bool `json:"approximate_position"`
	// Anchor is the same word in every document: a search for it and
	// more words finds every listing (of the categories filtered to),
	// those with more of the words first. See searchImplied.
	Anchor string `json:"anchor"`
	// HoursKnown is false when the opening hours are unknown; OpenSpans
	// are then empty and "open now" is null rather than false.
	HoursKnown bool `json:"hours_known"`
	// OpenSpans are the opening spans in the slot window as flat pairs of
	// unix minutes [start, end), small enough to return with every hit.
	OpenSpans []int64 `json:"open_spans"`
	// OpenSlots are the 15-minute slots (unix time / 900) in which the
	// listing is open the whole slot; OpenMinutes (unix time / 60) are the
	// open minutes of slots it is open only part of. Together they make
	// "open at T" an exact filter inside Meilisearch, so totals and pages
	// stay right.
	OpenSlots   []int64 `json:"open_slots"`
	OpenMinutes []int64 `json:"open_minutes"`
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
		ID: l.ID, Slug: l.Slug, Name: l.Name, NameSort: strings.ToLower(l.Name),
		Categories: l.Categories, CategoryNames: names, Services: l.Services,
		DescriptionNB: l.DescriptionNB, DescriptionEN: l.DescriptionEN,
		Address: l.Address, District: l.District,
		Geo:                  geo{Lat: l.Location.Lat, Lng: l.Location.Lng},
		AcceptsRepairVoucher: l.AcceptsRepairVoucher, VerifiedAt: l.VerifiedAt, HoursKnown: l.OpeningHours.Known(),
		Phone: l.Phone, Anchor: anchor, ApproximatePosition: l.ApproximatePosition,
	}
	if _, _, changed := l.ChangedSinceVerification(); changed {
		d.ChangedSinceVerification = true
	}
	if dist, ok := ix.districts.Lookup(l.District); ok {
		d.DistrictName = dist.Name
	}
	d.OpenSlots, d.OpenMinutes, d.OpenSpans = openSlots(&l.OpeningHours, now)
	return d
}

// openSlots lists the whole open slots, the open minutes of partly open
// slots, and the open spans, in the window around now.
func openSlots(h *openinghours.Schedule, now time.Time) (slots, minutes, spans []int64) {
	slots, minutes, spans = []int64{}, []int64{}, []int64{}
	from := now.Add(-SlotWindowBefore).Truncate(time.Minute)
	for _, sp := range h.Spans(from, now.Add(SlotWindowAfter)) {
		a, b := sp.Start.Unix()/60, sp.End.Unix()/60 // [a, b) in minutes
		if sp.Start.Before(now.Add(spanWindowAfter)) {
			spans = append(spans, a, b)
		}
		firstFull := (a + slotMinutes - 1) / slotMinutes
		endFull := b / slotMinutes
		if firstFull >= endFull {
			for m := a; m < b; m++ {
				minutes = append(minutes, m)
			}
			continue
		}
		for m := a; m < firstFull*slotMinutes; m++ {
			minutes = append(minutes, m)
		}
		for s := firstFull; s < endFull; s++ {
			slots = append(slots, s)
		}
		for m := endFull * slotMinutes; m < b; m++ {
			minutes = append(minutes, m)
		}
	}
	return slots, minutes, spans
}
