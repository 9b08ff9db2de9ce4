package web

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/printout"
)

// qrSource marks visits that came from a sticker; the listing page counts
// them and redirects to the clean address.
const qrSource = "qr"

func (s *Server) sticker(c *fiber.Ctx) (printout.Sticker, error) {
	lst, err := s.Listings.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return printout.Sticker{}, err
	}
	if !lst.Published() {
		return printout.Sticker{}, apperr.Conflict("Bare synlige oppføringer får klistremerke. / Only published listings get a sticker.")
	}
	l := s.lang(c)
	return printout.Sticker{Mark: l.T("site.name"), Name: lst.Name, Headline: l.T("print.sticker.headline"),
		Scan: l.T("print.sticker.scan"), URL: s.BaseURL + "/reparator/" + lst.Slug + "?kilde=" + qrSource,
		ShortURL: shortURL(s.BaseURL)}, nil
}

func shortURL(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return base
	}
	return strings.TrimPrefix(u.Host, "www.")
}

// stickerFile answers the sticker as SVG or PDF, by the route's ending.
func (s *Server) stickerFile(c *fiber.Ctx) error {
	st, err := s.sticker(c)
	if err != nil {
		return err
	}
	render, contentType, ext := st.PDF, "application/pdf", ".pdf"
	if strings.HasSuffix(c.Path(), ".svg") {
		render, contentType, ext = st.SVG, "image/svg+xml", ".svg"
	}
	body, err := render()
	if err != nil {
		return err
	}
	return sendFile(c, contentType, "klistremerke-"+c.Params("id")+ext, body)
}

func sendFile(c *fiber.Ctx, contentType, filename string, body []byte) error {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store") // made from live data
	return c.Send(body)
}

// poster is a district's A4 or A3 poster of its verified repairers by
// category, made from the live listings.
func (s *Server) poster(c *fiber.Ctx) error {
	l := s.lang(c)
	d, ok := s.Districts.Lookup(c.Params("district"))
	if !ok {
		return apperr.NotFound("Ukjent bydel. / Unknown district.")
	}
	size := strings.ToUpper(c.Query("size", "A4"))
	if !slices.Contains(printout.Sizes, size) {
		return apperr.Invalid("size", "Velg A4 eller A3. / Choose A4 or A3.")
	}
	published, err := s.Listings.Published(c.UserContext())
	if err != nil {
		return err
	}
	p := printout.Poster{Title: l.T("print.poster.title", "district", d.Name), Subtitle: l.T("print.poster.subtitle"),
		Empty: l.T("print.poster.empty"), Scan: l.T("print.poster.scan"),
		URL:      s.BaseURL + "/?district=" + url.QueryEscape(d.Slug) + "&kilde=plakat",
		ShortURL: shortURL(s.BaseURL), Size: size,
		Footer: l.T("print.poster.footer", "date", l.Date(s.Now().In(openinghours.Oslo)))}
	for _, cat := range category.All() {
		g := printout.Group{Heading: categoryName(cat, l)}
		for _, lst := range published {
			if lst.District == d.Slug && lst.VerifiedAt != nil && len(lst.Categories) > 0 && lst.Categories[0] == cat.Slug {
				g.Entries = append(g.Entries, posterEntry(lst))
			}
		}
		if len(g.Entries) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	pdf, err := p.PDF()
	if err != nil {
		return err
	}
	return sendFile(c, "application/pdf", "plakat-"+d.Slug+"-"+strings.ToLower(size)+".pdf", pdf)
}

// posterEntry is one line of a poster; each listing is listed once, under
// its first (main) category.
func posterEntry(lst *listing.Listing) printout.Entry {
	addr := lst.Address.Street
	if lst.Address.Postcode != "" {
		addr = strings.TrimPrefix(addr+", "+lst.Address.Postcode+" "+lst.Address.City, ", ")
	}
	return printout.Entry{Name: lst.Name, Address: addr, Phone: listing.DisplayPhone(lst.Phone)}
}

// countScan counts a visit from a sticker and sends the visitor on to the
// clean address, so reloads and shared links are not counted again.
func (s *Server) countScan(c *fiber.Ctx, lst *listing.Listing) error {
	day := s.Now().In(openinghours.Oslo).Format(time.DateOnly)
	if err := s.Scans.CountScan(c.UserContext(), lst.ID, day); err != nil {
		s.Log.Warn("qr: visit not counted", "listing_id", lst.ID, "error", err)
	}
	return c.Redirect("/reparator/"+lst.Slug, fiber.StatusFound)
}
