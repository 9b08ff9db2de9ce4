package registersync

import (
	"strings"
	"unicode"
)

// NamesMatch reports whether a register name plausibly names the business
// a directory listing names: a distinctive word in common (or one word a
// long prefix of the other: "sykkelverksted" and "sykkelverkstedet"), or
// one name contained in the other once spaces go. Legal forms and words
// every repairer's name may have ("Bergen", "service") do not count. It
// catches a mistyped number, which names another business entirely; a
// trade name unlike the legal name is for the repairer to leave out.
func NamesMatch(register, directory string) bool {
	a, b := nameWords(register), nameWords(directory)
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	joinedA, joinedB := strings.Join(a, ""), strings.Join(b, "")
	if strings.Contains(joinedA, joinedB) || strings.Contains(joinedB, joinedA) {
		return true
	}
	for _, x := range a {
		for _, y := range b {
			if x == y || commonPrefix(x, y) >= 6 {
				return true
			}
		}
	}
	return false
}

// commonWords are left out of names before comparing them.
var commonWords = map[string]bool{
	"as": true, "asa": true, "ans": true, "da": true, "enk": true, "sa": true, "nuf": true, "ba": true, "ks": true,
	"og": true, "i": true, "på": true, "v": true, "the": true, "and": true, "of": true,
	"bergen": true, "norge": true, "norway": true, "service": true, "services": true, "senter": true, "sentrum": true,
	"reparasjon": true, "reparasjoner": true, "verksted": true, "verkstedet": true, "butikk": true, "handel": true, "shop": true,
}

func nameWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) >= 2 && !commonWords[w] {
			out = append(out, w)
		}
	}
	return out
}

func commonPrefix(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n := 0
	for n < len(ra) && n < len(rb) && ra[n] == rb[n] {
		n++
	}
	return n
}
