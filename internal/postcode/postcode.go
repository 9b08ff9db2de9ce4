// Package postcode finds the centre of a Bergen postcode, so that a resident
// who will not share their position can still search "near me".
package postcode

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

//go:embed bergen_postnummer.csv
var data []byte

// Attribution is the credit the postcode data requires (CC BY 3.0).
const Attribution = "Postnummerdata frå Erik Bolstad (CC BY 3.0), https://www.erikbolstad.no/postnummer/"

// Place is the centre of one postcode.
type Place struct {
	Code     string
	Name     string // poststed, e.g. "Bergen", "Nyborg"
	Lat, Lng float64
	// Population is the number of residents (FOLKETAL), 0 when unknown.
	Population int
	// InUse is false for codes no longer given out ("ikkje i bruk").
	InUse bool
}

// Book is every Bergen postcode.
type Book struct{ byCode map[string]Place }

// Load reads the embedded postcode list.
func Load() (*Book, error) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(rows) < 2 {
		return nil, fmt.Errorf("postcode: read list: %w", err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, name := range []string{"POSTNR", "POSTSTAD", "LAT", "LON"} {
		if _, ok := col[name]; !ok {
			return nil, fmt.Errorf("postcode: list has no %s column", name)
		}
	}
	b := &Book{byCode: make(map[string]Place, len(rows)-1)}
	for _, r := range rows[1:] {
		lat, err1 := strconv.ParseFloat(r[col["LAT"]], 64)
		lng, err2 := strconv.ParseFloat(r[col["LON"]], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("postcode: %s has no usable coordinates", r[col["POSTNR"]])
		}
		p := Place{Code: r[col["POSTNR"]], Name: r[col["POSTSTAD"]], Lat: lat, Lng: lng}
		if i, ok := col["FOLKETAL"]; ok {
			p.Population, _ = strconv.Atoi(r[i]) // empty: unknown
		}
		p.Name, p.InUse = strings.CutSuffix(p.Name, " (ikkje i bruk)")
		p.InUse = !p.InUse
		b.byCode[p.Code] = p
	}
	return b, nil
}

// Lookup returns the place of a 4-digit postcode, if it is in Bergen.
func (b *Book) Lookup(code string) (Place, bool) {
	p, ok := b.byCode[code]
	return p, ok
}

// All returns every postcode, in code order.
func (b *Book) All() []Place {
	out := make([]Place, 0, len(b.byCode))
	for _, p := range b.byCode {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Place) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// Len is the number of postcodes.
func (b *Book) Len() int { return len(b.byCode) }
