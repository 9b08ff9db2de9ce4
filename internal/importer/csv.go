package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gosimple/slug"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Columns of an import CSV. The first name of each is the documented one;
// the others are accepted too. Column order does not matter.
var columns = []struct {
	field    string
	names    []string
	required bool
}{
	{"org_number", []string{"organisasjonsnummer", "orgnr", "org_number"}, false},
	{"name", []string{"navn", "name"}, true},
	{"street", []string{"gateadresse", "adresse", "street"}, false},
	{"postcode", []string{"postnummer", "postnr", "postcode"}, true},
	{"city", []string{"poststed", "city"}, false},
	{"category", []string{"kategori", "category"}, true},
	{"phone", []string{"telefon", "phone"}, false},
	{"website", []string{"nettside", "website"}, false},
	{"email", []string{"epost", "e-post", "email"}, false},
	{"services", []string{"tjenester", "services"}, false},
	{"lat", []string{"lat", "breddegrad"}, false},
	{"lng", []string{"lng", "lon", "lengdegrad"}, false},
}

// MaxRows bounds the rows of one file.
const MaxRows = 5000

// ErrFile is a file that cannot be read at all (not CSV, a required
// column missing); the message says what to change.
var ErrFile = errors.New("importer: unreadable file")

// ReadCSV reads an import CSV: comma or semicolon separated, UTF-8 with
// or without BOM, a header row naming the columns. A row with problems is
// returned with them, not dropped.
func (p *Planner) ReadCSV(data []byte) ([]Row, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	header, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		r.Comma = ';' // what a Norwegian spreadsheet writes
	}
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: no header row: %w", ErrFile, err)
	}
	index, err := columnIndex(head)
	if err != nil {
		return nil, err
	}
	var rows []Row
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if len(rows) == MaxRows {
			return nil, fmt.Errorf("%w: more than %d rows; split the file", ErrFile, MaxRows)
		}
		line := 0
		if err == nil {
			line, _ = r.FieldPos(0) // only a record read without error has positions
		}
		if bad, ok := rowError(err, rec, len(head), line); ok {
			rows = append(rows, bad)
			continue
		} else if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrFile, err)
		}
		get := func(field string) string {
			if i, ok := index[field]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // a blank line
		}
		rows = append(rows, p.csvRow(line, get))
	}
	return rows, nil
}

// columnIndex finds each known column in the header; a required one
// missing is a file error.
func columnIndex(head []string) (map[string]int, error) {
	index := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		for _, c := range columns {
			if slices.Contains(c.names, h) {
				index[c.field] = i
			}
		}
	}
	for _, c := range columns {
		if _, ok := index[c.field]; c.required && !ok {
			return nil, fmt.Errorf("%w: the column %q is missing", ErrFile, c.names[0])
		}
	}
	return index, nil
}

// rowError turns a row the CSV reader could not read, or read with more
// fields than the header or in another encoding than UTF-8, into a row
// with that problem and its line: the file's other rows still count.
func rowError(err error, rec []string, columns, line int) (Row, bool) {
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return Row{Line: pe.StartLine, Problems: []Problem{{Code: "csv_syntax", Value: pe.Err.Error()}}}, true
	case err != nil:
		return Row{}, false
	case len(rec) > columns:
		return Row{Line: line, Problems: []Problem{{Code: "csv_fields", Value: strconv.Itoa(len(rec))}}}, true
	}
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return Row{Line: line, Problems: []Problem{{Code: "csv_encoding"}}}, true
		}
	}
	return Row{}, false
}

func (p *Planner) csvRow(line int, get func(string) string) Row {
	row := Row{Line: line}
	l := &listing.Listing{
		Name: get("name"), OrgNumber: strings.ReplaceAll(get("org_number"), " ", ""),
		Address: listing.Address{Street: get("street"), Postcode: get("postcode"), City: get("city")},
		Phone:   get("phone"), Website: get("website"), Email: get("email"),
		Status: listing.StatusPublished, WheelchairAccessible: listing.WheelchairUnknown,
	}
	row.Listing = l
	for _, s := range strings.FieldsFunc(get("services"), func(r rune) bool { return r == ';' || r == '|' || r == ',' }) {
		l.Services = append(l.Services, strings.TrimSpace(s))
	}
	for _, text := range strings.FieldsFunc(get("category"), func(r rune) bool { return r == ';' || r == '|' || r == ',' }) {
		c, ok := category.Parse(text)
		if !ok {
			row.Problems = append(row.Problems, Problem{Field: "category", Code: "category", Value: text})
			continue
		}
		l.Categories = append(l.Categories, c.Slug)
	}
	if len(l.Categories) == 0 && len(row.Problems) == 0 {
		row.Problems = append(row.Problems, Problem{Field: "category", Code: "category"})
	}
	place, known := p.Postcodes.Lookup(l.Address.Postcode)
	if !known {
		row.Problems = append(row.Problems, Problem{Field: "postcode", Code: "postcode", Value: l.Address.Postcode})
	} else if l.Address.City == "" {
		l.Address.City = place.Name
	}
	lat, lng := get("lat"), get("lng")
	switch {
	case lat == "" && lng == "" && known:
		// No position: the postcode's centre, marked as approximate.
		l.Location, row.Approximate = listing.Location{Lat: place.Lat, Lng: place.Lng}, true
		l.ApproximatePosition = true // until Plan finds the address (see Planner.Geocoder)
	case lat == "" && lng == "":
	default:
		la, err1 := listing.ParseDecimal(strings.Replace(lat, ",", ".", 1))
		ln, err2 := listing.ParseDecimal(strings.Replace(lng, ",", ".", 1))
		if err1 != nil || err2 != nil {
			row.Problems = append(row.Problems, Problem{Field: "location", Code: "location", Value: lat + " " + lng})
		}
		l.Location = listing.Location{Lat: la, Lng: ln}
	}
	ref := "orgnr:" + l.OrgNumber
	if l.OrgNumber == "" {
		ref = "navn:" + slug.Make(l.Name) + ":" + l.Address.Postcode
	}
	l.Source = listing.Source{Kind: listing.SourceImport, Ref: ref}
	p.check(&row)
	return row
}
