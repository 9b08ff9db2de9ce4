package view

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/spreadsheet"
)

// Public is what the public may see of a listing: no moderation state, no
// internal version, no verifier's identity. The API and the open data
// publish it.
type Public struct {
	ID                   string           `json:"id"`
	Slug                 string           `json:"slug"`
	URL                  string           `json:"url"`
	Name                 string           `json:"name"`
	OrgNumber            string           `json:"org_number,omitempty"`
	Categories           []string         `json:"categories"`
	Services             []string         `json:"services"`
	DescriptionNB        string           `json:"description_nb,omitempty"`
	DescriptionEN        string           `json:"description_en,omitempty"`
	Address              listing.Address  `json:"address"`
	Location             listing.Location `json:"location"`
	District             string           `json:"district"`
	Phone                string           `json:"phone,omitempty"`
	Email                string           `json:"email,omitempty"`
	Website              string           `json:"website,omitempty"`
	OpeningHours         PublicHours      `json:"opening_hours"`
	PriceInfo            string           `json:"price_info,omitempty"`
	PriceFromNOK         *int             `json:"price_from_nok,omitempty"`
	AcceptsRepairVoucher bool             `json:"accepts_repair_voucher"`
	WheelchairAccessible string           `json:"wheelchair_accessible"`
	// Kind is the kind of place (repair, repair_cafe, second_hand, …).
	Kind string `json:"kind"`
	// Conditions are the repair conditions; a field left out is unknown.
	Conditions listing.Conditions `json:"conditions"`
	// AcceptsGiftCard and Marks are the quality marks the municipality
	// set; Marks holds the labels valid now (see /api/v1/labels).
	AcceptsGiftCard bool           `json:"accepts_gift_card"`
	Marks           []listing.Mark `json:"marks"`
	VerifiedAt      *time.Time     `json:"verified_at"`
	// VerifiedFields are the fields the last verification checked;
	// ChangedSinceVerification is true when an identifying fact (name,
	// address, contact, categories…) changed after it.
	VerifiedFields           []string       `json:"verified_fields"`
	ChangedSinceVerification bool           `json:"changed_since_verification"`
	ConfirmedAt              *time.Time     `json:"confirmed_at"`
	Source                   listing.Source `json:"source"`
	UpdatedAt                time.Time      `json:"updated_at"`
}

// PublicHours are a listing's opening hours as published.
type PublicHours struct {
	// OSM is the schedule in OpenStreetMap syntax (the original text when
	// it could not be understood).
	OSM        string                     `json:"osm,omitempty"`
	Known      bool                       `json:"known"`
	Week       [7][]openinghours.Interval `json:"week"`
	Holidays   *[]openinghours.Interval   `json:"public_holidays,omitempty"`
	Exceptions []openinghours.Exception   `json:"exceptions,omitempty"`
	OpenNow    *bool                      `json:"open_now"`
	NextChange *time.Time                 `json:"next_change,omitempty"`
}

// NewPublic is the published form of l at now.
func NewPublic(l *listing.Listing, now time.Time) Public {
	h := &l.OpeningHours
	hours := PublicHours{Known: h.Known(), Week: h.Week, Exceptions: h.Exceptions}
	if h.Text != "" || h.Known() {
		hours.OSM = h.String()
	}
	if h.HolidayRule {
		holidays := h.Holidays
		if holidays == nil {
			holidays = []openinghours.Interval{} // closed on holidays: [], not null
		}
		hours.Holidays = &holidays
	}
	if hours.Known {
		open := h.OpenAt(now)
		hours.OpenNow = &open
		if t, ok := h.NextChange(now); ok {
			t = t.UTC()
			hours.NextChange = &t
		}
	}
	return Public{
		ID: l.ID, Slug: l.Slug, URL: paths.Listing(l.Slug), Name: l.Name, OrgNumber: l.OrgNumber,
		Categories: l.Categories, Services: l.Services, DescriptionNB: l.DescriptionNB, DescriptionEN: l.DescriptionEN,
		Address: l.Address, Location: l.Location, District: l.District, Phone: l.Phone, Email: l.Email, Website: l.Website,
		OpeningHours: hours, PriceInfo: l.PriceInfo, PriceFromNOK: l.PriceFromNOK,
		AcceptsRepairVoucher: l.AcceptsRepairVoucher, WheelchairAccessible: l.WheelchairAccessible, Kind: l.Kind, Conditions: l.Conditions,
		AcceptsGiftCard: l.AcceptsGiftCard, Marks: nonNilMarks(l.ValidMarks(now)),
		VerifiedAt: l.VerifiedAt, VerifiedFields: l.VerifiedFieldNames(), ChangedSinceVerification: changedSinceVerification(l),
		ConfirmedAt: l.ConfirmedAt, Source: l.Source, UpdatedAt: l.UpdatedAt,
	}
}

func changedSinceVerification(l *listing.Listing) bool {
	_, _, changed := l.ChangedSinceVerification()
	return changed
}

// OpenDataGeoJSON is the published listings as a GeoJSON feature
// collection with the licence, the attribution and when it was made.
func OpenDataGeoJSON(ls []*listing.Listing, now time.Time) ([]byte, error) {
	type feature struct {
		Type       string `json:"type"`
		ID         string `json:"id"`
		Geometry   any    `json:"geometry"`
		Properties Public `json:"properties"`
	}
	features := make([]feature, 0, len(ls))
	for _, l := range ls {
		features = append(features, feature{
			Type: "Feature", ID: l.ID,
			Geometry:   map[string]any{"type": "Point", "coordinates": [2]float64{l.Location.Lng, l.Location.Lat}},
			Properties: NewPublic(l, now),
		})
	}
	return json.Marshal(map[string]any{
		"type": "FeatureCollection", "license": OpenDataLicense, "attribution": OpenDataAttribution,
		"generated_at": now.UTC().Format(time.RFC3339), "features": features,
	})
}

// Open data is published under NLOD 2.0; listings that came from
// OpenStreetMap stay under ODbL and carry that attribution row by row.
const (
	OpenDataLicense     = "Norsk lisens for offentlige data (NLOD) 2.0 — https://data.norge.no/nlod/no/2.0"
	OpenDataAttribution = "Bergen Reparerer / Bergen kommune. Oppføringer med kilde osm: © OpenStreetMap contributors, ODbL 1.0. Bydeler: © Kartverket / SSB, CC BY 4.0."
)

// OpenDataHeader is the header row of the open-data CSV.
var OpenDataHeader = []string{"id", "slug", "url", "name", "org_number", "categories", "services", "street", "postcode", "city",
	"district", "lat", "lng", "phone", "email", "website", "opening_hours", "price_info", "price_from_nok",
	"accepts_repair_voucher", "wheelchair_accessible", "verified_at", "verified_fields", "changed_since_verification",
	"confirmed_at", "source", "attribution",
	"turnaround", "turnaround_days", "loaner", "loaner_cost_nok", "repair_where", "ancillary", "warranty_months",
	"diagnosis_fee_nok", "diagnosis_deducted", "brands", "own_brand_only", "languages", "quote_requests", "kind"}

// OpenDataRow is one listing as a row of the open-data CSV.
func OpenDataRow(l *listing.Listing, baseURL string) []string {
	hours := ""
	if l.OpeningHours.Known() || l.OpeningHours.Unparsed {
		hours = l.OpeningHours.String()
	}
	attribution := l.Source.Attribution
	if attribution == "" {
		attribution = "Bergen Reparerer, NLOD 2.0"
	}
	return append([]string{l.ID, l.Slug, paths.Absolute(baseURL, paths.Listing(l.Slug)), l.Name, l.OrgNumber,
		spreadsheet.List(l.Categories), spreadsheet.List(l.Services), l.Address.Street, l.Address.Postcode, l.Address.City,
		l.District, strconv.FormatFloat(l.Location.Lat, 'f', -1, 64), strconv.FormatFloat(l.Location.Lng, 'f', -1, 64),
		l.Phone, l.Email, l.Website, hours, l.PriceInfo, number(l.PriceFromNOK),
		strconv.FormatBool(l.AcceptsRepairVoucher), l.WheelchairAccessible, TimeText(l.VerifiedAt),
		spreadsheet.List(l.VerifiedFieldNames()), strconv.FormatBool(changedSinceVerification(l)), TimeText(l.ConfirmedAt),
		l.Source.Kind, attribution}, append(conditionColumns(l.Conditions), l.Kind)...)
}

// number is an optional number as a CSV cell ("" when unknown).
func number(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// conditionColumns are the repair conditions as CSV cells: "" is unknown.
func conditionColumns(c listing.Conditions) []string {
	var ancillary []string
	for _, k := range listing.AncillaryKinds {
		if cost, ok := c.Ancillary[k]; ok {
			ancillary = append(ancillary, k+":"+cost)
		}
	}
	return []string{c.Turnaround, number(c.TurnaroundDays), c.Loaner, number(c.LoanerCostNOK), spreadsheet.List(c.Where),
		spreadsheet.List(ancillary), number(c.WarrantyMonths), number(c.DiagnosisFeeNOK), c.DiagnosisDeducted,
		spreadsheet.List(c.Brands), c.OwnBrandOnly, spreadsheet.List(c.Languages), c.QuoteRequests}
}

// TimeText is an optional time in RFC 3339 (UTC), or "".
func TimeText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func nonNilMarks(m []listing.Mark) []listing.Mark {
	if m == nil {
		return []listing.Mark{}
	}
	return m
}
