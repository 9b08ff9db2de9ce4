package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/i18n"
)

// The catalogue is the only source of user-facing text: every key the
// templates, handlers and script name exists, and no template or script
// carries words of its own.

var (
	templateKey = regexp.MustCompile(`\.L\.[TN] "([a-z0-9_.]+)"`)
	goKey       = regexp.MustCompile(`\bl\.[TN]\("([a-z0-9_.]*[a-z0-9_])"[,)]`)
	errKey      = regexp.MustCompile(`"(err\.[a-z0-9_.]*[a-z0-9_])"`)
	scriptKey   = regexp.MustCompile(`\b[tn]\('([a-z0-9_]+)'`)
	action      = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	dataBlock   = regexp.MustCompile(`(?s)<(script|svg|style)\b.*?</(script|svg)>`)
	tag         = regexp.MustCompile(`(?s)<[^>]*>`)
	textAttr    = regexp.MustCompile(`\b(aria-label|title|alt|placeholder)="([^"]*)"`)
	letter      = regexp.MustCompile(`\pL`)
)

func TestEveryMessageKeyExists(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	nb := c.For(i18n.NB)
	check := func(pattern string, re *regexp.Regexp, prefix string) int {
		files, _ := filepath.Glob(pattern)
		n := 0
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue // tests name missing keys on purpose
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				n++
				if !nb.Has(prefix + m[1]) {
					t.Errorf("%s: %q is not in the catalogue", f, prefix+m[1])
				}
			}
		}
		return n
	}
	if n := check("../../frontend/templates/*.html", templateKey, ""); n < 50 {
		t.Errorf("found only %d keys in the templates; is the pattern still right?", n)
	}
	handlers := check("*.go", goKey, "") + check("form/*.go", goKey, "") + check("view/*.go", goKey, "")
	if handlers < 30 {
		t.Errorf("found only %d keys in the handlers, forms and views", handlers)
	}
	// Errors carry catalogue keys ("err.…") from every package below web.
	if n := check("../*/*.go", errKey, ""); n < 60 {
		t.Errorf("found only %d error keys below web", n)
	}
	if n := check("../../frontend/src/*.ts", scriptKey, "js."); n < 10 {
		t.Errorf("found only %d keys in the script", n)
	}
}

func TestTemplatesHaveNoWordsOfTheirOwn(t *testing.T) {
	files, _ := filepath.Glob("../../frontend/templates/*.html")
	if len(files) < 5 {
		t.Fatalf("found %d templates", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := action.ReplaceAllString(string(src), "")
		for _, m := range textAttr.FindAllStringSubmatch(s, -1) {
			if letter.MatchString(m[2]) {
				t.Errorf("%s: %s=%q is not from the catalogue", f, m[1], m[2])
			}
		}
		s = tag.ReplaceAllString(dataBlock.ReplaceAllString(s, ""), " ")
		for _, word := range strings.Fields(s) {
			if letter.MatchString(word) && !strings.HasPrefix(word, "&") {
				t.Errorf("%s: the word %q is not from the catalogue", f, word)
			}
		}
	}
}

func TestScriptsHaveNoWordsOfTheirOwn(t *testing.T) {
	// A user-facing string in a script would be a literal of several words
	// with a capital, a non-ASCII letter or punctuation; class lists,
	// selectors and keys are lower-case ASCII.
	literal := regexp.MustCompile("'([^'\\n]*)'|`([^`]*)`")
	files, _ := filepath.Glob("../../frontend/src/*.ts")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			text := action.ReplaceAllString(m[1]+m[2], "")
			if strings.HasPrefix(text, "/") {
				continue // a path
			}
			text = regexp.MustCompile(`\$\{[^}]*\}|<[^>]*>`).ReplaceAllString(text, " ")
			words := regexp.MustCompile(`\pL{2,}[ ,.:!?]+\pL{2,}`).MatchString(text)
			if words && regexp.MustCompile(`[A-Z]|[^\x00-\x7f]|[.,:!?] `).MatchString(text) {
				t.Errorf("%s: %q looks like text for people; take it from the catalogue", f, m[0])
			}
		}
	}
}

// No prose below web: errors and e-mails are worded by the catalogue, so
// no Go file outside web and i18n carries a bilingual "nb / en" literal
// as the error messages once did.
func TestNoProseBelowWeb(t *testing.T) {
	bilingual := regexp.MustCompile(`"[^"\n]*\pL[.!?)] / \p{Lu}[^"\n]*"`)
	files, _ := filepath.Glob("../*/*.go")
	if len(files) < 50 {
		t.Fatalf("found only %d files below web", len(files))
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.Contains(f, "/web/") || strings.Contains(f, "/i18n/") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range bilingual.FindAllString(string(src), -1) {
			t.Errorf("%s: %s is prose below web; give the error a catalogue key", f, m)
		}
	}
}
