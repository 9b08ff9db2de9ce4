package web

import (
	"encoding/xml"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/i18n"
)

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

func (s *Server) about(c *fiber.Ctx) error {
	l := s.lang(c)
	sections := prose(l, "about")
	sections = append(sections, proseSection{
		Heading:    l.T("about.sources.heading"),
		Paragraphs: []string{l.T("about.sources.p1")},
		Items: []proseItem{
			{Text: l.T("about.sources.osm"), Href: "https://www.openstreetmap.org/copyright", Note: l.T("about.sources.osm_note")},
			{Text: l.T("about.sources.kartverket"), Href: "https://www.kartverket.no/", Note: l.T("about.sources.kartverket_note")},
			{Text: l.T("about.sources.bolstad"), Href: "https://www.erikbolstad.no/postnummer/", Note: l.T("about.sources.bolstad_note")},
			{Text: l.T("about.sources.id"), Href: "https://github.com/openstreetmap/id-tagging-schema", Note: l.T("about.sources.id_note")},
			{Text: l.T("about.sources.opendata"), Href: "/data/repairers.csv", Note: l.T("about.sources.opendata_note")},
			{Text: l.T("about.sources.leaflet"), Href: "https://leafletjs.com/", Note: l.T("about.sources.leaflet_note")},
		},
	})
	v := s.newView(c, l, l.T("about.heading"), nil, true)
	v.Nav = "about"
	v.Description = l.T("about.description")
	v.Body = prosePage{Heading: l.T("about.heading"), Sections: sections}
	return s.render(c, fiber.StatusOK, "page", "layout", v)
}

func (s *Server) accessibility(c *fiber.Ctx) error {
	l := s.lang(c)
	v := s.newView(c, l, l.T("a11y.heading"), nil, true)
	v.Description = l.T("a11y.description")
	v.Body = prosePage{Heading: l.T("a11y.heading"), Sections: prose(l, "a11y")}
	return s.render(c, fiber.StatusOK, "page", "layout", v)
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap lists the pages crawlers should know: the start page, the
// about pages and every published listing.
func (s *Server) sitemap(c *fiber.Ctx) error {
	published, err := s.Listings.Published(c.UserContext())
	if err != nil {
		return err
	}
	urls := []sitemapURL{{Loc: s.BaseURL + "/"}, {Loc: s.BaseURL + "/om"}, {Loc: s.BaseURL + "/tilgjengelighet"}}
	for _, l := range published {
		urls = append(urls, sitemapURL{Loc: s.BaseURL + "/reparator/" + l.Slug, LastMod: l.UpdatedAt.UTC().Format(time.DateOnly)})
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

func (s *Server) robots(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	return c.SendString("User-agent: *\nAllow: /\nDisallow: /_/\nDisallow: /api/\nDisallow: /min-side/\nDisallow: /admin/\n\nSitemap: " +
		s.BaseURL + "/sitemap.xml\n")
}
