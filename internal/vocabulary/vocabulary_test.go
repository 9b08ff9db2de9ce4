package vocabulary_test

import (
	"slices"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/vocabulary"
	indexsettings "github.com/bergenreparerer/reparerer/search"
)

func builtIn(t *testing.T) *vocabulary.Vocabulary {
	t.Helper()
	f, err := vocabulary.Parse(indexsettings.Vocabulary)
	if err != nil {
		t.Fatal(err)
	}
	return vocabulary.New(f)
}

func TestBuiltInVocabularyCoversEveryCategory(t *testing.T) {
	f, err := vocabulary.Parse(indexsettings.Vocabulary)
	if err != nil {
		t.Fatal(err)
	}
	if v := vocabulary.New(f); v.Len() < 600 {
		t.Errorf("%d words, want at least 600", v.Len())
	}
	per := map[string]int{}
	for _, g := range f.Groups {
		for _, c := range g.Categories {
			per[c] += len(g.Terms)
		}
	}
	for _, c := range category.All() {
		if per[c.Slug] < 10 {
			t.Errorf("category %s has %d words, want at least 10", c.Slug, per[c.Slug])
		}
	}
}

func TestReadingWords(t *testing.T) {
	v := builtIn(t)
	cats := func(e vocabulary.Entry, ok bool) []string {
		if !ok {
			return nil
		}
		return e.Categories
	}
	for _, tt := range []struct {
		name string
		got  []string
		want []string
	}{
		{"exact", cats(v.Lookup("glidelås")), []string{"klaer"}},
		{"phrase", cats(v.Lookup("legge opp")), []string{"klaer"}},
		{"prefix", cats(v.Prefix("glidel")), []string{"klaer"}},
		{"prefix too vague", cats(v.Prefix("sk")), nil},
		{"typo", func() []string { e, _, ok := v.Typo("smyke"); return cats(e, ok) }(), []string{"ur-smykker"}},
		{"short word, no typo", func() []string { e, _, ok := v.Typo("sko2"); return cats(e, ok) }(), nil},
		{"compound narrows", func() []string { e, _, ok := v.Compound("klokkebatteri"); return cats(e, ok) }(), []string{"ur-smykker"}},
		{"compound head", func() []string { e, _, ok := v.Compound("ullbukse"); return cats(e, ok) }(), []string{"klaer"}},
		{"hyphen", func() []string { e, _, ok := v.Compound("el-sparkesykkel"); return cats(e, ok) }(), []string{"sykkel"}},
		{"stem", func() []string { e, _, ok := v.Stem("sykkelverkstedene"); return cats(e, ok) }(), []string{"sykkel"}},
	} {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if !v.Ignored("bytte") || v.Ignored("glidelås") {
		t.Error("bytte is a filler, glidelås is not")
	}
}

func TestParseRefusesBadFiles(t *testing.T) {
	for name, data := range map[string]string{
		"not json":         `{`,
		"unknown field":    `{"groups": [], "extra": 1}`,
		"unknown kind":     `{"groups": [{"categories": ["klaer"], "kind": "thing", "terms": ["x"]}]}`,
		"unknown category": `{"groups": [{"categories": ["biler"], "kind": "object", "terms": ["bil"]}]}`,
		"no category":      `{"groups": [{"categories": [], "kind": "object", "terms": ["bil"]}]}`,
		"empty term":       `{"groups": [{"categories": ["klaer"], "kind": "object", "terms": [" "]}]}`,
		"control":          `{"groups": [{"categories": ["klaer"], "kind": "object", "terms": ["a\u0007"]}]}`,
		"too many words":   `{"groups": [{"categories": ["klaer"], "kind": "object", "terms": ["a b c d e"]}]}`,
	} {
		if _, err := vocabulary.Parse([]byte(data)); apperr.CodeOf(err) != apperr.CodeInvalidParameter {
			t.Errorf("%s: %v, want an invalid-input error", name, err)
		}
	}
}

func TestFingerprintFollowsTheWords(t *testing.T) {
	file := func(kind vocabulary.Kind, category string, terms ...string) vocabulary.File {
		return vocabulary.File{Ignore: []string{"takk"}, Groups: []vocabulary.Group{{Categories: []string{category}, Kind: kind, Terms: terms}}}
	}
	base := file(vocabulary.KindObject, "sko", "støvel", "sandal")
	if vocabulary.New(base).Fingerprint() != vocabulary.Fingerprint(file(vocabulary.KindObject, "sko", "støvel", "sandal")) {
		t.Error("the same words, different fingerprints")
	}
	for name, other := range map[string][]vocabulary.File{
		"a term more":        {file(vocabulary.KindObject, "sko", "støvel", "sandal", "tøffel")},
		"another kind":       {file(vocabulary.KindTrade, "sko", "støvel", "sandal")},
		"another category":   {file(vocabulary.KindObject, "klaer", "støvel", "sandal")},
		"terms run together": {file(vocabulary.KindObject, "sko", "støvelsandal")},
		"a filler less":      {{Groups: base.Groups}},
		"a second file":      {base, {}},
	} {
		if vocabulary.Fingerprint(other...) == vocabulary.Fingerprint(base) {
			t.Errorf("%s: the fingerprint did not change", name)
		}
	}
}
