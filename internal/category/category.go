// Package category is the closed set of repair categories and their names.
package category

import (
	"slices"
	"strings"
	"unicode"

	"github.com/bergenreparerer/reparerer/internal/i18n"
)

// Category is one repair category. Slug is stable and part of the public API.
type Category struct {
	Slug   string `json:"slug"`
	NameNB string `json:"name_nb"`
	NameEN string `json:"name_en"`
	// Terms are trade names people search for ("skomaker"); they make a
	// listing findable by its trade even when its own text does not say it.
	Terms []string `json:"-"`
}

// all lists the categories in display order.
var all = []Category{
	{"sko", "Sko, vesker og lær", "Shoes, bags & leather", []string{"skomaker", "skoreparasjon", "shoemaker", "cobbler"}},
	{"klaer", "Klær og tekstil", "Clothes & textiles", []string{"skredder", "syerske", "klesreparasjon", "tailor"}},
	{"elektronikk", "TV, lyd og elektronikk", "TV, audio & electronics", []string{"elektronikkreparasjon", "radio", "tv"}},
	{"mobil-data", "Mobil, nettbrett og PC", "Phones, tablets & computers", []string{"mobilreparasjon", "datareparasjon", "pc"}},
	{"hvitevarer", "Hvitevarer", "Household appliances", []string{"vaskemaskin", "oppvaskmaskin", "kjøleskap"}},
	{"sykkel", "Sykkel og sparkesykkel", "Bicycles & scooters", []string{"sykkelverksted", "sykkelreparasjon", "elsykkel"}},
	{"mobler", "Møbler og trekking", "Furniture & upholstery", []string{"møbeltapetserer", "møbelsnekker", "ompolstring"}},
	{"ur-smykker", "Ur og smykker", "Watches & jewellery", []string{"urmaker", "gullsmed", "watchmaker"}},
	{"sport-friluft", "Sport og friluft", "Sports & outdoor gear", []string{"skiservice", "impregnering", "telt"}},
	{"instrumenter", "Musikkinstrumenter", "Musical instruments", []string{"instrumentmaker", "gitar", "piano"}},
	{"verktoy", "Verktøy og hagemaskiner", "Tools & garden machines", []string{"gressklipper", "motorsag", "småmotor"}},
	{"reparasjonskafe", "Reparasjonskafé", "Repair café", []string{"reparasjonskafé", "repair café", "fiksekveld"}},
	{"annet", "Annet", "Other", nil},
}

var bySlug = func() map[string]Category {
	m := make(map[string]Category, len(all))
	for _, c := range all {
		m[c.Slug] = c
	}
	return m
}()

// All returns the categories in display order.
func All() []Category { return append([]Category(nil), all...) }

// Lookup returns the category with the given slug.
func Lookup(slug string) (Category, bool) {
	c, ok := bySlug[slug]
	return c, ok
}

// Parse finds the category a person wrote: its slug, its name in either
// language or one of its trade terms, ignoring case ("Skomaker" is sko).
func Parse(text string) (Category, bool) {
	text = strings.TrimSpace(text)
	for _, c := range all {
		if strings.EqualFold(text, c.Slug) || strings.EqualFold(text, c.NameNB) || strings.EqualFold(text, c.NameEN) ||
			slices.ContainsFunc(c.Terms, func(t string) bool { return strings.EqualFold(text, t) }) {
			return c, true
		}
	}
	return Category{}, false
}

// Match returns the categories one of whose names or trade terms has a word
// starting with text, case-insensitively ("skom" finds sko by "skomaker").
func Match(text string) []Category {
	text = strings.ToLower(strings.TrimSpace(text))
	if text == "" {
		return nil
	}
	var out []Category
	for _, c := range all {
		words := append([]string{c.NameNB, c.NameEN}, c.Terms...)
		if slices.ContainsFunc(words, func(w string) bool {
			return slices.ContainsFunc(strings.FieldsFunc(strings.ToLower(w), notLetter), func(f string) bool {
				return strings.HasPrefix(f, text)
			})
		}) || strings.HasPrefix(c.Slug, text) {
			out = append(out, c)
		}
	}
	return out
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// Valid reports whether slug names a category.
func Valid(slug string) bool {
	_, ok := bySlug[slug]
	return ok
}

// NameIn is the category's name in lang (bokmål unless English).
func (c Category) NameIn(lang i18n.Lang) string {
	if lang == i18n.EN {
		return c.NameEN
	}
	return c.NameNB
}

// Names are the names in lang of the known categories among slugs, in
// their order.
func Names(slugs []string, lang i18n.Lang) []string {
	out := make([]string, 0, len(slugs))
	for _, slug := range slugs {
		if c, ok := Lookup(slug); ok {
			out = append(out, c.NameIn(lang))
		}
	}
	return out
}
