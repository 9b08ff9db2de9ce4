// Package vocabulary knows what residents call the things they want
// repaired: words and phrases (objects, parts, repairs, trades) mapped to
// repair categories, and the words that carry no meaning in a repair
// search. The built-in file is search/vocabulary.json; the municipality
// adds groups in the same format.
package vocabulary

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
)

// Kind is what a word names.
type Kind string

// Kinds of words. A trade or an object says more about the category than
// a repair ("lappe" is clothes, but "lappe slange" is a bike).
const (
	KindTrade  Kind = "trade"  // who repairs: "skomaker"
	KindObject Kind = "object" // the thing: "jakke"
	KindPart   Kind = "part"   // a part of it: "glidelås"
	KindRepair Kind = "repair" // what is done: "lappe"
)

// Limits of a vocabulary file.
const (
	MaxTermRunes  = 60
	MaxTermWords  = 4
	MaxFileGroups = 2000
	MaxFileTerms  = 20000
)

// Group is words of one kind that imply the same categories.
type Group struct {
	Categories []string `json:"categories"`
	Kind       Kind     `json:"kind"`
	Terms      []string `json:"terms"`
}

// File is the vocabulary file format.
type File struct {
	About  string   `json:"about,omitempty"`
	Ignore []string `json:"ignore,omitempty"`
	Groups []Group  `json:"groups"`
}

// Parse reads and checks a vocabulary file. Every problem is an apperr
// naming the field "file".
func Parse(data []byte) (File, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return File{}, apperr.Invalid("file", "err.vocabulary.not_json", "detail", err.Error())
	}
	return f, f.Check()
}

// Check validates a file and normalises its words in place.
func (f *File) Check() error {
	if len(f.Groups) > MaxFileGroups {
		return apperr.Invalid("file", "err.vocabulary.too_many_groups", "max", MaxFileGroups)
	}
	n := len(f.Ignore)
	for i, w := range f.Ignore {
		t, err := checkTerm(w)
		if err != nil {
			return err
		}
		f.Ignore[i] = t
	}
	for gi := range f.Groups {
		g := &f.Groups[gi]
		switch g.Kind {
		case KindTrade, KindObject, KindPart, KindRepair:
		case KindIgnore:
			return apperr.Invalid("file", "err.vocabulary.kind", "group", gi+1, "kind", string(g.Kind))
		default:
			return apperr.Invalid("file", "err.vocabulary.kind", "group", gi+1, "kind", string(g.Kind))
		}
		if len(g.Categories) == 0 {
			return apperr.Invalid("file", "err.vocabulary.no_category", "group", gi+1)
		}
		for _, c := range g.Categories {
			if !category.Valid(c) {
				return apperr.Invalid("file", "err.vocabulary.category", "group", gi+1, "category", c)
			}
		}
		for ti, w := range g.Terms {
			t, err := checkTerm(w)
			if err != nil {
				return err
			}
			g.Terms[ti] = t
		}
		n += len(g.Terms)
	}
	if n > MaxFileTerms {
		return apperr.Invalid("file", "err.vocabulary.too_many_terms", "max", MaxFileTerms)
	}
	return nil
}

func checkTerm(w string) (string, error) {
	t := Normalize(w)
	switch {
	case !utf8.ValidString(w) || t == "":
		return "", apperr.Invalid("file", "err.vocabulary.term_empty")
	case utf8.RuneCountInString(t) > MaxTermRunes || len(strings.Fields(t)) > MaxTermWords:
		return "", apperr.Invalid("file", "err.vocabulary.term_too_long", "term", t, "max", MaxTermRunes)
	}
	for _, r := range t {
		if r < 0x20 || r == 0x7f {
			return "", apperr.Invalid("file", "err.vocabulary.term_control", "term", t)
		}
	}
	return t, nil
}

// Normalize is the form words are compared in: NFC, lower case, single
// spaces, no punctuation at either end.
func Normalize(s string) string {
	s = strings.ToLower(norm.NFC.String(s))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }), " ")
}

// Entry is what a word implies.
type Entry struct {
	Categories []string // in file order, unique
	Kind       Kind
}

// Vocabulary is built from one or more files; it is read-only and safe
// for concurrent use.
type Vocabulary struct {
	words    map[string]Entry
	ignore   map[string]bool
	maxWords int
	singles  []string // single words, sorted: prefix and typo lookups
	terms    int
	// fingerprint is Fingerprint of the files it was built from.
	fingerprint uint64
}

// New merges files: a word in several groups implies all their categories,
// and the strongest kind among them.
func New(files ...File) *Vocabulary {
	v := &Vocabulary{words: map[string]Entry{}, ignore: map[string]bool{}, maxWords: 1, fingerprint: Fingerprint(files...)}
	for _, f := range files {
		for _, w := range f.Ignore {
			v.ignore[w] = true
			v.maxWords = max(v.maxWords, len(strings.Fields(w)))
		}
		for _, g := range f.Groups {
			for _, t := range g.Terms {
				v.add(t, g)
			}
		}
	}
	for w := range v.words {
		if !strings.Contains(w, " ") {
			v.singles = append(v.singles, w)
		}
		v.maxWords = max(v.maxWords, len(strings.Fields(w)))
	}
	sort.Strings(v.singles)
	return v
}

// Fingerprint says which vocabulary the files make: the same files give
// the same number in every instance and every run, so it tells instances
// whether they read queries alike (cached answers carry it) and whether
// the additions changed.
func Fingerprint(files ...File) uint64 {
	h := fnv.New64a()
	field := func(s string) {
		h.Write([]byte(s))
		h.Write([]byte{0}) // no term holds a NUL, so fields never run together
	}
	for _, f := range files {
		field("ignore")
		for _, w := range f.Ignore {
			field(w)
		}
		for _, g := range f.Groups {
			field("group " + string(g.Kind))
			for _, c := range g.Categories {
				field(c)
			}
			field("terms")
			for _, t := range g.Terms {
				field(t)
			}
		}
		field("end of file")
	}
	return h.Sum64()
}

// Fingerprint is the Fingerprint of the files v was built from.
func (v *Vocabulary) Fingerprint() uint64 { return v.fingerprint }

func (v *Vocabulary) add(term string, g Group) {
	e, seen := v.words[term]
	if !seen {
		v.terms++
		e.Kind = g.Kind
	} else if strength(g.Kind) > strength(e.Kind) {
		e.Kind = g.Kind
	}
	for _, c := range g.Categories {
		if !slices.Contains(e.Categories, c) {
			e.Categories = append(e.Categories, c)
		}
	}
	v.words[term] = e
	delete(v.ignore, term) // a word that names something is not a filler
}

func strength(k Kind) int {
	switch k {
	case KindTrade, KindObject:
		return 2
	case KindPart:
		return 1
	case KindRepair, KindIgnore:
	}
	return 0
}

// Len is the number of distinct words and phrases that imply categories.
func (v *Vocabulary) Len() int { return v.terms }

// MaxWords is the number of words of the longest phrase.
func (v *Vocabulary) MaxWords() int { return v.maxWords }

// Singles returns the single words that imply categories, sorted.
func (v *Vocabulary) Singles() []string { return slices.Clone(v.singles) }

// Lookup returns what a normalised word or phrase implies.
func (v *Vocabulary) Lookup(term string) (Entry, bool) {
	e, ok := v.words[term]
	return e, ok
}

// Ignored reports whether a normalised word or phrase carries no meaning
// in a repair search ("bytte", "på", "repair").
func (v *Vocabulary) Ignored(term string) bool { return v.ignore[term] }

// Completion is a word that completes a prefix, with its categories.
type Completion struct {
	Word       string
	Categories []string
}

// Complete returns up to limit single words that begin with prefix (at
// least two letters), the shortest first: the likeliest to be meant.
func (v *Vocabulary) Complete(prefix string, limit int) []Completion {
	if utf8.RuneCountInString(prefix) < 2 || strings.Contains(prefix, " ") {
		return nil
	}
	var words []string
	for i := sort.SearchStrings(v.singles, prefix); i < len(v.singles) && strings.HasPrefix(v.singles[i], prefix); i++ {
		words = append(words, v.singles[i])
	}
	slices.SortStableFunc(words, func(a, b string) int { return len(a) - len(b) })
	out := make([]Completion, 0, min(limit, len(words)))
	for _, w := range words[:min(limit, len(words))] {
		out = append(out, Completion{Word: w, Categories: v.words[w].Categories})
	}
	return out
}

// maxPrefixCategories bounds how vague a half-typed word may be and still
// be read as its categories.
const maxPrefixCategories = 2

// Prefix reads a half-typed word (at least three letters): the categories
// of every word it begins, when they are few.
func (v *Vocabulary) Prefix(word string) (Entry, bool) {
	if utf8.RuneCountInString(word) < 3 {
		return Entry{}, false
	}
	i := sort.SearchStrings(v.singles, word)
	var e Entry
	for ; i < len(v.singles) && strings.HasPrefix(v.singles[i], word); i++ {
		e = merge(e, v.words[v.singles[i]])
		if len(e.Categories) > maxPrefixCategories {
			return Entry{}, false
		}
	}
	return e, len(e.Categories) > 0
}

// Typo reads a misspelt word: the categories of the nearest words (one
// edit for five letters or more, two for nine or more), when they agree
// on few categories. It returns the nearest word too.
func (v *Vocabulary) Typo(word string) (Entry, string, bool) {
	n := utf8.RuneCountInString(word)
	allowed := 0
	switch {
	case n >= 9:
		allowed = 2
	case n >= 5:
		allowed = 1
	default:
		return Entry{}, "", false
	}
	rw := []rune(word)
	best, nearest := allowed+1, ""
	var e Entry
	for _, s := range v.singles {
		if d := utf8.RuneCountInString(s) - n; d > allowed || d < -allowed {
			continue
		}
		d := distance(rw, []rune(s), best)
		switch {
		case d < best:
			best, nearest, e = d, s, v.words[s]
		case d == best:
			e = merge(e, v.words[s])
		}
	}
	if nearest == "" || len(e.Categories) > maxPrefixCategories {
		return Entry{}, "", false
	}
	return e, nearest, true
}

// Compound reads a word made of known words, Norwegian fashion: the last
// part names the thing ("dunjakke" is a jakke), a known first part narrows
// it ("klokkebatteri" is a watch's battery). It returns the parts it knew.
func (v *Vocabulary) Compound(word string) (Entry, []string, bool) {
	if strings.Contains(word, "-") {
		parts := strings.Split(word, "-")
		return v.combine(parts)
	}
	r := []rune(word)
	for i := 2; i <= len(r)-3; i++ { // the longest known last part
		head := string(r[i:])
		he, ok := v.words[head]
		if !ok {
			continue
		}
		mod := string(r[:i])
		for _, m := range []string{mod, strings.TrimSuffix(mod, "s"), strings.TrimSuffix(mod, "e")} {
			if me, ok := v.words[m]; ok && utf8.RuneCountInString(m) >= 2 {
				e := narrow(he, me)
				return e, []string{m, head}, true
			}
		}
		return he, []string{head}, true
	}
	return Entry{}, nil, false
}

func (v *Vocabulary) combine(parts []string) (Entry, []string, bool) {
	var known []string
	var e Entry
	for _, p := range parts {
		if pe, ok := v.words[p]; ok {
			if len(e.Categories) == 0 {
				e = pe
			} else {
				e = narrow(pe, e)
			}
			known = append(known, p)
		}
	}
	return e, known, len(known) > 0
}

// Stem strips the common Norwegian noun endings, for the forms the file
// does not list ("sykkelverkstedene").
func (v *Vocabulary) Stem(word string) (Entry, string, bool) {
	for _, suffix := range []string{"ene", "ane", "en", "et", "er", "ar", "a", "e"} {
		base, ok := strings.CutSuffix(word, suffix)
		if !ok || utf8.RuneCountInString(base) < 3 {
			continue
		}
		if e, ok := v.words[base]; ok {
			return e, base, true
		}
	}
	return Entry{}, "", false
}

// narrow is the categories of head that modifier shares, or head's and
// then modifier's when they share none.
func narrow(head, modifier Entry) Entry {
	var shared []string
	for _, c := range head.Categories {
		if slices.Contains(modifier.Categories, c) {
			shared = append(shared, c)
		}
	}
	if len(shared) > 0 {
		return Entry{Categories: shared, Kind: head.Kind}
	}
	return merge(head, modifier)
}

func merge(a, b Entry) Entry {
	out := Entry{Categories: slices.Clone(a.Categories), Kind: a.Kind}
	if strength(b.Kind) > strength(out.Kind) || out.Kind == "" {
		out.Kind = b.Kind
	}
	for _, c := range b.Categories {
		if !slices.Contains(out.Categories, c) {
			out.Categories = append(out.Categories, c)
		}
	}
	return out
}

// distance is the optimal string alignment distance of a and b (edits,
// with a swap of neighbours as one), or limit once it is sure to exceed it.
func distance(a, b []rune, limit int) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// Encode writes a file in the same form as search/vocabulary.json.
func Encode(f File) ([]byte, error) {
	b, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return nil, fmt.Errorf("vocabulary: encode: %w", err)
	}
	return append(b, '\n'), nil
}
