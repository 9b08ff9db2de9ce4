// Package spreadsheet writes the CSV files people open in a spreadsheet —
// every export of the service (open data, the voucher list, coverage,
// missed searches, import problems) — so that no cell runs as a formula:
// neither a cell that starts with a formula trigger (= + - @, tab, CR) nor
// a part of one after a separator, which a spreadsheet reading the file
// with another delimiter (Excel in Norwegian splits on ";") makes a cell
// of its own. Lists inside a cell are joined with "|", as the importer
// reads them, never with ";" or ",".
package spreadsheet

import (
	"bytes"
	"encoding/csv"
	"strings"
)

// ListSeparator joins several values in one cell.
const ListSeparator = "|"

// List is several values as one cell.
func List(values []string) string { return strings.Join(values, ListSeparator) }

// Write encodes the header and rows as CSV (comma-separated, quoted where
// needed), every cell defused.
func Write(header []string, rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(header); err != nil {
		return nil, err
	}
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, v := range r {
			cells[i] = Defuse(v)
		}
		if err := w.Write(cells); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// Defuse makes a cell inert: an apostrophe before a formula trigger at its
// start and after every separator a spreadsheet may split on (spaces
// between them included), so that each part a spreadsheet may make a cell
// of starts as text.
func Defuse(v string) string {
	var b strings.Builder
	b.Grow(len(v) + 2)
	atStart := true // at the start of the cell or of a part after a separator
	for _, r := range v {
		if atStart && isTrigger(r) {
			b.WriteByte('\'')
		}
		switch {
		case strings.ContainsRune(";,\n\r\t|", r):
			atStart = true
		case r != ' ': // spaces keep a part's start open: "; =1" is split as " =1"
			atStart = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isTrigger(r rune) bool { return strings.ContainsRune("=+-@\t\r", r) }
