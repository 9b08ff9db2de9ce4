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
)

const langCookie = "lang"

// lang is the language of the answer: ?lang= (remembered in a cookie),
// else the cookie, else bokmål.
func (s *Server) lang(c *fiber.Ctx) *i18n.Localizer {
	if l, ok := i18n.Parse(c.Query("lang")); ok {
		if c.Cookies(langCookie) != string(l) {
			c.Cookie(&fiber.Cookie{
				Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
				HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secureCookies(),
			})
		}
		return s.Messages.For(l)
	}
	l, _ := i18n.Parse(c.Cookies(langCookie))
	return s.Messages.For(l)
}

func (s *Server) secureCookies() bool { return strings.HasPrefix(s.BaseURL, "https://") }

// view is what every page template gets; Body is the page's own part.
type view struct {
	L           *i18n.Localizer
	Title       string
	OGTitle     string
	OGType      string
	Description string
	Canonical   string
	Alternates  []alternate
	Noindex     bool
	Nav         string

	Home, AboutURL, AccessibilityURL     string
	LangSwitch, OtherLang, OtherLangName string

	Script map[string]any
	Body   any
}

type alternate struct{ Lang, Href string }

// newView fills what every page has. query is the page's own query
// (without lang); canonical pages get their URL and language alternates.
func (s *Server) newView(c *fiber.Ctx, l *i18n.Localizer, title string, query url.Values, canonical bool) *view {
	other := i18n.EN
	if l.Lang == i18n.EN {
		other = i18n.NB
	}
	v := &view{
		L: l, Title: title, OGTitle: title, OGType: "website", Description: l.T("site.description"),
		Home: "/", AboutURL: "/om", AccessibilityURL: "/tilgjengelighet",
		LangSwitch: switchLang(c.Path(), query, other), OtherLang: string(other),
		OtherLangName: s.Messages.For(other).T("lang.name"),
		Script: map[string]any{
			"lang": l.Lang, "tileUrl": s.TileURL, "tileAttribution": s.TileAttribution,
			"tileAttributionUrl": s.TileAttributionURL, "messages": l.Script(),
		},
	}
	if title != l.T("site.name") {
		v.Title = title + " – " + l.T("site.name")
	}
	if canonical {
		v.Canonical = s.BaseURL + withLang(c.Path(), query, l.Lang)
		for _, lang := range i18n.Langs {
			v.Alternates = append(v.Alternates, alternate{string(lang), s.BaseURL + withLang(c.Path(), query, lang)})
		}
		v.Alternates = append(v.Alternates, alternate{"x-default", s.BaseURL + withLang(c.Path(), query, i18n.NB)})
	}
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
		"errField": func(e *formError) string {
			if e == nil {
				return ""
			}
			return e.Field
		},
	}
	p := &pages{sets: map[string]*template.Template{}, bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	for _, name := range []string{"home", "listing", "page", "error", "report", "signin", "account", "listingform", "claim", "confirm", "admin"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(frontend.Templates,
			"templates/layout.html", "templates/results.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", name, err)
		}
		p.sets[name] = t
	}
	return p, nil
}

// render writes a whole page, or one named part of it (a fragment).
func (s *Server) render(c *fiber.Ctx, status int, page, part string, data any) error {
	buf := s.pages.bufs.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); s.pages.bufs.Put(buf) }()
	if err := s.pages.sets[page].ExecuteTemplate(buf, part, data); err != nil {
		return fmt.Errorf("web: render %s/%s: %w", page, part, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	// Pages carry live "open now" lines and follow the language cookie.
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderVary, "Cookie, Accept-Encoding")
	// SetBody copies: the pooled buffer is reused as soon as this returns,
	// while fasthttp may still be writing the response.
	c.Status(status).Response().SetBody(buf.Bytes())
	return nil
}

// renderError answers a page request with an HTML error page in the
// visitor's language.
func (s *Server) renderError(c *fiber.Ctx, status int, code string) error {
	l := s.lang(c)
	key := "error." + code
	if !l.Has(key + ".heading") {
		key = "error.internal"
	}
	v := s.newView(c, l, l.T(key+".heading"), nil, false)
	v.Noindex = true
	v.Body = struct{ Heading, Message string }{l.T(key + ".heading"), l.T(key + ".message")}
	return s.render(c, status, "error", "layout", v)
}

// wantsHTML reports whether an error should be answered with a page
// rather than JSON: anything outside the API, the open data and the probes
// is a page or a form of one.
func wantsHTML(c *fiber.Ctx) bool {
	p := c.Path()
	for _, prefix := range []string{"/api/", "/data/", "/healthz", "/readyz", "/_/"} {
		if strings.HasPrefix(p, prefix) {
			return false
		}
	}
	return true
}
