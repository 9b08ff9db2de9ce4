package web

import (
	"html"
	"net/url"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/web/form"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

// Embed heights the configurator offers, in CSS pixels.
const (
	minEmbedHeight     = 300
	maxEmbedHeight     = 1600
	defaultEmbedHeight = 600
)

type embedConfig struct {
	Categories, Districts, Kinds []view.Option
	Languages                    []view.Check
	Height                       int
	HeightError                  string
	// Src and Snippet are the framed page's address and the HTML to copy,
	// once the form was sent; Preview is the address on this site, which
	// the preview frames.
	Src, Preview, Snippet, FrameTitle string
}

// embedConfigurator lets the city or a partner choose what their framed
// search shows and copy the snippet (/innbygging): a plain GET form, so it
// works without JavaScript, with the frame itself as the preview.
func (p *public) embedConfigurator(c *fiber.Ctx) error {
	l := p.lang(c)
	v := queryValues(c)
	cat, dist, kind, lang := v.Get("category"), v.Get("district"), v.Get("kind"), v.Get("embed_lang")
	body := embedConfig{Height: defaultEmbedHeight}
	for _, ct := range category.All() {
		body.Categories = append(body.Categories, view.Option{Slug: ct.Slug, Name: view.CategoryName(ct, l), Selected: ct.Slug == cat})
	}
	for _, d := range p.districts.All() {
		body.Districts = append(body.Districts, view.Option{Slug: d.Slug, Name: d.Name, Selected: d.Slug == dist})
	}
	for _, k := range listing.Kinds {
		body.Kinds = append(body.Kinds, view.Option{Slug: k, Name: l.T("kind." + k), Selected: k == kind})
	}
	if lang != string(i18n.EN) {
		lang = string(i18n.NB)
	}
	for _, code := range []string{string(i18n.NB), string(i18n.EN)} {
		body.Languages = append(body.Languages, view.Check{Value: code, Label: l.T("embed.lang." + code), Checked: code == lang})
	}
	status := fiber.StatusOK
	if raw := v.Get("height"); raw != "" {
		h, err := strconv.Atoi(raw)
		if err != nil || h < minEmbedHeight || h > maxEmbedHeight {
			body.HeightError = l.T("embed.error.height", "min", minEmbedHeight, "max", maxEmbedHeight)
			status = fiber.StatusBadRequest
		} else {
			body.Height = h
		}
	}
	if _, sent := v["height"]; sent && body.HeightError == "" {
		q := url.Values{"lang": {lang}}
		if _, ok := category.Lookup(cat); ok {
			q.Set("category", cat)
		}
		if _, ok := p.districts.Lookup(dist); ok {
			q.Set("district", dist)
		}
		if slices.Contains(listing.Kinds, kind) {
			q.Set("kind", kind)
		}
		body.Preview = paths.EmbeddedSearch(q)
		body.Src = paths.Absolute(p.baseURL, body.Preview)
		body.FrameTitle = p.messages.For(i18n.Lang(lang)).T("embed.frame_title") // in the framed page's language
		body.Snippet = `<iframe src="` + html.EscapeString(body.Src) + `" title="` + html.EscapeString(body.FrameTitle) + `" width="100%" height="` +
			strconv.Itoa(body.Height) + `" style="border:0" loading="lazy"></iframe>`
	}
	page := p.newPage(c, l, l.T("embed.heading"), nil, true)
	page.Body = body
	return p.render(c, status, "embed", page)
}

type embeddedBody struct {
	Form    form.Search
	Results *resultsView
	// FullURL is the same search on the whole site.
	FullURL string
}

// embedded is the search other sites frame (/innbygget): the same
// server-rendered search as the front page, compact, with the text field
// and the list; framing is allowed to the sites REPARERER_EMBED_ORIGINS
// names (any, by default: the data is open), while every other page keeps
// refusing to be framed.
func (p *public) embedded(c *fiber.Ctx) error {
	l := p.lang(c)
	f := form.ReadSearch(queryValues(c))
	results, status := p.results(c.UserContext(), l, f, true, paths.EmbeddedSearch)
	results.Embed = true
	page := p.newPage(c, l, l.T("embed.title"), nil, false)
	page.Noindex = true
	page.Body = embeddedBody{Form: f, Results: results, FullURL: paths.Search(f.Values())}
	c.Set(fiber.HeaderContentSecurityPolicy, p.embedPolicy)
	c.Response().Header.Del(fiber.HeaderXFrameOptions)
	return p.renderPart(c, status, "embed", "embed-layout", page)
}
