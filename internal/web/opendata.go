package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Open data is published under NLOD 2.0; listings that came from
// OpenStreetMap stay under ODbL and carry that attribution row by row.
const (
	openDataLicense     = "Norsk lisens for offentlige data (NLOD) 2.0 — https://data.norge.no/nlod/no/2.0"
	openDataAttribution = "Bergen Reparerer / Bergen kommune. Oppføringer med kilde osm: © OpenStreetMap contributors, ODbL 1.0. Bydeler: © Kartverket / SSB, CC BY 4.0."
)

func (s *Server) openDataGeoJSON(c *fiber.Ctx) error {
	ls, err := s.Listings.Published(c.UserContext())
	if err != nil {
		return err
	}
	type feature struct {
		Type       string        `json:"type"`
		ID         string        `json:"id"`
		Geometry   any           `json:"geometry"`
		Properties publicListing `json:"properties"`
	}
	features := make([]feature, 0, len(ls))
	now := s.Now()
	for _, l := range ls {
		features = append(features, feature{
			Type: "Feature", ID: l.ID,
			Geometry:   map[string]any{"type": "Point", "coordinates": [2]float64{l.Location.Lng, l.Location.Lat}},
			Properties: toPublic(l, now),
		})
	}
	body, err := json.Marshal(map[string]any{
		"type": "FeatureCollection", "license": openDataLicense, "attribution": openDataAttribution,
		"generated_at": now.UTC().Format(time.RFC3339), "features": features,
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/geo+json")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="repairers.geojson"`)
	return c.Send(body)
}

var csvHeader = []string{"id", "slug", "url", "name", "org_number", "categories", "services", "street", "postcode", "city",
	"district", "lat", "lng", "phone", "email", "website", "opening_hours", "price_info", "price_from_nok",
	"accepts_repair_voucher", "wheelchair_accessible", "verified_at", "confirmed_at", "source", "attribution"}

func (s *Server) openDataCSV(c *fiber.Ctx) error {
	ls, err := s.Listings.Published(c.UserContext())
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(ls))
	for _, l := range ls {
		rows = append(rows, csvRow(l, s.BaseURL))
	}
	c.Set("X-License", openDataLicense)
	return sendCSV(c, "repairers.csv", csvHeader, rows)
}

// sendCSV answers with a CSV download; every cell is defused so that a
// spreadsheet never runs it as a formula.
func sendCSV(c *fiber.Ctx, filename string, header []string, rows [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(header) // writes to memory; errors surface in w.Error
	for _, r := range rows {
		for i, v := range r {
			r[i] = defuseFormula(v)
		}
		_ = w.Write(r)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	return c.Send(buf.Bytes())
}

func csvRow(l *listing.Listing, baseURL string) []string {
	price := ""
	if l.PriceFromNOK != nil {
		price = strconv.Itoa(*l.PriceFromNOK)
	}
	hours := ""
	if l.OpeningHours.Known() || l.OpeningHours.Unparsed {
		hours = l.OpeningHours.String()
	}
	attribution := l.Source.Attribution
	if attribution == "" {
		attribution = "Bergen Reparerer, NLOD 2.0"
	}
	row := []string{l.ID, l.Slug, strings.TrimSuffix(baseURL, "/") + "/reparator/" + l.Slug, l.Name, l.OrgNumber,
		strings.Join(l.Categories, ";"), strings.Join(l.Services, ";"), l.Address.Street, l.Address.Postcode, l.Address.City,
		l.District, strconv.FormatFloat(l.Location.Lat, 'f', -1, 64), strconv.FormatFloat(l.Location.Lng, 'f', -1, 64),
		l.Phone, l.Email, l.Website, hours, l.PriceInfo, price,
		strconv.FormatBool(l.AcceptsRepairVoucher), l.WheelchairAccessible, formatOptional(l.VerifiedAt), formatOptional(l.ConfirmedAt),
		l.Source.Kind, attribution}
	return row
}

func formatOptional(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// defuseFormula keeps spreadsheet programs from running a cell as a
// formula. "+" is left alone: E.164 phone numbers start with it.
func defuseFormula(v string) string {
	if v != "" && strings.ContainsRune("=@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
