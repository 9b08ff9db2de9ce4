package web

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/search"
)

// perPage is the page size of the search page (the API's default too).
const perPage = 20

// searchForm is the state of the search page, all of it in the URL.
type searchForm struct {
	Q          string
	Categories []string
	District   string
	Postnr     string
	Lat, Lng   string // "near me", from the browser's position
	BBox       string // "search this area"
	OpenNow    bool
	Voucher    bool
	Page       string
}

func readSearchForm(v url.Values) searchForm {
	f := searchForm{
		Q: v.Get("q"), District: v.Get("district"), Postnr: v.Get("postnr"),
		Lat: v.Get("lat"), Lng: v.Get("lng"), BBox: v.Get("bbox"), Page: v.Get("page"),
		OpenNow: v.Get("open_now") != "", Voucher: v.Get("voucher") != "",
	}
	f.Q, f.District, f.Postnr = strings.TrimSpace(f.Q), strings.TrimSpace(f.District), strings.TrimSpace(f.Postnr)
	for _, c := range v["category"] {
		if c = strings.TrimSpace(c); c != "" {
			f.Categories = append(f.Categories, c)
		}
	}
	return f
}

// values is the form as a query string, without the page.
func (f searchForm) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", f.Q)
	v["category"] = f.Categories
	if len(f.Categories) == 0 {
		delete(v, "category")
	}
	set("district", f.District)
	set("postnr", f.Postnr)
	set("lat", f.Lat)
	set("lng", f.Lng)
	set("bbox", f.BBox)
	if f.OpenNow {
		v.Set("open_now", "true")
	}
	if f.Voucher {
		v.Set("voucher", "true")
	}
	return v
}

// formError is a bad value in the form, shown next to the results and
// linked to its field.
type formError struct{ Field, Message string }

// apiQuery turns the form into a search query: the postcode's centre is the
// origin when the browser's position is not given. Values are checked by
// the same parser as the API's, so a bad one is a 400 here too.
func (s *Server) apiQuery(f searchForm, l *i18n.Localizer) (search.Query, *formError) {
	v := f.values()
	v.Del("postnr")
	if f.Postnr != "" && f.Lat == "" && f.Lng == "" {
		p, ok := s.Postcodes.Lookup(f.Postnr)
		if !ok {
			return search.Query{}, &formError{"postnr", l.T("error.postnr", "value", f.Postnr)}
		}
		v.Set("lat", strconv.FormatFloat(p.Lat, 'f', -1, 64))
		v.Set("lng", strconv.FormatFloat(p.Lng, 'f', -1, 64))
	}
	if f.Page != "" {
		v.Set("page", f.Page)
	}
	v.Set("per_page", strconv.Itoa(perPage))
	q, err := search.ParseQuery(v, s.Now())
	if err != nil {
		var ae *apperr.Error
		field := ""
		if errors.As(err, &ae) {
			field = ae.Field
		}
		key := "error.field." + field
		if !l.Has(key) {
			key = "error.field.other"
		}
		target := map[string]string{"lat": "postnr", "lng": "postnr", "category": "q", "bbox": "q", "page": "q"}[field]
		if target == "" {
			target = field
		}
		return search.Query{}, &formError{target, l.T(key)}
	}
	return q, nil
}

type homeBody struct {
	Form       searchForm
	Categories []chip
	Districts  []option
	Results    *resultsView
}

type chip struct {
	Slug, Name string
	Checked    bool
}

type option struct {
	Slug, Name string
	Selected   bool
}

func (s *Server) home(c *fiber.Ctx) error {
	l := s.lang(c)
	f := readSearchForm(queryValues(c))
	results, status := s.results(c.UserContext(), l, f)
	body := homeBody{Form: f, Results: results}
	for _, cat := range category.All() {
		body.Categories = append(body.Categories, chip{cat.Slug, categoryName(cat, l), slices.Contains(f.Categories, cat.Slug)})
	}
	for _, d := range s.Districts.All() {
		body.Districts = append(body.Districts, option{d.Slug, d.Name, d.Slug == f.District})
	}
	query := f.values()
	if f.Page != "" && f.Page != "1" {
		query.Set("page", f.Page)
	}
	title := l.T("site.name")
	if len(query) > 0 {
		title = l.T("home.title_results", "count", results.CountText)
	}
	v := s.newView(c, l, title, query, true)
	v.Nav = "home"
	v.Body = body
	return s.render(c, status, "home", "layout", v)
}

// resultsFragment is the result list alone, which the map script swaps in
// as the form changes.
func (s *Server) resultsFragment(c *fiber.Ctx) error {
	l := s.lang(c)
	results, status := s.results(c.UserContext(), l, readSearchForm(queryValues(c)))
	return s.render(c, status, "home", "results", results)
}

type resultsView struct {
	L         *i18n.Localizer
	Hits      []hitView
	CountText string
	First     int
	Active    []activeFilter
	Pages     []pageLink
	Prev      string
	Next      string
	Error     *formError
	Failed    bool // the index could not answer
}

type hitView struct {
	Slug, Name, URL, Lat, Lng           string
	CategoryText, AddressText, Distance string
	StatusText, StatusClass             string
	Voucher, Verified                   bool
}

type activeFilter struct{ Label, RemoveURL string }

type pageLink struct {
	Label, Href  string
	Current, Gap bool
}

// results runs the search of the form and prepares the list; the status
// is 400 for a bad form and 503 when the index cannot answer.
func (s *Server) results(ctx context.Context, l *i18n.Localizer, f searchForm) (*resultsView, int) {
	rv := &resultsView{L: l}
	rv.Active = s.activeFilters(l, f)
	q, ferr := s.apiQuery(f, l)
	if ferr != nil {
		rv.Error = ferr
		rv.CountText = l.T("results.invalid")
		return rv, fiber.StatusBadRequest
	}
	res, err := s.Search.Search(ctx, q)
	if err != nil {
		if apperr.CodeOf(err) != apperr.CodeUnavailable {
			s.Log.Error("search page: search failed", "error", err)
		}
		rv.Failed = true
		rv.CountText = l.T("results.unavailable_short")
		return rv, fiber.StatusServiceUnavailable
	}
	if res.Total == 0 {
		s.recordMiss(ctx, q)
	}
	rv.CountText = l.N("results.count", res.Total)
	rv.First = (res.Page-1)*res.PerPage + 1
	for _, h := range res.Hits {
		rv.Hits = append(rv.Hits, s.hitView(l, h))
	}
	rv.paginate(f, res)
	return rv, fiber.StatusOK
}

func (s *Server) hitView(l *i18n.Localizer, h search.Hit) hitView {
	v := hitView{
		Slug: h.Slug, Name: h.Name, URL: h.URL,
		Lat: strconv.FormatFloat(h.Location.Lat, 'f', -1, 64), Lng: strconv.FormatFloat(h.Location.Lng, 'f', -1, 64),
		CategoryText: categoryNames(h.Categories, l), AddressText: s.addressText(h.Address.Street, h.Address.Postcode, h.Address.City, h.District),
		Voucher: h.AcceptsRepairVoucher, Verified: h.VerifiedAt != nil,
	}
	if h.DistanceM != nil {
		v.Distance = l.T("results.distance", "distance", l.Distance(*h.DistanceM))
	}
	switch {
	case h.OpenNow == nil:
		v.StatusText, v.StatusClass = l.T("status.unknown"), "unknown"
	case *h.OpenNow:
		v.StatusText, v.StatusClass = l.T("status.open"), "open"
	default:
		v.StatusText, v.StatusClass = l.T("status.closed"), "closed"
	}
	return v
}

// activeFilters are the filters the form fields do not show, each with a
// link that removes it.
func (s *Server) activeFilters(l *i18n.Localizer, f searchForm) []activeFilter {
	var out []activeFilter
	without := func(keys ...string) string {
		v := f.values()
		for _, k := range keys {
			v.Del(k)
		}
		if len(v) == 0 {
			return "/"
		}
		return "/?" + v.Encode()
	}
	if f.Lat != "" || f.Lng != "" {
		out = append(out, activeFilter{l.T("filter.near_me"), without("lat", "lng")})
	} else if p, ok := s.Postcodes.Lookup(f.Postnr); ok {
		out = append(out, activeFilter{l.T("filter.near_postcode", "code", p.Code, "place", p.Name), without("postnr")})
	}
	if f.BBox != "" {
		out = append(out, activeFilter{l.T("filter.bbox"), without("bbox")})
	}
	return out
}

// paginate links the pages: the first, the last, and two either side of
// the current one.
func (rv *resultsView) paginate(f searchForm, res search.Result) {
	pages := (res.Total + res.PerPage - 1) / res.PerPage
	if pages <= 1 && res.Page <= 1 {
		return
	}
	href := func(n int) string {
		v := f.values()
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return "/"
		}
		return "/?" + v.Encode()
	}
	if res.Page > 1 {
		rv.Prev = href(min(res.Page-1, max(pages, 1)))
	}
	if res.Page < pages {
		rv.Next = href(res.Page + 1)
	}
	gap := false
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= res.Page-2 && n <= res.Page+2) {
			rv.Pages = append(rv.Pages, pageLink{Label: strconv.Itoa(n), Href: href(n), Current: n == res.Page})
			gap = false
		} else if !gap {
			rv.Pages = append(rv.Pages, pageLink{Gap: true})
			gap = true
		}
	}
}

func categoryName(c category.Category, l *i18n.Localizer) string {
	if l.Lang == i18n.EN {
		return c.NameEN
	}
	return c.NameNB
}

func categoryNames(slugs []string, l *i18n.Localizer) string {
	names := make([]string, 0, len(slugs))
	for _, slug := range slugs {
		if c, ok := category.Lookup(slug); ok {
			names = append(names, categoryName(c, l))
		}
	}
	return strings.Join(names, ", ")
}

// addressText is "Street 1, 5003 Bergen", or the district when the street
// address is not known.
func (s *Server) addressText(street, postcode, city, districtSlug string) string {
	place := strings.TrimSpace(postcode + " " + city)
	switch {
	case street != "" && place != "":
		return street + ", " + place
	case street != "":
		return street
	case place != "":
		return place
	}
	if d, ok := s.Districts.Lookup(districtSlug); ok {
		return d.Name
	}
	return ""
}
