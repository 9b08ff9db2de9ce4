package web

import (
	"context"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/search"
	"github.com/bergenreparerer/reparerer/internal/web/form"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

// perPage is the page size of the search page (the API's default too).
const perPage = 20

func (p *public) apiSearch(c *fiber.Ctx) error {
	q, err := search.ParseQuery(queryValues(c), p.now())
	if err != nil {
		return err
	}
	body, err := p.search.SearchJSON(c.UserContext(), q, apiLang(c, p.messages).Lang)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(body)
}

// suggest completes the search field: categories (named in the language
// asked for) and service words of published listings.
func (p *public) suggest(c *fiber.Ctx) error {
	text, lang, err := search.ParseSuggest(queryValues(c))
	if err != nil {
		return err
	}
	sg, err := p.search.Suggest(c.UserContext(), text)
	if err != nil {
		return err
	}
	type suggestion struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
		Label string `json:"label"`
	}
	out := []suggestion{}
	l := p.messages.For(lang)
	for _, cat := range sg.Categories {
		out = append(out, suggestion{"category", cat.Slug, view.CategoryName(cat, l)})
	}
	for _, w := range sg.Services {
		out = append(out, suggestion{"service", w, w})
	}
	return c.JSON(fiber.Map{"suggestions": out})
}

type homeBody struct {
	Form       form.Search
	Categories []chip
	Districts  []view.Option
	Results    *resultsView
}

func (p *public) home(c *fiber.Ctx) error {
	l := p.lang(c)
	f := form.ReadSearch(queryValues(c))
	results, status := p.results(c.UserContext(), l, f)
	body := homeBody{Form: f, Results: results}
	for _, cat := range category.All() {
		body.Categories = append(body.Categories, chip{cat.Slug, view.CategoryName(cat, l), slices.Contains(f.Categories, cat.Slug)})
	}
	for _, d := range p.districts.All() {
		body.Districts = append(body.Districts, view.Option{Slug: d.Slug, Name: d.Name, Selected: d.Slug == f.District})
	}
	query := f.Values()
	if f.Page != "" && f.Page != "1" {
		query.Set("page", f.Page)
	}
	title := l.T("site.name")
	if len(query) > 0 {
		title = l.T("home.title_results", "count", results.CountText)
	}
	v := p.newPage(c, l, title, query, true)
	v.Nav = "home"
	v.Body = body
	return p.render(c, status, "home", v)
}

// resultsFragment is the result list alone, which the map script swaps in
// as the form changes.
func (p *public) resultsFragment(c *fiber.Ctx) error {
	l := p.lang(c)
	results, status := p.results(c.UserContext(), l, form.ReadSearch(queryValues(c)))
	return p.renderPart(c, status, "home", "results", results)
}

// chip is a category's checkbox.
type chip struct {
	Slug, Name string
	Checked    bool
}

type resultsView struct {
	L         *i18n.Localizer
	Hits      []view.Hit
	CountText string
	First     int
	Active    []activeFilter
	view.Pagination
	Error  *form.Error
	Failed bool // the index could not answer
}

type activeFilter struct{ Label, RemoveURL string }

// results runs the search of the form and prepares the list; the status
// is 400 for a bad form and 503 when the index cannot answer. A search
// that finds nothing is counted for the municipality's statistics.
func (p *public) results(ctx context.Context, l *i18n.Localizer, f form.Search) (*resultsView, int) {
	rv := &resultsView{L: l, Active: p.activeFilters(l, f)}
	q, ferr := f.Query(p.postcodes, l, perPage, p.now())
	if ferr != nil {
		rv.Error = ferr
		rv.CountText = l.T("results.invalid")
		return rv, fiber.StatusBadRequest
	}
	res, err := p.search.Search(ctx, q, l.Lang)
	if err != nil {
		if apperr.CodeOf(err) != apperr.CodeUnavailable {
			p.log.Error("search page: search failed", "error", err)
		}
		rv.Failed = true
		rv.CountText = l.T("results.unavailable_short")
		return rv, fiber.StatusServiceUnavailable
	}
	if res.Total == 0 && p.misses != nil {
		p.misses.RecordSearch(ctx, q)
	}
	rv.CountText = l.N("results.count", res.Total)
	rv.First = (res.Page-1)*res.PerPage + 1
	for _, h := range res.Hits {
		rv.Hits = append(rv.Hits, view.NewHit(l, h, p.districts.Name(h.District)))
	}
	rv.Pagination = view.Paginate(res.Page, res.PerPage, res.Total, func(n int) string {
		v := f.Values()
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return paths.Search(v)
	})
	return rv, fiber.StatusOK
}

// activeFilters are the filters the form fields do not show, each with a
// link that removes it.
func (p *public) activeFilters(l *i18n.Localizer, f form.Search) []activeFilter {
	var out []activeFilter
	without := func(keys ...string) string {
		v := f.Values()
		for _, k := range keys {
			v.Del(k)
		}
		return paths.Search(v)
	}
	if f.Lat != "" || f.Lng != "" {
		out = append(out, activeFilter{l.T("filter.near_me"), without("lat", "lng")})
	} else if pc, ok := p.postcodes.Lookup(f.Postnr); ok {
		out = append(out, activeFilter{l.T("filter.near_postcode", "code", pc.Code, "place", pc.Name), without("postnr")})
	}
	if f.BBox != "" {
		out = append(out, activeFilter{l.T("filter.bbox"), without("bbox")})
	}
	return out
}
