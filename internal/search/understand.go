package search

import (
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/bergenreparerer/reparerer/internal/gazetteer"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/vocabulary"
)

// Interpretation is what a query's text was read as; the answer carries
// it so that the page can say "Viser skreddere – glidelås" and undo it.
type Interpretation struct {
	// Categories are the categories the words imply; their listings come
	// first.
	Categories []string `json:"categories"`
	// Districts are the districts of the places named.
	Districts []string `json:"districts"`
	// Kinds are the kinds of place the words name ("brukt": second-hand
	// shops); none: the places that repair.
	Kinds []string `json:"kinds"`
	// Near is the place named: results are sorted by distance from it.
	Near *Near `json:"near"`
	// Ignored are words that carry no meaning in a repair search.
	Ignored []string `json:"ignored"`
	// Terms are the words not understood, searched as text.
	Terms []string `json:"terms"`
	// Understood are the words read as categories, and how.
	Understood []Understood `json:"understood"`
}

// Near is a named place.
type Near struct {
	Name string  `json:"name"`
	Lat  float64 `json:"lat"`
	Lng  float64 `json:"lng"`
}

// Understood is one word or phrase read as categories.
type Understood struct {
	Word       string   `json:"word"`
	ReadAs     string   `json:"read_as,omitempty"` // the known word, when Word was not one
	How        string   `json:"how"`               // exact, stem, compound, prefix or typo
	Categories []string `json:"categories"`
	kind       vocabulary.Kind
}

// Reader reads the text of queries. Its vocabulary can be replaced while
// it serves (the municipality's additions take effect at once).
type Reader struct {
	vocab  atomic.Pointer[vocabulary.Vocabulary]
	places *gazetteer.Gazetteer
}

// NewReader reads queries with a vocabulary and a gazetteer.
func NewReader(v *vocabulary.Vocabulary, places *gazetteer.Gazetteer) *Reader {
	r := &Reader{places: places}
	r.SetVocabulary(v)
	return r
}

// SetVocabulary replaces the vocabulary; cached answers read with the old
// one are no longer used (their keys carry its fingerprint).
func (r *Reader) SetVocabulary(v *vocabulary.Vocabulary) { r.vocab.Store(v) }

// Vocabulary is the vocabulary in use.
func (r *Reader) Vocabulary() *vocabulary.Vocabulary { return r.vocab.Load() }

// Read reads a query's text (as ParseQuery left it).
func (r *Reader) Read(text string) Interpretation { return r.read(r.vocab.Load(), text) }

func (r *Reader) read(v *vocabulary.Vocabulary, text string) Interpretation {
	in := Interpretation{Categories: []string{}, Districts: []string{}, Kinds: []string{}, Ignored: []string{}, Terms: []string{}, Understood: []Understood{}}
	words := tokens(text)
	longest := max(v.MaxWords(), r.places.MaxWords())
	for i := 0; i < len(words); {
		n := r.readPhrase(v, &in, words[i:min(len(words), i+longest)])
		if n == 0 {
			r.readWord(v, &in, words[i], i == len(words)-1)
			n = 1
		}
		i += n
	}
	in.Categories = impliedCategories(in.Understood)
	return in
}

// readPhrase reads the longest known phrase at the start of words and
// returns how many words it took (0: none known).
func (r *Reader) readPhrase(v *vocabulary.Vocabulary, in *Interpretation, words []string) int {
	for n := len(words); n >= 1; n-- {
		phrase := strings.Join(words[:n], " ")
		if kind, ok := kindWords[phrase]; ok {
			in.addKind(kind)
			return n
		}
		if e, ok := v.Lookup(phrase); ok {
			in.Understood = append(in.Understood, Understood{Word: phrase, How: "exact", Categories: e.Categories, kind: e.Kind})
			return n
		}
		if p, ok := r.places.Lookup(phrase); ok {
			if in.Near == nil {
				in.Near = &Near{Name: p.Name, Lat: p.Lat, Lng: p.Lng}
			}
			if p.District != "" && !slices.Contains(in.Districts, p.District) {
				in.Districts = append(in.Districts, p.District)
			}
			return n
		}
		if v.Ignored(phrase) {
			in.Ignored = append(in.Ignored, phrase)
			return n
		}
	}
	return 0
}

// kindWords name kinds of place other than repair: "brukt jakke" asks for
// a second-hand shop that has jackets, "leie sykkel" for bikes to rent.
var kindWords = map[string]string{
	"brukt": listing.KindSecondHand, "bruktbutikk": listing.KindSecondHand, "bruktbutikker": listing.KindSecondHand,
	"bruktbutikken": listing.KindSecondHand, "gjenbruk": listing.KindSecondHand, "gjenbruksbutikk": listing.KindSecondHand,
	"brukthandel": listing.KindSecondHand, "secondhand": listing.KindSecondHand, "second-hand": listing.KindSecondHand,
	"second hand": listing.KindSecondHand, "vintage": listing.KindSecondHand, "antikk": listing.KindSecondHand,
	"antikviteter": listing.KindSecondHand, "loppemarked": listing.KindSecondHand, "loppis": listing.KindSecondHand,
	"used": listing.KindSecondHand, "thrift": listing.KindSecondHand,
	"leie": listing.KindRental, "utleie": listing.KindRental, "leies": listing.KindRental, "låne": listing.KindRental,
	"lån": listing.KindRental, "utlån": listing.KindRental, "lånes": listing.KindRental, "rent": listing.KindRental,
	"rental": listing.KindRental, "hire": listing.KindRental, "borrow": listing.KindRental,
	"utstyrsbibliotek": listing.KindRental, "utstyrssentral": listing.KindRental,
	"refurbished": listing.KindRefurbished, "oppusset": listing.KindRefurbished, "overhalt": listing.KindRefurbished,
	"refurb": listing.KindRefurbished,
}

// kindPrefixes start compounds that name a kind ("bruktjakke").
var kindPrefixes = []struct{ prefix, kind string }{
	{"brukt", listing.KindSecondHand}, {"gjenbruks", listing.KindSecondHand}, {"leie", listing.KindRental}, {"utleie", listing.KindRental},
}

// kindCompound reads a word that starts with a kind's prefix and goes on
// with at least three letters.
func kindCompound(w string) (kind, rest string, ok bool) {
	for _, p := range kindPrefixes {
		if rest, ok := strings.CutPrefix(w, p.prefix); ok && utf8.RuneCountInString(rest) >= 3 {
			return p.kind, rest, true
		}
	}
	return "", "", false
}

func (in *Interpretation) addKind(kind string) {
	if !slices.Contains(in.Kinds, kind) {
		in.Kinds = append(in.Kinds, kind)
		slices.Sort(in.Kinds)
	}
}

// readWord reads a word that is not in the vocabulary as it stands: a
// form of a known word, a compound, a half-typed last word or a typo.
func (r *Reader) readWord(v *vocabulary.Vocabulary, in *Interpretation, w string, last bool) {
	add := func(how, readAs string, e vocabulary.Entry) {
		in.Understood = append(in.Understood, Understood{Word: w, ReadAs: readAs, How: how, Categories: e.Categories, kind: e.Kind})
	}
	if e, base, ok := v.Stem(w); ok {
		add("stem", base, e)
		return
	}
	if kind, rest, ok := kindCompound(w); ok {
		// "bruktjakke", "leiesykkel": the kind, and the thing if known.
		in.addKind(kind)
		if e, ok := v.Lookup(rest); ok {
			add("compound", rest, e)
		} else if e, base, ok := v.Stem(rest); ok {
			add("compound", base, e)
		}
		return
	}
	if e, parts, ok := v.Compound(w); ok {
		add("compound", strings.Join(parts, " + "), e)
		return
	}
	if last {
		if e, ok := v.Prefix(w); ok {
			add("prefix", "", e)
			return
		}
	}
	if e, nearest, ok := v.Typo(w); ok {
		add("typo", nearest, e)
		return
	}
	in.Terms = append(in.Terms, w)
}

// impliedCategories are the categories of the things named (trades,
// objects, parts), narrowed by the repairs named when they agree: "lappe
// bukse" is clothes, "lappe slange" a bike. Several things share their
// common categories ("iphone skjerm" is a phone), or else all of theirs.
func impliedCategories(us []Understood) []string {
	var things, repairs [][]string
	for _, u := range us {
		if u.kind == vocabulary.KindRepair {
			repairs = append(repairs, u.Categories)
		} else {
			things = append(things, u.Categories)
		}
	}
	if len(things) == 0 {
		return sorted(shared(repairs))
	}
	cats := shared(things)
	if len(repairs) > 0 {
		var both []string
		for _, c := range cats {
			if slices.ContainsFunc(repairs, func(r []string) bool { return slices.Contains(r, c) }) {
				both = append(both, c)
			}
		}
		if len(both) > 0 {
			cats = both
		}
	}
	return sorted(cats)
}

// shared is the categories every set has, or the union when none is
// common to all.
func shared(sets [][]string) []string {
	if len(sets) == 0 {
		return []string{}
	}
	var common, union []string
	for _, c := range sets[0] {
		if !slices.ContainsFunc(sets[1:], func(s []string) bool { return !slices.Contains(s, c) }) {
			common = append(common, c)
		}
	}
	if len(common) > 0 {
		return common
	}
	for _, s := range sets {
		for _, c := range s {
			if !slices.Contains(union, c) {
				union = append(union, c)
			}
		}
	}
	return union
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	if out == nil {
		return []string{}
	}
	return out
}

// vocabularyForm is text as the vocabulary writes words.
func vocabularyForm(text string) string { return vocabulary.Normalize(text) }

// tokens splits normalised text into words, without the punctuation
// around them ("skoene?" is "skoene"; "el-sykkel" keeps its hyphen).
func tokens(text string) []string {
	var out []string
	for _, f := range strings.Fields(vocabulary.Normalize(text)) {
		f = strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// rankingWords are the words that order the listings of the implied
// categories: the words named (a listing that lists "sykkelservice" among
// its services comes before one that is only in the category) and the
// words not understood. A trade word matches every listing of its
// category alike, so where distance orders them (byDistance) it would
// only cost the index work, and is left out.
func (in Interpretation) rankingWords(byDistance bool) string {
	var words []string
	for _, u := range in.Understood {
		if byDistance && u.kind == vocabulary.KindTrade {
			continue
		}
		w := u.Word
		if u.How == "typo" || u.How == "stem" {
			w = u.ReadAs
		}
		if u.How == "compound" {
			words = append(words, strings.Split(u.ReadAs, " + ")...)
			continue
		}
		words = append(words, w)
	}
	return strings.Join(append(words, in.Terms...), " ")
}

// Apply reads q.Text (unless q is literal) and fills in what the index
// needs: the implied categories, the words that rank within them, the
// words left for a text search, and the place named as the origin when
// the query has none.
func (r *Reader) Apply(q *Query) {
	if q.Literal || q.Text == "" {
		return
	}
	v := r.vocab.Load()
	in := r.read(v, q.Text)
	q.Interpreted, q.typed = &in, q.Text
	q.vocabulary = v.Fingerprint() // of the very vocabulary it was read with
	if in.Near != nil && q.Origin == nil {
		q.Origin = &Point{Lat: in.Near.Lat, Lng: in.Near.Lng}
		q.NearName = in.Near.Name
	}
	q.Implied = in.Categories
	if len(q.Kinds) == 0 {
		q.Kinds, q.kindsRead = in.Kinds, len(in.Kinds) > 0 // a kind chosen in the form rules over words
	}
	q.Ranking = in.rankingWords(q.Origin != nil)
	q.Text = strings.Join(in.Terms, " ")
	if len(q.Categories) > 0 {
		// The categories chosen rule: the words imply what they share with
		// them, and otherwise are searched as text inside them (a cobbler
		// may well replace a bag's zipper).
		q.Implied = intersect(q.Implied, q.Categories)
		if len(q.Implied) == 0 {
			q.Text, q.Ranking = strings.TrimSpace(in.rankingWords(false)), ""
		}
	}
}
