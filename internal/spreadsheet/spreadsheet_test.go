package spreadsheet_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/spreadsheet"
)

// payloads are what the black-box test planted, and their kin.
var payloads = []string{
	"=1+1", "+HYPERLINK(\"http://evil.example\",\"klikk\")", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
	"sko;=HYPERLINK(\"http://evil.example\")", "glidelås; +1", "a,=1", "linje\n=1", "sko|@SUM(1)", " =1",
	"+4755000000",
}

// Each file is opened as spreadsheets open it: by the CSV rules, and by
// splitting every line on ";" as Excel with Norwegian settings does (and
// on tabs). No cell may start with a formula trigger.
func TestNoCellRunsAsAFormula(t *testing.T) {
	rows := make([][]string, 0, len(payloads))
	for _, p := range payloads {
		rows = append(rows, []string{p, "Skomaker " + p})
	}
	body, err := spreadsheet.Write([]string{"a", "b"}, rows)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	for _, r := range parsed {
		cells = append(cells, r...)
	}
	for _, line := range strings.Split(string(body), "\n") {
		for _, part := range strings.FieldsFunc(line, func(r rune) bool { return r == ';' || r == '\t' || r == ',' || r == '|' || r == '\r' }) {
			cells = append(cells, strings.TrimLeft(part, ` "`))
		}
	}
	for _, c := range cells {
		if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
			t.Errorf("a cell a spreadsheet would run: %q\nfile:\n%s", c, body)
		}
	}
	// Defused text still reads as the text: only apostrophes were added.
	for i, r := range parsed[1:] {
		if strings.ReplaceAll(r[0], "'", "") != strings.ReplaceAll(payloads[i], "'", "") {
			t.Errorf("%q became %q", payloads[i], r[0])
		}
	}
}

func TestList(t *testing.T) {
	if got := spreadsheet.List([]string{"sko", "klaer"}); got != "sko|klaer" {
		t.Errorf("List = %q", got)
	}
}
