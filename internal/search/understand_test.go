package search

import (
	"slices"
	"testing"
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
