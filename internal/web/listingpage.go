package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

// deviationDays is how far ahead the page lists changed hours (holidays,
// a summer closure).
const deviationDays = 90

type listingBody struct {
	Name, CategoryText, Description string
	Services                        []string
	StatusText, StatusClass         string
	AddressText, DirectionsURL      string
	DistrictName, DistrictURL       string
	Phone, Website                  *link
	Email                           string

	HoursKnown bool
	HoursText  string // the original text when it could not be understood
	Week       []dayRow
	Holidays   string
	Exceptions []exceptionRow

	Price, Wheelchair                       string
	Voucher                                 bool
	VerifiedText, ConfirmedText, SourceText string
	// UnconfirmedText says the business did not answer "still correct?".
	UnconfirmedText     string
	ReportURL, ClaimURL string
	ReportSent          bool // back from "Meld fra om feil"
	Lat, Lng            string
	JSONLD              map[string]any

	// deviations are the changed hours of the coming weeks, for the page
	// and for the JSON-LD.
	deviations []openinghours.Deviation
}

type link struct{ Href, Text string }

type dayRow struct {
	Day, Hours string
	Today      bool
}

type exceptionRow struct{ Date, Hours string }

func (s *Server) listingPage(c *fiber.Ctx) error {
	l := s.lang(c)
	lst, err := s.publishedListing(c)
	if err != nil {
		return err
	}
	if c.Query("kilde") == qrSource {
		return s.countScan(c, lst)
	}
	now := s.Now()
	body := s.listingBody(l, lst, now)
	if body.UnconfirmedText, err = s.unconfirmedText(c, l, lst); err != nil {
		return err
	}
	body.ReportSent = c.Query("meldt") == "1"
	v := s.newView(c, l, lst.Name, nil, true)
	v.OGTitle = lst.Name
	v.OGType = "business.business"
	v.Description = l.T("listing.meta_description", "name", lst.Name, "categories", body.CategoryText,
		"district", body.DistrictName, "address", body.AddressText)
	body.JSONLD = s.jsonLD(lst, v.Canonical, body.Description, body.deviations)
	v.Body = body
	return s.render(c, fiber.StatusOK, "listing", "layout", v)
}

func (s *Server) listingBody(l *i18n.Localizer, lst *listing.Listing, now time.Time) listingBody {
	b := listingBody{
		Name: lst.Name, CategoryText: categoryNames(lst.Categories, l), Services: lst.Services,
		AddressText: s.addressText(lst.Address.Street, lst.Address.Postcode, lst.Address.City, lst.District),
		DistrictURL: "/?district=" + url.QueryEscape(lst.District), Email: lst.Email,
		Voucher: lst.AcceptsRepairVoucher, ReportURL: "/reparator/" + lst.Slug + "/meld-feil", ClaimURL: "/reparator/" + lst.Slug + "/eier",
		Lat: strconv.FormatFloat(lst.Location.Lat, 'f', -1, 64), Lng: strconv.FormatFloat(lst.Location.Lng, 'f', -1, 64),
		Wheelchair: l.T("wheelchair." + lst.WheelchairAccessible),
	}
	b.DirectionsURL = "https://www.openstreetmap.org/directions?route=%3B" + b.Lat + "%2C" + b.Lng
	if d, ok := s.Districts.Lookup(lst.District); ok {
		b.DistrictName = d.Name
	}
	b.Description = lst.DescriptionNB
	if l.Lang == i18n.EN && lst.DescriptionEN != "" || b.Description == "" {
		b.Description = lst.DescriptionEN
	}
	if lst.Phone != "" {
		b.Phone = &link{Href: lst.Phone, Text: listing.DisplayPhone(lst.Phone)}
	}
	if lst.Website != "" {
		b.Website = &link{Href: lst.Website, Text: websiteText(lst.Website)}
	}
	b.StatusText, b.StatusClass = statusLine(l, &lst.OpeningHours, now)
	b.deviations = lst.OpeningHours.Deviations(now, deviationDays)
	b.hours(l, &lst.OpeningHours, now)

	var price []string
	if lst.PriceFromNOK != nil {
		price = append(price, l.T("listing.price_from", "amount", l.Int(*lst.PriceFromNOK)))
	}
	if lst.PriceInfo != "" {
		price = append(price, lst.PriceInfo)
	}
	b.Price = strings.Join(price, ". ")

	b.VerifiedText = l.T("listing.not_verified")
	if lst.VerifiedAt != nil {
		b.VerifiedText = l.T("listing.verified", "date", l.Date(lst.VerifiedAt.In(openinghours.Oslo)))
	}
	if lst.ConfirmedAt != nil {
		b.ConfirmedText = l.T("listing.confirmed", "date", l.Date(lst.ConfirmedAt.In(openinghours.Oslo)))
	}
	if lst.Source.Kind == listing.SourceOSM {
		b.SourceText = l.T("listing.source_osm")
	}
	return b
}

// hours fills the week table, the public-holiday row and the changed
// hours of the coming weeks.
func (b *listingBody) hours(l *i18n.Localizer, h *openinghours.Schedule, now time.Time) {
	if !h.Known() {
		if h.Unparsed {
			b.HoursText = h.Text
		}
		return
	}
	b.HoursKnown = true
	today := (int(now.In(openinghours.Oslo).Weekday()) + 6) % 7
	for i, ivs := range h.Week {
		b.Week = append(b.Week, dayRow{Day: capitalize(l.Weekday(i)), Hours: intervalsText(l, ivs), Today: i == today})
	}
	if h.HolidayRule {
		b.Holidays = intervalsText(l, h.Holidays)
	}
	// Consecutive dates with the same hours (a summer closure) make one row.
	devs := b.deviations
	for i := 0; i < len(devs); {
		j := i
		for j+1 < len(devs) && devs[j+1].Date.Equal(devs[j].Date.AddDate(0, 0, 1)) &&
			intervalsText(l, devs[j+1].Intervals) == intervalsText(l, devs[i].Intervals) {
			j++
		}
		date := l.DayMonth(int(devs[i].Date.Month()), devs[i].Date.Day())
		if j > i {
			date = l.T("format.date_range", "from", date, "to", l.DayMonth(int(devs[j].Date.Month()), devs[j].Date.Day()))
		}
		b.Exceptions = append(b.Exceptions, exceptionRow{Date: date, Hours: intervalsText(l, devs[i].Intervals)})
		i = j + 1
	}
}

func intervalsText(l *i18n.Localizer, ivs []openinghours.Interval) string {
	if len(ivs) == 0 {
		return l.T("hours.closed")
	}
	parts := make([]string, len(ivs))
	for i, iv := range ivs {
		parts[i] = l.T("hours.interval", "from", l.Clock(iv.Start), "to", l.Clock(iv.End))
	}
	return strings.Join(parts, ", ")
}

// statusLine says whether the place is open now and when that changes:
// "Åpent nå – stenger 17:00", "Stengt – åpner mandag 10:00".
func statusLine(l *i18n.Localizer, h *openinghours.Schedule, now time.Time) (text, class string) {
	if !h.Known() {
		return l.T("status.unknown"), "unknown"
	}
	open := h.OpenAt(now)
	next, changes := h.NextChange(now)
	switch {
	case open && changes:
		return l.T("status.open_closes", "when", when(l, now, next)), "open"
	case open:
		return l.T("status.open"), "open"
	case changes:
		return l.T("status.closed_opens", "when", when(l, now, next)), "closed"
	default:
		return l.T("status.closed"), "closed"
	}
}

// when names a coming moment relative to now: "17:00", "i morgen 10:00",
// "mandag 10:00", "24. desember 10:00".
func when(l *i18n.Localizer, now, t time.Time) string {
	n, t := now.In(openinghours.Oslo), t.In(openinghours.Oslo)
	days := int(time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC).Sub(
		time.Date(n.Year(), n.Month(), n.Day(), 12, 0, 0, 0, time.UTC)).Hours() / 24)
	clock := l.TimeOf(t)
	switch {
	case days == 0:
		return clock
	case days == 1:
		return l.T("status.tomorrow", "time", clock)
	case days < 7:
		return l.T("status.day_time", "day", l.WeekdayOf(t), "time", clock)
	default:
		return l.T("status.day_time", "day", l.DayMonth(int(t.Month()), t.Day()), "time", clock)
	}
}

func websiteText(raw string) string {
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

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

var schemaDays = [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// jsonLD describes the listing as a schema.org LocalBusiness.
func (s *Server) jsonLD(lst *listing.Listing, canonical, description string, deviations []openinghours.Deviation) map[string]any {
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
	h := &lst.OpeningHours
	if !h.Known() {
		return ld
	}
	var specs []map[string]any
	for day, ivs := range h.Week {
		for _, iv := range ivs {
			specs = append(specs, map[string]any{
				"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/" + schemaDays[day],
				"opens": schemaClock(iv.Start), "closes": schemaClock(iv.End),
			})
		}
	}
	ld["openingHoursSpecification"] = specs
	var special []map[string]any
	for _, d := range deviations {
		date := d.Date.Format(time.DateOnly)
		spec := map[string]any{"@type": "OpeningHoursSpecification", "validFrom": date, "validThrough": date}
		if len(d.Intervals) == 0 {
			spec["opens"], spec["closes"] = "00:00", "00:00" // schema.org's way to say closed
			special = append(special, spec)
		}
		for _, iv := range d.Intervals {
			withHours := map[string]any{}
			for k, v := range spec {
				withHours[k] = v
			}
			withHours["opens"], withHours["closes"] = schemaClock(iv.Start), schemaClock(iv.End)
			special = append(special, withHours)
		}
	}
	if len(special) > 0 {
		ld["specialOpeningHoursSpecification"] = special
	}
	return ld
}

// schemaClock writes minutes after midnight as schema.org wants them:
// an interval past midnight closes at the next day's time, and a whole
// day ends at 23:59.
func schemaClock(m int) string {
	switch {
	case m == 24*60:
		m = 23*60 + 59
	case m > 24*60:
		m -= 24 * 60
	}
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}
