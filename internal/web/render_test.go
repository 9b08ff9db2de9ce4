package web

import (
	"testing"

	"github.com/bergenreparerer/reparerer/internal/i18n"
)

func TestLanguageLinks(t *testing.T) {
	q := map[string][]string{"q": {"sko"}, "lang": {"en"}}
	if got := withLang("/", q, i18n.NB); got != "/?q=sko" {
		t.Errorf("canonical bokmål = %q", got)
	}
	if got := withLang("/", q, i18n.EN); got != "/?lang=en&q=sko" {
		t.Errorf("canonical English = %q", got)
	}
	// The switch always names the language, so it replaces the cookie's.
	if got := switchLang("/om", nil, i18n.NB); got != "/om?lang=nb" {
		t.Errorf("switch to bokmål = %q", got)
	}
}
