package view

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
)

// The export for a national repair platform: every published listing as
// an Open Referral HSDS 3.0 service (the "compiled" service object, with
// its organization, location, phones, schedules, languages and
// attributes nested). What HSDS has no field for travels as attributes of
// our own taxonomies (the categories, the repair conditions, the quality
// marks); docs/OPEN-DATA.md says which.

// HSDSVersion is the version of this export's shape (docs/API-CHANGELOG.md).
const HSDSVersion = "1.0.0"

// hsdsNamespace makes stable HSDS ids (UUIDs) from our listing ids.
var hsdsNamespace = uuid.MustParse("6f1c7d0e-2b1a-5c51-9c43-8a0d2f6b1e77")

func hsdsID(kind, id string) string { return uuid.NewSHA1(hsdsNamespace, []byte(kind+":"+id)).String() }

// HSDSService is one HSDS 3.0 service.
type HSDSService struct {
	ID                 string                  `json:"id"`
	Name               string                  `json:"name"`
	Description        string                  `json:"description,omitempty"`
	URL                string                  `json:"url,omitempty"`
	Email              string                  `json:"email,omitempty"`
	Status             string                  `json:"status"`
	FeesDescription    string                  `json:"fees_description,omitempty"`
	Accreditations     string                  `json:"accreditations,omitempty"`
	AssuredDate        string                  `json:"assured_date,omitempty"`
	Organization       hsdsOrganization        `json:"organization"`
	Phones             []hsdsPhone             `json:"phones"`
	Schedules          []hsdsSchedule          `json:"schedules"`
	ServiceAtLocations []hsdsServiceAtLocation `json:"service_at_locations"`
	Languages          []hsdsLanguage          `json:"languages"`
	CostOptions        []hsdsCostOption        `json:"cost_options"`
	Attributes         []hsdsAttribute         `json:"attributes"`
}

type hsdsOrganization struct {
	ID          string                   `json:"id"`
	Name        string                   `json:"name"`
	Website     string                   `json:"website,omitempty"`
	Identifiers []hsdsOrganizationNumber `json:"organization_identifiers"`
}

type hsdsOrganizationNumber struct {
	ID               string `json:"id"`
	IdentifierScheme string `json:"identifier_scheme"`
	IdentifierType   string `json:"identifier_type"`
	Identifier       string `json:"identifier"`
}

type hsdsPhone struct {
	ID     string `json:"id"`
	Number string `json:"number"`
}

// hsdsSchedule is one weekly opening interval as an RFC 5545 rule.
type hsdsSchedule struct {
	ID          string `json:"id"`
	Freq        string `json:"freq"`
	Byday       string `json:"byday"`
	OpensAt     string `json:"opens_at"`
	ClosesAt    string `json:"closes_at"`
	Timezone    string `json:"timezone"`
	Description string `json:"description,omitempty"`
}

type hsdsServiceAtLocation struct {
	ID       string       `json:"id"`
	Location hsdsLocation `json:"location"`
}

type hsdsLocation struct {
	ID            string              `json:"id"`
	LocationType  string              `json:"location_type"`
	Name          string              `json:"name"`
	Latitude      float64             `json:"latitude"`
	Longitude     float64             `json:"longitude"`
	Addresses     []hsdsAddress       `json:"addresses"`
	Accessibility []hsdsAccessibility `json:"accessibility"`
}

type hsdsAddress struct {
	ID            string `json:"id"`
	Address1      string `json:"address_1"`
	City          string `json:"city"`
	Region        string `json:"region"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

type hsdsAccessibility struct {
	ID          string `json:"id"`
	Description string `json:"description"`
}

type hsdsLanguage struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	Code string `json:"code"`
}

type hsdsCostOption struct {
	ID                string `json:"id"`
	Option            string `json:"option"`
	Currency          string `json:"currency"`
	Amount            int    `json:"amount"`
	AmountDescription string `json:"amount_description,omitempty"`
}

type hsdsAttribute struct {
	ID           string           `json:"id"`
	TaxonomyTerm hsdsTaxonomyTerm `json:"taxonomy_term"`
	Value        string           `json:"value,omitempty"`
}

type hsdsTaxonomyTerm struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Taxonomy string `json:"taxonomy"`
}

// Our taxonomies, for what HSDS has no field for.
const (
	taxonomyCategories = "bergen-reparerer-categories"
	taxonomyConditions = "bergen-reparerer-repair-conditions"
	taxonomyMarks      = "bergen-reparerer-quality-marks"
	taxonomyKinds      = "bergen-reparerer-kinds-of-place"
)

var hsdsDays = [7]string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// NewHSDSService is the listing as an HSDS service; baseURL makes its
// address absolute, now picks the marks that hold.
func NewHSDSService(l *listing.Listing, baseURL string, now time.Time) HSDSService {
	id := hsdsID("service", l.ID)
	s := HSDSService{ID: id, Name: l.Name, Description: l.DescriptionNB, URL: paths.Absolute(baseURL, paths.Listing(l.Slug)),
		Email: l.Email, Status: "active", FeesDescription: l.PriceInfo,
		Organization: hsdsOrganization{ID: hsdsID("organization", l.ID), Name: l.Name, Website: l.Website, Identifiers: []hsdsOrganizationNumber{}},
		Phones:       []hsdsPhone{}, Schedules: []hsdsSchedule{}, Languages: []hsdsLanguage{}, CostOptions: []hsdsCostOption{}, Attributes: []hsdsAttribute{}}
	if l.VerifiedAt != nil {
		s.AssuredDate = l.VerifiedAt.UTC().Format(time.DateOnly)
	}
	if l.OrgNumber != "" {
		s.Organization.Identifiers = append(s.Organization.Identifiers, hsdsOrganizationNumber{ID: hsdsID("orgnr", l.ID),
			IdentifierScheme: "NO-BRC", IdentifierType: "Organisasjonsnummer (Enhetsregisteret)", Identifier: l.OrgNumber})
	}
	if l.Phone != "" {
		s.Phones = append(s.Phones, hsdsPhone{ID: hsdsID("phone", l.ID), Number: l.Phone})
	}
	for day, ivs := range l.OpeningHours.Week {
		for i, iv := range ivs {
			s.Schedules = append(s.Schedules, hsdsSchedule{ID: hsdsID(fmt.Sprintf("schedule-%d-%d", day, i), l.ID), Freq: "WEEKLY",
				Byday: hsdsDays[day], OpensAt: SchemaClock(iv.Start), ClosesAt: SchemaClock(iv.End), Timezone: "Europe/Oslo"})
		}
	}
	if len(s.Schedules) > 0 && (l.OpeningHours.HolidayRule || len(l.OpeningHours.Exceptions) > 0) {
		s.Schedules[0].Description = "Other hours on public holidays and dated exceptions: " + l.OpeningHours.String()
	}
	loc := hsdsLocation{ID: hsdsID("location", l.ID), LocationType: "physical", Name: l.Name, Latitude: l.Location.Lat, Longitude: l.Location.Lng,
		Addresses: []hsdsAddress{{ID: hsdsID("address", l.ID), Address1: l.Address.Street, City: l.Address.City, Region: "Vestland",
			StateProvince: "Vestland", PostalCode: l.Address.Postcode, Country: "NO", AddressType: "physical"}},
		Accessibility: []hsdsAccessibility{}}
	if l.WheelchairAccessible != listing.WheelchairUnknown && l.WheelchairAccessible != "" {
		loc.Accessibility = append(loc.Accessibility, hsdsAccessibility{ID: hsdsID("accessibility", l.ID), Description: "wheelchair: " + l.WheelchairAccessible})
	}
	s.ServiceAtLocations = []hsdsServiceAtLocation{{ID: hsdsID("service_at_location", l.ID), Location: loc}}
	for _, code := range l.Conditions.Languages {
		s.Languages = append(s.Languages, hsdsLanguage{ID: hsdsID("language-"+code, l.ID), Code: code})
	}
	if l.PriceFromNOK != nil {
		s.CostOptions = append(s.CostOptions, hsdsCostOption{ID: hsdsID("cost-from", l.ID), Option: "Repair, from", Currency: "NOK", Amount: *l.PriceFromNOK})
	}
	if fee := l.Conditions.DiagnosisFeeNOK; fee != nil {
		description := ""
		if l.Conditions.DiagnosisDeducted != "" {
			description = "deducted when the repair goes ahead: " + l.Conditions.DiagnosisDeducted
		}
		s.CostOptions = append(s.CostOptions, hsdsCostOption{ID: hsdsID("cost-diagnosis", l.ID), Option: "Diagnosis or estimate", Currency: "NOK",
			Amount: *fee, AmountDescription: description})
	}
	s.Attributes, s.Accreditations = hsdsAttributes(l, now)
	return s
}

// kindNamesEN name the kinds of place in the export's taxonomy.
var kindNamesEN = map[string]string{listing.KindRepair: "Repair business", listing.KindRepairCafe: "Repair café",
	listing.KindSecondHand: "Second-hand shop", listing.KindRental: "Rental and lending", listing.KindRefurbished: "Seller of refurbished goods"}

// hsdsAttributes are what HSDS has no field for — the categories, the
// repair conditions and the quality marks — as attributes of our
// taxonomies, and the labels held as an accreditations text.
func hsdsAttributes(l *listing.Listing, now time.Time) ([]hsdsAttribute, string) {
	out := []hsdsAttribute{}
	attr := func(taxonomy, code, name, value string) {
		out = append(out, hsdsAttribute{ID: hsdsID("attribute-"+taxonomy+"-"+code, l.ID), Value: value,
			TaxonomyTerm: hsdsTaxonomyTerm{ID: hsdsID("term-"+taxonomy, code), Code: code, Name: name, Taxonomy: taxonomy}})
	}
	for _, slug := range l.Categories {
		if c, ok := category.Lookup(slug); ok {
			attr(taxonomyCategories, slug, c.NameEN, "")
		}
	}
	kind := listing.KindOf(l.Kind)
	attr(taxonomyKinds, kind, kindNamesEN[kind], "")
	c := l.Conditions
	if days, ok := c.MaxDays(); ok {
		attr(taxonomyConditions, "turnaround_max_days", "Typical turnaround, working days at most", strconv.Itoa(days))
	}
	if c.Loaner != "" {
		attr(taxonomyConditions, "loaner", "Temporary replacement good", c.Loaner)
	}
	for _, w := range c.Where {
		attr(taxonomyConditions, "where_"+w, "Where the repair happens", w)
	}
	for _, k := range listing.AncillaryKinds {
		if cost, ok := c.Ancillary[k]; ok {
			attr(taxonomyConditions, "ancillary_"+k, "Ancillary service", cost)
		}
	}
	if c.WarrantyMonths != nil {
		attr(taxonomyConditions, "warranty_months", "Warranty on the repair, months", strconv.Itoa(*c.WarrantyMonths))
	}
	if len(c.Brands) > 0 {
		attr(taxonomyConditions, "brands", "Brands repaired", strings.Join(c.Brands, "|"))
	}
	if c.OwnBrandOnly != "" {
		attr(taxonomyConditions, "own_brand_only", "Repairs only its own brand", c.OwnBrandOnly)
	}
	if c.QuoteRequests != "" {
		attr(taxonomyConditions, "quote_requests", "Takes requests for the European Repair Information Form", c.QuoteRequests)
	}
	var marks []string
	if l.AcceptsRepairVoucher {
		attr(taxonomyMarks, "repair_voucher", "Bergen repair voucher", "yes")
	}
	if l.AcceptsGiftCard {
		attr(taxonomyMarks, "gift_card", "Repair gift card", "yes")
	}
	for _, m := range l.ValidMarks(now) {
		attr(taxonomyMarks, m.Label, "Quality label", m.Until)
		marks = append(marks, m.Label)
	}
	return out, strings.Join(marks, ", ")
}
