package web

import (
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/printout"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

// sticker answers a listing's sticker as SVG or PDF, by the route's ending.
func (a *admin) sticker(c *fiber.Ctx) error {
	lst, err := a.listings.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	if !lst.Published() {
		return apperr.Conflict("err.sticker_unpublished")
	}
	l := a.lang(c)
	st := printout.Sticker{Mark: l.T("site.name"), Name: lst.Name, Headline: l.T("print.sticker.headline"),
		Scan: l.T("print.sticker.scan"), URL: paths.Absolute(a.baseURL, paths.ListingQR(lst.Slug)),
		ShortURL: shortURL(a.baseURL)}
	render, contentType, ext := st.PDF, "application/pdf", ".pdf"
	if strings.HasSuffix(c.Path(), ".svg") {
		render, contentType, ext = st.SVG, "image/svg+xml", ".svg"
	}
	body, err := render()
	if err != nil {
		return err
	}
	return sendFile(c, contentType, "klistremerke-"+lst.ID+ext, body)
}

func shortURL(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return base
	}
	return strings.TrimPrefix(u.Host, "www.")
}

// poster is a district's A4 or A3 poster of its verified repairers by
// category, made from the live listings.
// posterSessions are the district's repair cafés' next sessions and the
// repair bus's stops there, for its poster (unless ?arrangementer=nei).
func (a *admin) posterSessions(c *fiber.Ctx, l *i18n.Localizer, district string) ([]printout.Group, error) {
	es, err := a.events.Events(c.UserContext())
	if err != nil {
		return nil, err
	}
	now := a.now()
	cafes := printout.Group{Heading: l.T("print.poster.sessions")}
	bus := printout.Group{Heading: l.T("bus.heading")}
	for _, ev := range es {
		if ev.Place.District != district {
			continue
		}
		if ev.RouteID != "" {
			bus.Entries = append(bus.Entries, printout.Entry{Name: ev.Title, Address: ev.Place.Text(), Phone: weeklyText(l, ev)})
			continue
		}
		if ev.ListingID != "" {
			if lst, err := a.listings.Get(c.UserContext(), ev.ListingID); err != nil || !lst.Published() {
				continue
			}
		}
		if next, ok := ev.Next(now); ok {
			cafes.Entries = append(cafes.Entries, printout.Entry{Name: ev.Title, Address: ev.Place.Text(),
				Phone: l.Session(next.Start.In(openinghours.Oslo), next.End.In(openinghours.Oslo))})
		}
	}
	var out []printout.Group
	for _, g := range []printout.Group{cafes, bus} {
		if len(g.Entries) > 0 {
			out = append(out, g)
		}
	}
	return out, nil
}

func (a *admin) poster(c *fiber.Ctx) error {
	l := a.lang(c)
	d, ok := a.districts.Lookup(c.Params("district"))
	if !ok {
		return apperr.NotFound("err.unknown_district")
	}
	size := strings.ToUpper(c.Query("size", "A4"))
	if !slices.Contains(printout.Sizes, size) {
		return apperr.Invalid("size", "err.poster_size")
	}
	published, err := a.listings.Published(c.UserContext())
	if err != nil {
		return err
	}
	p := printout.Poster{Title: l.T("print.poster.title", "district", d.Name), Subtitle: l.T("print.poster.subtitle"),
		Empty: l.T("print.poster.empty"), Scan: l.T("print.poster.scan"),
		URL:      paths.Absolute(a.baseURL, paths.District(d.Slug)+"&kilde=plakat"),
		ShortURL: shortURL(a.baseURL), Size: size,
		Footer: l.T("print.poster.footer", "date", view.Date(l, a.now()))}
	p.Groups = view.PosterGroups(l, published, d.Slug)
	if c.Query("arrangementer") != "nei" {
		more, err := a.posterSessions(c, l, d.Slug)
		if err != nil {
			return err
		}
		p.Groups = append(p.Groups, more...)
	}
	pdf, err := p.PDF()
	if err != nil {
		return err
	}
	return sendFile(c, "application/pdf", "plakat-"+d.Slug+"-"+strings.ToLower(size)+".pdf", pdf)
}
