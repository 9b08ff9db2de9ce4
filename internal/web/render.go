package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/frontend"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/spreadsheet"
	"github.com/bergenreparerer/reparerer/internal/web/form"
)

const langCookie = "lang"

// renderer turns views into pages in the request's language.
type renderer struct {
	pages    *pages
	messages *i18n.Catalogue
	baseURL  string

	tileURL, tileAttribution, tileAttributionURL string
}

// lang is the language of the answer: ?lang= (remembered in a cookie),
// else the cookie, else bokmål.
func (r *renderer) lang(c *fiber.Ctx) *i18n.Localizer {
	if l, ok := i18n.Parse(c.Query("lang")); ok {
		if c.Cookies(langCookie) != string(l) {
			c.Cookie(&fiber.Cookie{
				Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
				HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: r.secureCookies(),
			})
		}
		return r.messages.For(l)
	}
	l, _ := i18n.Parse(c.Cookies(langCookie))
	return r.messages.For(l)
}

func (r *renderer) secureCookies() bool { return strings.HasPrefix(r.baseURL, "https://") }

// page is what every page template gets; Body is the page's own part.
type page struct {
	L           *i18n.Localizer
	Title       string
	OGTitle     string
	OGType      string
	Description string
	Canonical   string
	Alternates  []alternate
	Noindex     bool
	Nav         string
	// CSRF is the token every form of the page posts back.
	CSRF string

	Home, AboutURL, AccessibilityURL     string
	LangSwitch, OtherLang, OtherLangName string

	Script map[string]any
	Body   any
}

type alternate struct{ Lang, Href string }

// newPage fills what every page has, the CSRF token included. query is
// the page's own query (without lang); canonical pages get their URL and
// language alternates.
func (r *renderer) newPage(c *fiber.Ctx, l *i18n.Localizer, title string, query url.Values, canonical bool) *page {
	other := i18n.EN
	if l.Lang == i18n.EN {
		other = i18n.NB
	}
	v := &page{
		L: l, Title: title, OGTitle: title, OGType: "website", Description: l.T("site.description"),
		Home: paths.Home, AboutURL: paths.About, AccessibilityURL: paths.Accessibility,
		LangSwitch: switchLang(c.Path(), query, other), OtherLang: string(other),
		OtherLangName: r.messages.For(other).T("lang.name"),
		Script: map[string]any{
			"lang": l.Lang, "tileUrl": r.tileURL, "tileAttribution": r.tileAttribution,
			"tileAttributionUrl": r.tileAttributionURL, "messages": l.Script(),
		},
	}
	v.CSRF, _ = c.Locals(csrfKey).(string)
	if title != l.T("site.name") {
		v.Title = title + " – " + l.T("site.name")
	}
	if canonical {
		v.Canonical = r.baseURL + withLang(c.Path(), query, l.Lang)
		for _, lang := range i18n.Langs {
			v.Alternates = append(v.Alternates, alternate{string(lang), r.baseURL + withLang(c.Path(), query, lang)})
		}
		v.Alternates = append(v.Alternates, alternate{"x-default", r.baseURL + withLang(c.Path(), query, i18n.NB)})
	}
	return v
}

// private is newPage for pages crawlers should not index (forms, Min
// side, the console), in the navigation section nav.
func (r *renderer) private(c *fiber.Ctx, l *i18n.Localizer, title, nav string, body any) *page {
	v := r.newPage(c, l, title, nil, false)
	v.Noindex, v.Nav, v.Body = true, nav, body
	return v
}

// withLang is path?query with lang set, bokmål being the default (no lang).
func withLang(path string, query url.Values, lang i18n.Lang) string {
	q := url.Values{}
	for k, vs := range query {
		if k != "lang" {
			q[k] = vs
		}
	}
	if lang != i18n.NB {
		q.Set("lang", string(lang))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// switchLang is path?query with lang set even to the default, so that the
// link also replaces the remembered language.
func switchLang(path string, query url.Values, lang i18n.Lang) string {
	q := url.Values{}
	for k, vs := range query {
		q[k] = vs
	}
	q.Set("lang", string(lang))
	return path + "?" + q.Encode()
}

// pages are the parsed templates, one set per page.
type pages struct {
	sets map[string]*template.Template
	bufs sync.Pool
}

func loadPages(a *assets) (*pages, error) {
	funcs := template.FuncMap{
		"asset": a.url,
		// earlyScript is a constant of ours, never user input.
		"earlyScript": func() template.JS { return template.JS(earlyScript) }, //nolint:gosec // a constant
		// dict passes several values to a shared part of a form.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"errField": func(e *form.Error) string {
			if e == nil {
				return ""
			}
			return e.Field
		},
		"adminAction":    paths.AdminAction,
		"adminClaim":     paths.AdminClaim,
		"closeReport":    paths.CloseReport,
		"importConfirm":  paths.ImportConfirm,
		"importProblems": paths.ImportProblems,
	}
	p := &pages{sets: map[string]*template.Template{}, bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	for _, name := range []string{"home", "listing", "page", "error", "report", "tip", "signin", "account", "listingform", "claim", "confirm", "admin", "embed", "marks", "quote", "events"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(frontend.Templates,
			"templates/layout.html", "templates/results.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", name, err)
		}
		p.sets[name] = t
	}
	return p, nil
}

// render writes a whole page.
func (r *renderer) render(c *fiber.Ctx, status int, name string, v *page) error {
	return r.renderPart(c, status, name, "layout", v)
}

// renderPart writes one named part of a page (a fragment).
func (r *renderer) renderPart(c *fiber.Ctx, status int, name, part string, data any) error {
	buf := r.pages.bufs.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); r.pages.bufs.Put(buf) }()
	if err := r.pages.sets[name].ExecuteTemplate(buf, part, data); err != nil {
		return fmt.Errorf("web: render %s/%s: %w", name, part, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	// Pages carry live "open now" lines and follow the language cookie;
	// a signed-in person's pages are not kept at all (noStore).
	if len(c.Response().Header.Peek(fiber.HeaderCacheControl)) == 0 {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	c.Set(fiber.HeaderVary, "Cookie, Accept-Encoding")
	// SetBody copies: the pooled buffer is reused as soon as this returns,
	// while fasthttp may still be writing the response.
	c.Status(status).Response().SetBody(buf.Bytes())
	return nil
}

// sendCSV answers with a CSV download (cells defused by spreadsheet).
func sendCSV(c *fiber.Ctx, filename string, header []string, rows [][]string) error {
	body, err := spreadsheet.Write(header, rows)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	return c.Send(body)
}

// sendFile answers with a document made from live data.
func sendFile(c *fiber.Ctx, contentType, filename string, body []byte) error {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
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

// postValues copies the posted form (URL-encoded or multipart).
func postValues(c *fiber.Ctx) url.Values {
	v := url.Values{}
	c.Request().PostArgs().VisitAll(func(k, val []byte) {
		key := string(k)
		v[key] = append(v[key], string(val))
	})
	if mf, err := c.MultipartForm(); err == nil {
		for k, vals := range mf.Value {
			v[k] = append(v[k], vals...)
		}
	}
	return v
}
