package web

import (
	"encoding/xml"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

func (p *public) apiDistricts(c *fiber.Ctx) error {
	counts, err := p.listings.CountPublished(c.UserContext())
	if err != nil {
		return err
	}
	type row struct {
		Slug  string `json:"slug"`
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	out := []row{}
	for _, d := range p.districts.All() {
		out = append(out, row{Slug: d.Slug, Name: d.Name, Count: counts.ByDistrict[d.Slug]})
	}
	return c.JSON(fiber.Map{"districts": out, "attribution": district.Attribution})
}

func (p *public) apiDistrictsGeoJSON(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "application/geo+json")
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.Send(p.districts.GeoJSON())
}

func (p *public) apiCategories(c *fiber.Ctx) error {
	counts, err := p.listings.CountPublished(c.UserContext())
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

// openData are the published listings an open-data export holds: every
// kind of place, or those of ?kind= (repeatable).
func (p *public) openData(c *fiber.Ctx) ([]*listing.Listing, error) {
	kinds := queryValues(c)["kind"]
	for _, k := range kinds {
		if !slices.Contains(listing.Kinds, k) {
			return nil, apperr.Invalid("kind", "err.search.value_unknown", "value", k)
		}
	}
	ls, err := p.listings.Published(c.UserContext())
	if err != nil || len(kinds) == 0 {
		return ls, err
	}
	out := ls[:0:0]
	for _, l := range ls {
		if slices.Contains(kinds, listing.KindOf(l.Kind)) {
			out = append(out, l)
		}
	}
	return out, nil
}

func (p *public) openDataGeoJSON(c *fiber.Ctx) error {
	ls, err := p.openData(c)
	if err != nil {
		return err
	}
	body, err := view.OpenDataGeoJSON(ls, p.now())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/geo+json")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="repairers.geojson"`)
	return c.Send(body)
}

// openDataHSDS is the export for a national repair platform: every
// published listing as an Open Referral HSDS 3.0 service, in a page of the
// HSDS API's list shape (one page: the directory is small).
func (p *public) openDataHSDS(c *fiber.Ctx) error {
	ls, err := p.openData(c)
	if err != nil {
		return err
	}
	services := make([]view.HSDSService, 0, len(ls))
	for _, l := range ls {
		services = append(services, view.NewHSDSService(l, p.baseURL, p.now()))
	}
	c.Set("X-License", view.OpenDataLicense)
	return c.JSON(fiber.Map{"total_items": len(services), "total_pages": 1, "page_number": 1, "size": len(services),
		"first_page": true, "last_page": true, "empty": len(services) == 0, "contents": services,
		"export_version": view.HSDSVersion, "hsds_version": "3.0", "license": "NLOD 2.0 (OpenStreetMap places: ODbL 1.0)"})
}

func (p *public) openDataCSV(c *fiber.Ctx) error {
	ls, err := p.openData(c)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(ls))
	for _, l := range ls {
		rows = append(rows, view.OpenDataRow(l, p.baseURL))
	}
	c.Set("X-License", view.OpenDataLicense)
	return sendCSV(c, "repairers.csv", view.OpenDataHeader, rows)
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap lists the pages crawlers should know: the start page, the
// about pages and every published listing.
func (p *public) sitemap(c *fiber.Ctx) error {
	published, err := p.listings.Published(c.UserContext())
	if err != nil {
		return err
	}
	urls := []sitemapURL{{Loc: paths.Absolute(p.baseURL, paths.Home)}, {Loc: paths.Absolute(p.baseURL, paths.About)},
		{Loc: paths.Absolute(p.baseURL, paths.Accessibility)}}
	for _, l := range published {
		urls = append(urls, sitemapURL{Loc: paths.Absolute(p.baseURL, paths.Listing(l.Slug)), LastMod: l.UpdatedAt.UTC().Format(time.DateOnly)})
	}
	out, err := xml.MarshalIndent(struct {
		XMLName xml.Name     `xml:"urlset"`
		NS      string       `xml:"xmlns,attr"`
		URLs    []sitemapURL `xml:"url"`
	}{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", URLs: urls}, "", " ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/xml; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(append([]byte(xml.Header), out...))
}

func (p *public) robots(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	return c.SendString("User-agent: *\nAllow: /\nDisallow: /_/\nDisallow: /api/\nDisallow: /min-side/\nDisallow: /admin/\n\nSitemap: " +
		paths.Absolute(p.baseURL, paths.Sitemap) + "\n")
}

// prosePage is an about-style page: sections of catalogue text.
type prosePage struct {
	Heading  string
	Sections []proseSection
}

type proseSection struct {
	Heading    string
	Paragraphs []string
	Items      []proseItem
}

type proseItem struct{ Text, Href, Note string }

// prose reads the sections "<prefix>.<n>.heading" and "<prefix>.<n>.p<m>"
// from the catalogue, in order, for as long as they exist.
func prose(l *i18n.Localizer, prefix string) []proseSection {
	var out []proseSection
	for n := 1; l.Has(prefix + "." + strconv.Itoa(n) + ".heading"); n++ {
		key := prefix + "." + strconv.Itoa(n)
		sec := proseSection{Heading: l.T(key + ".heading")}
		for m := 1; l.Has(key + ".p" + strconv.Itoa(m)); m++ {
			sec.Paragraphs = append(sec.Paragraphs, l.T(key+".p"+strconv.Itoa(m)))
		}
		out = append(out, sec)
	}
	return out
}

func (p *public) about(c *fiber.Ctx) error {
	l := p.lang(c)
	sections := prose(l, "about")
	sections = append(sections, proseSection{
		Heading:    l.T("about.sources.heading"),
		Paragraphs: []string{l.T("about.sources.p1")},
		Items: []proseItem{
			{Text: l.T("about.sources.osm"), Href: "https://www.openstreetmap.org/copyright", Note: l.T("about.sources.osm_note")},
			{Text: l.T("about.sources.kartverket"), Href: "https://www.kartverket.no/", Note: l.T("about.sources.kartverket_note")},
			{Text: l.T("about.sources.bolstad"), Href: "https://www.erikbolstad.no/postnummer/", Note: l.T("about.sources.bolstad_note")},
			{Text: l.T("about.sources.id"), Href: "https://github.com/openstreetmap/id-tagging-schema", Note: l.T("about.sources.id_note")},
			{Text: l.T("about.sources.opendata"), Href: paths.OpenDataCSV, Note: l.T("about.sources.opendata_note")},
			{Text: l.T("about.sources.leaflet"), Href: "https://leafletjs.com/", Note: l.T("about.sources.leaflet_note")},
		},
	})
	v := p.newPage(c, l, l.T("about.heading"), nil, true)
	v.Nav = "about"
	v.Description = l.T("about.description")
	v.Body = prosePage{Heading: l.T("about.heading"), Sections: sections}
	return p.render(c, fiber.StatusOK, "page", v)
}

// forRepairers is "For reparatører": what a listing gives a repairer, how to
// claim one or register, and the way in.
func (p *public) forRepairers(c *fiber.Ctx) error {
	l := p.lang(c)
	sections := prose(l, "repairers")
	sections = append(sections, proseSection{
		Heading: l.T("repairers.start.heading"),
		Items: []proseItem{
			{Text: l.T("repairers.start.signin"), Href: paths.SignIn, Note: l.T("repairers.start.signin_note")},
			{Text: l.T("repairers.start.find"), Href: paths.Home, Note: l.T("repairers.start.find_note")},
		},
	})
	v := p.newPage(c, l, l.T("repairers.heading"), nil, true)
	v.Nav = "account"
	v.Description = l.T("repairers.description")
	v.Body = prosePage{Heading: l.T("repairers.heading"), Sections: sections}
	return p.render(c, fiber.StatusOK, "page", v)
}

func (p *public) accessibility(c *fiber.Ctx) error {
	l := p.lang(c)
	v := p.newPage(c, l, l.T("a11y.heading"), nil, true)
	v.Description = l.T("a11y.description")
	v.Body = prosePage{Heading: l.T("a11y.heading"), Sections: prose(l, "a11y")}
	return p.render(c, fiber.StatusOK, "page", v)
}
