package view

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/quote"
)

// KindAndCategories names a kind of place other than a repairer before
// its categories ("Bruktbutikk · Klær og tekstil").
func KindAndCategories(kind string, categories []string, l *i18n.Localizer) string {
	if listing.KindOf(kind) == listing.KindRepair {
		return CategoryNames(categories, l)
	}
	return l.T("kind."+kind) + " · " + CategoryNames(categories, l)
}

// DeviationDays is how far ahead a listing page lists changed hours
// (holidays, a summer closure).
const DeviationDays = 90

// Session is one dated session of an event (a repair café's, the bus's),
// as a page lists it.
type Session struct {
	When, Title, URL, Host, Place, Categories, Booking, BookingURL string
	// Start and End are RFC 3339, for the page's structured data.
	Start, End     string
	Cancelled, Bus bool
}

// Listing is the body of a listing's public page.
type Listing struct {
	// Sessions are the coming sessions (a repair café's), those called off
	// marked; FeedURL is their iCal feed.
	Sessions []Session
	FeedURL  string
	// FollowURL asks to be told of new sessions by e-mail.
	FollowURL string

	// Approximate: the map shows the postcode's centre, not the door.
	Approximate                     bool
	Name, CategoryText, Description string
	Services                        []string
	StatusText, StatusClass         string
	AddressText, DirectionsURL      string
	DistrictName, DistrictURL       string
	Phone, Website                  *Link
	Email                           string

	HoursKnown bool
	HoursText  string // the original text when it could not be understood
	Week       []DayRow
	Holidays   string
	Exceptions []ExceptionRow

	Price, Wheelchair string
	// Conditions are the repair conditions that are known, as terms and
	// their values; unknown ones are left out, never shown as "no".
	Conditions []Fact
	// Marks are the quality marks that hold now, each linking to what it
	// means.
	Marks                                   []Link
	Voucher                                 bool
	VerifiedText, ConfirmedText, SourceText string
	// UnconfirmedText says the business did not answer "still correct?".
	UnconfirmedText     string
	ReportURL, ClaimURL string
	// QuoteURL is "Be om pristilbud" when the listing takes requests.
	QuoteURL   string
	ReportSent bool // back from "Meld fra om feil"
	Lat, Lng   string
	JSONLD     map[string]any

	// Deviations are the changed hours of the coming weeks, for the page
	// and for the JSON-LD.
	Deviations []openinghours.Deviation
}

// DayRow is one weekday of the hours table.
type DayRow struct {
	Day, Hours string
	Today      bool
}

// ExceptionRow is a date (or a range of dates) with other hours.
type ExceptionRow struct{ Date, Hours string }

// NewListing shapes a listing for its page at now; districtName names its
// district.
func NewListing(l *i18n.Localizer, lst *listing.Listing, districtName string, now time.Time) Listing {
	b := Listing{
		Approximate: lst.ApproximatePosition,
		Name:        lst.Name, CategoryText: KindAndCategories(lst.Kind, lst.Categories, l), Services: lst.Services,
		AddressText:  AddressText(lst.Address.Street, lst.Address.Postcode, lst.Address.City, districtName),
		DistrictName: districtName, DistrictURL: paths.District(lst.District), Email: lst.Email,
		Voucher: lst.AcceptsRepairVoucher, ReportURL: paths.Report(lst.Slug), ClaimURL: paths.Claim(lst.Slug),
		Lat: strconv.FormatFloat(lst.Location.Lat, 'f', -1, 64), Lng: strconv.FormatFloat(lst.Location.Lng, 'f', -1, 64),
		Wheelchair: l.T("wheelchair." + lst.WheelchairAccessible),
	}
	if quote.Accepts(lst) {
		b.QuoteURL = paths.QuoteRequest(lst.Slug)
	}
	b.DirectionsURL = "https://www.openstreetmap.org/directions?route=%3B" + b.Lat + "%2C" + b.Lng
	b.Description = lst.DescriptionNB
	if l.Lang == i18n.EN && lst.DescriptionEN != "" || b.Description == "" {
		b.Description = lst.DescriptionEN
	}
	if lst.Phone != "" {
		b.Phone = &Link{Href: lst.Phone, Text: listing.DisplayPhone(lst.Phone)}
	}
	if lst.Website != "" {
		b.Website = &Link{Href: lst.Website, Text: WebsiteText(lst.Website)}
	}
	b.StatusText, b.StatusClass = StatusLine(l, &lst.OpeningHours, now)
	b.Deviations = lst.OpeningHours.Deviations(now, DeviationDays)
	b.hours(l, &lst.OpeningHours, now)

	var price []string
	if lst.PriceFromNOK != nil {
		price = append(price, l.T("listing.price_from", "amount", l.Int(*lst.PriceFromNOK)))
	}
	if lst.PriceInfo != "" {
		price = append(price, lst.PriceInfo)
	}
	b.Price = strings.Join(price, ". ")
	b.Conditions = ConditionFacts(l, lst.Conditions)

	b.VerifiedText = VerifiedText(l, lst)
	b.ConfirmedText = ConfirmedText(l, lst)
	if lst.Source.Kind == listing.SourceOSM {
		b.SourceText = l.T("listing.source_osm")
	}
	return b
}

// VerifiedText says when the municipality last verified the listing, or
// that a fact it checked has changed since.
func VerifiedText(l *i18n.Localizer, lst *listing.Listing) string {
	if lst.VerifiedAt == nil {
		return l.T("listing.not_verified")
	}
	if at, source, changed := lst.ChangedSinceVerification(); changed {
		if source == listing.SourceOwner {
			return l.T("listing.changed_by_owner", "date", Date(l, at))
		}
		return l.T("listing.changed_since_check", "date", Date(l, at))
	}
	return l.T("listing.verified", "date", Date(l, *lst.VerifiedAt))
}

// ConfirmedText says when the business last confirmed the listing, or "".
func ConfirmedText(l *i18n.Localizer, lst *listing.Listing) string {
	if lst.ConfirmedAt == nil {
		return ""
	}
	return l.T("listing.confirmed", "date", Date(l, *lst.ConfirmedAt))
}

// UnconfirmedText says the business has not answered the "still
// correct?" e-mail sent at sentAt; "" when sentAt is nil.
func UnconfirmedText(l *i18n.Localizer, sentAt *time.Time) string {
	if sentAt == nil {
		return ""
	}
	return l.T("listing.unconfirmed", "date", Date(l, *sentAt))
}

// hours fills the week table, the public-holiday row and the changed
// hours of the coming weeks.
func (b *Listing) hours(l *i18n.Localizer, h *openinghours.Schedule, now time.Time) {
	if !h.Known() {
		if h.Unparsed {
			b.HoursText = h.Text
		}
		return
	}
	b.HoursKnown = true
	today := (int(now.In(openinghours.Oslo).Weekday()) + 6) % 7
	for i, ivs := range h.Week {
		b.Week = append(b.Week, DayRow{Day: capitalize(l.Weekday(i)), Hours: IntervalsText(l, ivs), Today: i == today})
	}
	if h.HolidayRule {
		b.Holidays = IntervalsText(l, h.Holidays)
	}
	// Consecutive dates with the same hours (a summer closure) make one row.
	devs := b.Deviations
	for i := 0; i < len(devs); {
		j := i
		for j+1 < len(devs) && devs[j+1].Date.Equal(devs[j].Date.AddDate(0, 0, 1)) &&
			IntervalsText(l, devs[j+1].Intervals) == IntervalsText(l, devs[i].Intervals) {
			j++
		}
		date := l.DayMonth(int(devs[i].Date.Month()), devs[i].Date.Day())
		if j > i {
			date = l.T("format.date_range", "from", date, "to", l.DayMonth(int(devs[j].Date.Month()), devs[j].Date.Day()))
		}
		b.Exceptions = append(b.Exceptions, ExceptionRow{Date: date, Hours: IntervalsText(l, devs[i].Intervals)})
		i = j + 1
	}
}

// WebsiteText is a website address as people read it: no scheme, no www.
func WebsiteText(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	text := strings.TrimPrefix(u.Host, "www.")
	if p := strings.TrimSuffix(u.EscapedPath(), "/"); p != "" {
		text += p
	}
	return text
}

var schemaDays = [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// Fact is a term and its value.
type Fact struct{ Term, Value string }

// ConditionFacts are the known repair conditions in words.
func ConditionFacts(l *i18n.Localizer, c listing.Conditions) []Fact {
	var out []Fact
	add := func(field, value string) {
		if value != "" {
			out = append(out, Fact{l.T("conditions.field." + field), value})
		}
	}
	if c.TurnaroundDays != nil {
		add("turnaround", l.T("listing.conditions.turnaround_days", "n", *c.TurnaroundDays))
	} else if c.Turnaround != "" {
		add("turnaround", l.T("conditions.turnaround."+c.Turnaround))
	}
	switch {
	case c.Loaner == "yes" && c.LoanerCostNOK != nil && *c.LoanerCostNOK == 0:
		add("loaner", l.T("listing.conditions.loaner_free"))
	case c.Loaner == "yes" && c.LoanerCostNOK != nil:
		add("loaner", l.T("listing.conditions.loaner_cost", "price", l.Int(*c.LoanerCostNOK)+" kr"))
	case c.Loaner != "":
		add("loaner", l.T("conditions.answer."+c.Loaner))
	}
	var where []string
	for _, w := range listing.RepairPlaces { // in the form's order
		if slices.Contains(c.Where, w) {
			where = append(where, l.T("conditions.where."+w))
		}
	}
	add("where", strings.Join(where, ", "))
	var ancillary []string
	for _, k := range listing.AncillaryKinds {
		if cost, ok := c.Ancillary[k]; ok {
			ancillary = append(ancillary, l.T("conditions.ancillary."+k)+" ("+strings.ToLower(l.T("conditions.ancillary_cost."+cost))+")")
		}
	}
	add("ancillary", strings.Join(ancillary, ", "))
	if c.WarrantyMonths != nil {
		if *c.WarrantyMonths == 0 {
			add("warranty_months", l.T("listing.conditions.warranty_none"))
		} else {
			add("warranty_months", l.T("listing.conditions.warranty", "n", *c.WarrantyMonths))
		}
	}
	if c.DiagnosisFeeNOK != nil {
		fee := l.T("listing.conditions.fee_free")
		if *c.DiagnosisFeeNOK > 0 {
			fee = l.Int(*c.DiagnosisFeeNOK) + " kr"
		}
		add("diagnosis_fee_nok", fee)
	}
	if c.DiagnosisDeducted != "" {
		add("diagnosis_deducted", l.T("conditions.answer."+c.DiagnosisDeducted))
	}
	brands := strings.Join(c.Brands, ", ")
	if c.OwnBrandOnly == "yes" {
		brands = l.T("listing.conditions.only_own", "brands", brands)
	}
	add("brands", brands)
	var languages []string
	for _, code := range c.Languages {
		languages = append(languages, l.T("language."+code))
	}
	add("languages", strings.Join(languages, ", "))
	return out
}

// JSONLD describes the listing as a schema.org LocalBusiness.
func JSONLD(lst *listing.Listing, canonical, description string, deviations []openinghours.Deviation) map[string]any {
	ld := map[string]any{
		"@context": "https://schema.org",
		"@type":    "LocalBusiness",
		"@id":      canonical,
		"name":     lst.Name,
		"url":      canonical,
		"address": map[string]any{
			"@type": "PostalAddress", "streetAddress": lst.Address.Street, "postalCode": lst.Address.Postcode,
			"addressLocality": lst.Address.City, "addressCountry": "NO",
		},
		"geo": map[string]any{"@type": "GeoCoordinates", "latitude": lst.Location.Lat, "longitude": lst.Location.Lng},
	}
	if lst.Website != "" {
		ld["sameAs"] = []string{lst.Website}
	}
	if description != "" {
		ld["description"] = description
	}
	if lst.Phone != "" {
		ld["telephone"] = lst.Phone
	}
	if lst.Email != "" {
		ld["email"] = lst.Email
	}
	if lst.PriceInfo != "" {
		ld["priceRange"] = lst.PriceInfo
	} else if lst.PriceFromNOK != nil {
		ld["priceRange"] = "NOK " + strconv.Itoa(*lst.PriceFromNOK) + "+"
	}
	conditionsLD(ld, lst.Conditions)
	h := &lst.OpeningHours
	if !h.Known() {
		return ld
	}
	var specs []map[string]any
	for day, ivs := range h.Week {
		for _, iv := range ivs {
			specs = append(specs, map[string]any{
				"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/" + schemaDays[day],
				"opens": SchemaClock(iv.Start), "closes": SchemaClock(iv.End),
			})
		}
	}
	ld["openingHoursSpecification"] = specs
	var special []map[string]any
	for _, d := range deviations {
		date := d.Date.Format(time.DateOnly)
		spec := func(opens, closes string) map[string]any {
			return map[string]any{"@type": "OpeningHoursSpecification", "validFrom": date, "validThrough": date,
				"opens": opens, "closes": closes}
		}
		if len(d.Intervals) == 0 {
			special = append(special, spec("00:00", "00:00")) // schema.org's way to say closed
		}
		for _, iv := range d.Intervals {
			special = append(special, spec(SchemaClock(iv.Start), SchemaClock(iv.End)))
		}
	}
	if len(special) > 0 {
		ld["specialOpeningHoursSpecification"] = special
	}
	return ld
}

// conditionsLD says what schema.org has properties for: the languages
// (knowsLanguage, as BCP 47 tags), the brands repaired (brand), and the
// warranty on a repair (an Offer of the repair service with a
// WarrantyPromise). Turnaround, loaners and fees have no schema.org
// property; they are in the API and the open data.
func conditionsLD(ld map[string]any, c listing.Conditions) {
	if len(c.Languages) > 0 {
		ld["knowsLanguage"] = c.Languages
	}
	if len(c.Brands) > 0 {
		var brands []map[string]any
		for _, b := range c.Brands {
			brands = append(brands, map[string]any{"@type": "Brand", "name": b})
		}
		ld["brand"] = brands
	}
	if c.WarrantyMonths != nil && *c.WarrantyMonths > 0 {
		ld["makesOffer"] = map[string]any{"@type": "Offer", "itemOffered": map[string]any{"@type": "Service", "name": "Repair"},
			"warranty": map[string]any{"@type": "WarrantyPromise",
				"durationOfWarranty": map[string]any{"@type": "QuantitativeValue", "value": *c.WarrantyMonths, "unitCode": "MON"}}}
	}
}

// SchemaClock writes minutes after midnight as schema.org wants them:
// an interval past midnight closes at the next day's time, and a whole
// day ends at 23:59.
func SchemaClock(m int) string {
	switch {
	case m == 24*60:
		m = 23*60 + 59
	case m > 24*60:
		m -= 24 * 60
	}
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// EventsLD are the sessions as schema.org Events held at the listing.
func EventsLD(sessions []Session, lst *listing.Listing) []map[string]any {
	out := make([]map[string]any, 0, len(sessions))
	for _, s := range sessions {
		status := "https://schema.org/EventScheduled"
		if s.Cancelled {
			status = "https://schema.org/EventCancelled"
		}
		out = append(out, map[string]any{"@type": "Event", "name": s.Title, "startDate": s.Start, "endDate": s.End,
			"eventStatus": status, "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
			"location": map[string]any{"@type": "Place", "name": s.Place, "address": s.Place}, "organizer": map[string]any{"@type": "Organization", "name": lst.Name}})
	}
	return out
}
