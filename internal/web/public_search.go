package web

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/coverage"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
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
	if err := p.search.WriteJSON(c.UserContext(), q, apiLang(c, p.messages).Lang, c.Response().BodyWriter()); err != nil {
		c.Response().ResetBody()
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return nil
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
	for _, w := range sg.Words {
		out = append(out, suggestion{"word", w, w})
	}
	for _, w := range sg.Services {
		if !slices.ContainsFunc(out, func(s suggestion) bool { return s.Value == w }) {
			out = append(out, suggestion{"service", w, w})
		}
	}
	return c.JSON(fiber.Map{"suggestions": out})
}

type homeBody struct {
	Form              form.Search
	Categories        []chip
	Districts         []view.Option
	Results           *resultsView
	OpenChoices       []view.Option
	OpenTime, OpenDay string
	// HasQuery collapses the filters behind their toggle, so that the
	// results are in sight; FilterCount says how many are set.
	HasQuery    bool
	FilterCount int
	// The repair conditions' and quality marks' choices.
	WarrantyChoices, TurnaroundChoices, WhereChoices, LabelChoices []view.Check
	// KindChoices are the kinds of place, for the "Type sted" filter.
	KindChoices []view.Check
}

// conditionChoices fills the repair conditions' part of the filters.
func conditionChoices(l *i18n.Localizer, f form.Search, body *homeBody) {
	for _, m := range form.WarrantyChoices {
		body.WarrantyChoices = append(body.WarrantyChoices, view.Check{Value: m, Label: l.T("form.warranty_months", "months", m), Checked: f.WarrantyMin == m})
	}
	for _, d := range form.TurnaroundChoices {
		body.TurnaroundChoices = append(body.TurnaroundChoices, view.Check{Value: d, Label: l.T("filter.turnaround."+turnaroundKey(d), "days", d), Checked: f.TurnaroundMax == d})
	}
	for _, w := range []string{"at_home", "by_post", "pickup_delivery"} {
		body.WhereChoices = append(body.WhereChoices, view.Check{Value: w, Label: l.T("conditions.where." + w), Checked: slices.Contains(f.Where, w)})
	}
}

// openChoices are the "Åpen …" select's options.
func openChoices(l *i18n.Localizer, f form.Search) []view.Option {
	out := make([]view.Option, 0, len(form.OpenChoices))
	for _, c := range form.OpenChoices {
		out = append(out, view.Option{Slug: c, Name: l.T("form.open." + c), Selected: c == f.Open})
	}
	return out
}

func (p *public) home(c *fiber.Ctx) error {
	l := p.lang(c)
	f := form.ReadSearch(queryValues(c))
	results, status := p.results(c.UserContext(), l, f, true, paths.Search)
	body := homeBody{Form: f, Results: results, OpenChoices: openChoices(l, f), OpenTime: f.OpenTime, OpenDay: f.OpenDay}
	if body.OpenTime == "" {
		body.OpenTime = form.OpenAtDefault(f.Open, p.now())
	}
	for _, cat := range category.All() {
		body.Categories = append(body.Categories, chip{cat.Slug, view.CategoryName(cat, l), slices.Contains(f.Categories, cat.Slug)})
	}
	for _, d := range p.districts.All() {
		body.Districts = append(body.Districts, view.Option{Slug: d.Slug, Name: d.Name, Selected: d.Slug == f.District})
	}
	for _, k := range listing.Kinds {
		body.KindChoices = append(body.KindChoices, view.Check{Value: k, Label: l.T("kind." + k), Checked: f.Kind == k})
	}
	query := f.Values()
	body.HasQuery = len(query) > 0
	body.FilterCount = len(f.Categories)
	conditionChoices(l, f, &body)
	if labels, err := p.labels.Labels(c.UserContext()); err == nil { // no labels to offer is no reason to fail the search
		for _, lb := range labels {
			body.LabelChoices = append(body.LabelChoices, view.Check{Value: lb.Slug, Label: lb.Name, Checked: f.Label == lb.Slug})
		}
	}
	body.FilterCount += len(f.Where)
	if f.Kind != "" {
		body.FilterCount++
	}
	for _, set := range []bool{f.District != "", f.Postnr != "", f.Open != "", f.Voucher, f.WarrantyMin != "", f.TurnaroundMax != "",
		f.Brand != "", f.Loaner, f.HideOwnBrand, f.Label != "", f.GiftCard} {
		if set {
			body.FilterCount++
		}
	}
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
// as the form changes. While the resident is still typing (typing=1) a
// search that finds nothing is not counted: "glidel" is not a gap.
func (p *public) resultsFragment(c *fiber.Ctx) error {
	l := p.lang(c)
	v := queryValues(c)
	results, status := p.results(c.UserContext(), l, form.ReadSearch(v), v.Get("typing") != "1", paths.Search)
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
	// Understood says what the text was read as, with a link that
	// searches it as typed instead.
	Understood, LiteralURL string
	// FollowURL asks to hear of new repairers of the category in the
	// district searched.
	FollowURL string
	// Empty explains an answer with nothing, and offers next steps.
	Empty        string
	Alternatives []activeFilter
	TipURL       string
	// Embed: the list is framed on another site (/innbygget): listings
	// open in a new tab.
	Embed bool
	// link makes the address of the same search with other parameters:
	// the search page's, or the framed search's, so that the list's own
	// links (pages, filters to remove, next steps) stay where it is shown.
	link func(url.Values) string
}

type activeFilter struct{ Label, RemoveURL string }

// results runs the search of the form and prepares the list; the status
// is 400 for a bad form and 503 when the index cannot answer. A search
// that finds nothing is counted for the municipality's statistics.
func (p *public) results(ctx context.Context, l *i18n.Localizer, f form.Search, submitted bool, link func(url.Values) string) (*resultsView, int) {
	rv := &resultsView{L: l, Active: p.activeFilters(l, f, link), link: link}
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
	if res.Total == 0 && p.misses != nil && submitted {
		p.misses.RecordSearch(ctx, q, coverage.CauseOf(res.Alternatives))
	}
	p.explain(rv, l, f, res)
	rv.CountText = l.N("results.count", res.Total)
	rv.First = (res.Page-1)*res.PerPage + 1
	for _, h := range res.Hits {
		rv.Hits = append(rv.Hits, view.NewHit(l, h, p.districts.Name(h.District), p.now()))
	}
	rv.Pagination = view.Paginate(res.Page, res.PerPage, res.Total, func(n int) string {
		v := f.Values()
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return link(v)
	})
	return rv, fiber.StatusOK
}

// explain says what the text was read as and, when nothing was found,
// why and what to try instead.
func (p *public) explain(rv *resultsView, l *i18n.Localizer, f form.Search, res search.Result) {
	if len(f.Categories) == 1 && f.District != "" && f.Kind == "" {
		rv.FollowURL = paths.WithLang(paths.Follow+"?"+url.Values{"category": f.Categories, "district": {f.District}}.Encode(), string(l.Lang))
	}
	if in := res.Interpreted; in != nil && (len(in.Categories) > 0 || in.Near != nil || len(in.Kinds) > 0) {
		var parts []string
		for _, kind := range in.Kinds {
			parts = append(parts, l.T("kind_plural."+kind))
		}
		for _, slug := range in.Categories {
			if c, ok := category.Lookup(slug); ok {
				parts = append(parts, view.CategoryName(c, l))
			}
		}
		text := strings.Join(parts, ", ")
		if in.Near != nil {
			text = strings.TrimPrefix(text+" · "+l.T("results.near_place", "place", in.Near.Name), " · ")
		}
		if words := understoodWords(in); words != "" {
			text += " – " + words
		}
		rv.Understood = l.T("results.understood", "what", text)
		literal := f
		literal.Literal = true
		rv.LiteralURL = rv.link(literal.Values())
	}
	if res.Total > 0 {
		return
	}
	rv.TipURL = paths.Tip("")
	rv.Empty = l.T("results.none_hint")
	for i, a := range res.Alternatives {
		if a.Reason == search.ReasonNoneInCategory && a.Total == 0 {
			rv.TipURL = a.URL
			if i == 0 {
				rv.Empty = a.Label
			}
			continue
		}
		if i == 0 { // the first reason is the one that emptied the answer
			rv.Empty = l.T("results.why." + a.Reason)
		}
		if a.Reason == search.ReasonBusStop { // a page of its own, not a wider search
			rv.Alternatives = append(rv.Alternatives, activeFilter{a.Label, paths.WithLang(a.URL, string(l.Lang))})
			continue
		}
		rv.Alternatives = append(rv.Alternatives, activeFilter{a.Label, rv.link(a.Edit(f.Values()))})
	}
}

// understoodWords are the words that were read as categories.
func understoodWords(in *search.Interpretation) string {
	var words []string
	for _, u := range in.Understood {
		words = append(words, u.Word)
	}
	return strings.Join(words, ", ")
}

// activeFilters are the filters the form fields do not show, each with a
// link that removes it.
func (p *public) activeFilters(l *i18n.Localizer, f form.Search, link func(url.Values) string) []activeFilter {
	var out []activeFilter
	without := func(keys ...string) string {
		v := f.Values()
		for _, k := range keys {
			v.Del(k)
		}
		return link(v)
	}
	if f.Lat != "" || f.Lng != "" {
		out = append(out, activeFilter{l.T("filter.near_me"), without("lat", "lng")})
	} else if pc, ok := p.postcodes.Lookup(f.Postnr); ok {
		out = append(out, activeFilter{l.T("filter.near_postcode", "code", pc.Code, "place", pc.Name), without("postnr")})
	}
	if f.BBox != "" {
		out = append(out, activeFilter{l.T("filter.bbox"), without("bbox")})
	}
	switch f.Open {
	case "":
	case "now":
		out = append(out, activeFilter{l.T("filter.open_now"), without("open_now", "open")})
	default:
		out = append(out, activeFilter{l.T("filter.open_later", "when", l.T("form.open."+f.Open)), without("open", "open_time", "open_day")})
	}
	if f.WarrantyMin != "" {
		out = append(out, activeFilter{l.T("filter.warranty", "months", f.WarrantyMin), without("warranty_min")})
	}
	if f.TurnaroundMax != "" {
		out = append(out, activeFilter{l.T("filter.turnaround."+turnaroundKey(f.TurnaroundMax), "days", f.TurnaroundMax), without("turnaround_max")})
	}
	if f.Loaner {
		out = append(out, activeFilter{l.T("filter.loaner"), without("loaner")})
	}
	for _, w := range f.Where {
		rest := f.Values()
		rest["where"] = slices.DeleteFunc(slices.Clone(f.Where), func(x string) bool { return x == w })
		out = append(out, activeFilter{l.T("conditions.where." + w), link(rest)})
	}
	if f.Brand != "" {
		out = append(out, activeFilter{l.T("filter.brand", "brand", f.Brand), without("brand")})
	}
	if f.HideOwnBrand {
		out = append(out, activeFilter{l.T("filter.hide_own_brand"), without("hide_own_brand")})
	}
	if f.Label != "" {
		out = append(out, activeFilter{l.T("filter.label"), without("label")})
	}
	if f.GiftCard {
		out = append(out, activeFilter{l.T("marks.gift_card_heading"), without("gift_card")})
	}
	return out
}

// turnaroundKey names a turnaround filter: the same day, or within days.
func turnaroundKey(days string) string {
	if days == "0" {
		return "same_day"
	}
	return "within"
}

// maxMapPlaces bounds the places the map shows for one search.
const maxMapPlaces = 1000

// mapPlace is one place on the search page's map, with what its pop-up
// says.
type mapPlace struct {
	Slug        string  `json:"slug"`
	Name        string  `json:"name"`
	URL         string  `json:"url"`
	Lat         float64 `json:"lat"`
	Lng         float64 `json:"lng"`
	Status      string  `json:"status"`
	Approximate bool    `json:"approximate,omitempty"`
	Kind        string  `json:"kind"`
	KindText    string  `json:"kind_text"`
	NextSession string  `json:"next_session,omitempty"`
	StatusClass string  `json:"status_class"`
	Distance    string  `json:"distance,omitempty"`
	Phone       string  `json:"phone,omitempty"`
	Tel         string  `json:"tel,omitempty"`
	Directions  string  `json:"directions"`
}

// mapPlaces are every match of the search page's query (not only the
// page's), for the map to cluster. It is the page's own endpoint, with the
// page's parameters; a search that finds nothing here is not counted.
func (p *public) mapPlaces(c *fiber.Ctx) error {
	l := p.lang(c)
	f := form.ReadSearch(queryValues(c))
	f.Page = ""
	q, ferr := f.Query(p.postcodes, l, search.MaxPerPage, p.now())
	if ferr != nil {
		return apperr.Invalid(ferr.Field, "err.search.map_query")
	}
	q.PerPage = maxMapPlaces
	res, err := p.search.Search(c.UserContext(), q, l.Lang)
	if err != nil {
		return err
	}
	places := make([]mapPlace, 0, len(res.Hits))
	for _, h := range res.Hits {
		v := view.NewHit(l, h, p.districts.Name(h.District), p.now())
		places = append(places, mapPlace{Slug: h.Slug, Name: h.Name, URL: h.URL, Lat: h.Location.Lat, Lng: h.Location.Lng, Approximate: h.ApproximatePosition,
			Kind: v.Kind, KindText: v.KindText, NextSession: v.NextSession, Status: v.StatusText, StatusClass: v.StatusClass, Distance: v.Distance, Phone: v.Phone, Tel: v.Tel, Directions: v.Directions})
	}
	return c.JSON(fiber.Map{"places": places, "total": res.Total})
}
