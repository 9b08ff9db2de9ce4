package web

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/search"
)

func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

func (s *Server) readyz(c *fiber.Ctx) error {
	r := s.Readiness(c.UserContext())
	if !r.Ready() {
		c.Status(fiber.StatusServiceUnavailable)
	}
	return c.JSON(r)
}

func (s *Server) search(c *fiber.Ctx) error {
	q, err := search.ParseQuery(queryValues(c), s.Now())
	if err != nil {
		return err
	}
	body, err := s.Search.SearchJSON(c.UserContext(), q)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(body)
}

// queryValues copies the query string: fiber reuses its buffers.
func queryValues(c *fiber.Ctx) url.Values {
	v := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, val []byte) {
		key := string(k)
		v[key] = append(v[key], string(val))
	})
	return v
}

// publicListing is what the public may see of a listing: no moderation
// state, no internal version, no verifier's identity.
type publicListing struct {
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
	OpeningHours         publicHours      `json:"opening_hours"`
	PriceInfo            string           `json:"price_info,omitempty"`
	PriceFromNOK         *int             `json:"price_from_nok,omitempty"`
	AcceptsRepairVoucher bool             `json:"accepts_repair_voucher"`
	WheelchairAccessible string           `json:"wheelchair_accessible"`
	VerifiedAt           *time.Time       `json:"verified_at"`
	ConfirmedAt          *time.Time       `json:"confirmed_at"`
	Source               listing.Source   `json:"source"`
	UpdatedAt            time.Time        `json:"updated_at"`
}

type publicHours struct {
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

func toPublic(l *listing.Listing, now time.Time) publicListing {
	h := &l.OpeningHours
	hours := publicHours{Known: h.Known(), Week: h.Week, Exceptions: h.Exceptions}
	if h.Text != "" || h.Known() {
		hours.OSM = h.String()
	}
	if h.HolidayRule {
		hours.Holidays = &h.Holidays
	}
	if hours.Known {
		open := h.OpenAt(now)
		hours.OpenNow = &open
		if t, ok := h.NextChange(now); ok {
			t = t.UTC()
			hours.NextChange = &t
		}
	}
	return publicListing{
		ID: l.ID, Slug: l.Slug, URL: "/reparator/" + l.Slug, Name: l.Name, OrgNumber: l.OrgNumber,
		Categories: l.Categories, Services: l.Services, DescriptionNB: l.DescriptionNB, DescriptionEN: l.DescriptionEN,
		Address: l.Address, Location: l.Location, District: l.District, Phone: l.Phone, Email: l.Email, Website: l.Website,
		OpeningHours: hours, PriceInfo: l.PriceInfo, PriceFromNOK: l.PriceFromNOK,
		AcceptsRepairVoucher: l.AcceptsRepairVoucher, WheelchairAccessible: l.WheelchairAccessible,
		VerifiedAt: l.VerifiedAt, ConfirmedAt: l.ConfirmedAt, Source: l.Source, UpdatedAt: l.UpdatedAt,
	}
}

// errNotPublished answers for a listing the public may not see exactly as
// for one that does not exist.
var errNotPublished = apperr.NotFound("Fant ikke oppføringen. / Listing not found.")

func (s *Server) repairer(c *fiber.Ctx) error {
	l, err := s.publishedListing(c)
	if err != nil {
		return err
	}
	return c.JSON(toPublic(l, s.Now()))
}

func (s *Server) districts(c *fiber.Ctx) error {
	counts, err := s.Listings.CountPublished(c.UserContext())
	if err != nil {
		return err
	}
	type row struct {
		Slug  string `json:"slug"`
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	out := []row{}
	for _, d := range s.Districts.All() {
		out = append(out, row{Slug: d.Slug, Name: d.Name, Count: counts.ByDistrict[d.Slug]})
	}
	return c.JSON(fiber.Map{"districts": out, "attribution": district.Attribution})
}

func (s *Server) districtsGeoJSON(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "application/geo+json")
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.Send(s.Districts.GeoJSON())
}

func (s *Server) categories(c *fiber.Ctx) error {
	counts, err := s.Listings.CountPublished(c.UserContext())
	if err != nil {
		return err
	}
	type row struct {
		Slug   string `json:"slug"`
		NameNB string `json:"name_nb"`
		NameEN string `json:"name_en"`
		Count  int    `json:"count"`
	}
	out := []row{}
	for _, cat := range category.All() {
		out = append(out, row{Slug: cat.Slug, NameNB: cat.NameNB, NameEN: cat.NameEN, Count: counts.ByCategory[cat.Slug]})
	}
	return c.JSON(fiber.Map{"categories": out})
}

// suggest completes the search field: categories (named in the language
// asked for) and service words of published listings.
func (s *Server) suggest(c *fiber.Ctx) error {
	v := queryValues(c)
	for name, vals := range v {
		if name != "q" && name != "lang" {
			return &apperr.Error{Code: apperr.CodeUnknownParameter, Field: name, Message: "Ukjent parameter. / Unknown parameter."}
		}
		if len(vals) > 1 {
			return apperr.Invalid(name, "Parameteren kan bare gis én gang. / The parameter may be given only once.")
		}
	}
	lang := i18n.NB
	if raw, ok := v["lang"]; ok {
		l, valid := i18n.Parse(raw[0])
		if !valid {
			return apperr.Invalid("lang", "lang må være nb eller en. / lang must be nb or en.")
		}
		lang = l
	}
	text, err := search.ParseSuggestText(v.Get("q"))
	if err != nil {
		return err
	}
	sg, err := s.Search.Suggest(c.UserContext(), text)
	if err != nil {
		return err
	}
	type suggestion struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
		Label string `json:"label"`
	}
	out := []suggestion{}
	l := s.Messages.For(lang)
	for _, cat := range sg.Categories {
		out = append(out, suggestion{"category", cat.Slug, categoryName(cat, l)})
	}
	for _, w := range sg.Services {
		out = append(out, suggestion{"service", w, w})
	}
	return c.JSON(fiber.Map{"suggestions": out})
}
