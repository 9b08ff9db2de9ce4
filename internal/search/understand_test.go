package search

import (
	"slices"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/vocabulary"
	indexsettings "github.com/bergenreparerer/reparerer/search"
)

func TestReaderReadsQueries(t *testing.T) {
	r := testReader(t)
	for _, tt := range []struct {
		text       string
		categories []string
		near       string
		ignored    []string
		terms      []string
	}{
		{"bytte glidelås i jakka på åsane", []string{"klaer"}, "Åsane", []string{"bytte", "i", "på"}, nil},
		{"skomaker 5003", []string{"sko"}, "5003 Bergen", nil, nil},
		{"iphone skjerm", []string{"mobil-data"}, "", nil, nil},                                         // the things' common category
		{"lappe slange", []string{"sykkel"}, "", nil, nil},                                              // a thing rules a repair
		{"klokkebatteri", []string{"ur-smykker"}, "", nil, nil},                                         // a compound, narrowed
		{"fix my bike near Nesttun", []string{"sykkel"}, "Nesttun", []string{"fix", "my", "near"}, nil}, // English, a postal place
		{"kobbersmed sentrum", nil, "Sentrum", nil, []string{"kobbersmed"}},                             // an unknown word stays text
		{"Skoene?", []string{"sko"}, "", nil, nil},                                                      // case and punctuation
	} {
		in := r.Read(tt.text)
		near := ""
		if in.Near != nil {
			near = in.Near.Name
		}
		if !slices.Equal(in.Categories, nonNil(tt.categories)) || near != tt.near || !slices.Equal(in.Ignored, nonNil(tt.ignored)) || !slices.Equal(in.Terms, nonNil(tt.terms)) {
			t.Errorf("%q: %+v near %q", tt.text, in, near)
		}
	}
}

func TestApplyKeepsChosenCategories(t *testing.T) {
	r := testReader(t)
	q := Query{Text: "glidelås", Categories: []string{"sko"}, Page: 1, PerPage: 20}
	r.Apply(&q)
	if len(q.Implied) != 0 || q.Text != "glidelås" {
		t.Errorf("a word of another category inside a chosen one is searched as text: %+v", q)
	}
	q = Query{Text: "skomaker åsane", Page: 1, PerPage: 20}
	r.Apply(&q)
	if q.Origin == nil || q.NearName != "Åsane" || !q.Cacheable() || q.Ranking != "" {
		t.Errorf("a named place is the origin of a cacheable search ranked by distance alone: %+v", q)
	}
	q = Query{Text: "glidelås", Literal: true, Page: 1, PerPage: 20}
	r.Apply(&q)
	if q.Interpreted != nil || q.Text != "glidelås" {
		t.Errorf("a literal search was read: %+v", q)
	}
}

// Instances share cached answers, so the key of a query read with the
// vocabulary must name that vocabulary by what it holds, not by how many
// times this process loaded one: two instances, or one restarted, with
// the same words give the same key, and different words never do.
func TestCacheKeyNamesTheVocabularyByItsWords(t *testing.T) {
	key := func(r *Reader) string {
		q := Query{Text: "kobbersmed", Page: 1, PerPage: 20}
		r.Apply(&q)
		return q.CacheKey(now)
	}
	a, b := testReader(t), testReader(t)
	base := a.Vocabulary()
	a.SetVocabulary(base) // loaded again: the same words
	if key(a) != key(b) {
		t.Errorf("the same vocabulary, different keys: %q %q", key(a), key(b))
	}
	more := vocabulary.File{Groups: []vocabulary.Group{{Categories: []string{"ur-smykker"}, Kind: vocabulary.KindObject, Terms: []string{"kobbersmed"}}}}
	file, err := vocabulary.Parse(indexsettings.Vocabulary)
	if err != nil {
		t.Fatal(err)
	}
	b.SetVocabulary(vocabulary.New(file, more))
	if key(a) == key(b) {
		t.Errorf("different vocabularies, one key: %q", key(a))
	}
	a.SetVocabulary(vocabulary.New(file, more))
	if key(a) != key(b) {
		t.Errorf("the same additions on two instances, different keys: %q %q", key(a), key(b))
	}
}
