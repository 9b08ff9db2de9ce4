package app_test

import (
	"bufio"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// relevanceTarget is the share of relevance cases that must pass.
const relevanceTarget = 0.95

type relevanceCase struct {
	line   int
	query  string
	k      int
	places []string // each among the first k hits
	only   string   // a category slug: the first k hits are all in it
}

func readRelevanceCases(t *testing.T) []relevanceCase {
	t.Helper()
	f, err := os.Open("testdata/relevance.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []relevanceCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 3 {
			t.Fatalf("relevance.txt:%d: want query | k | expectations", n)
		}
		k, err := strconv.Atoi(strings.TrimSpace(parts[1]))
		if err != nil || k < 1 {
			t.Fatalf("relevance.txt:%d: k %q", n, parts[1])
		}
		c := relevanceCase{line: n, query: strings.TrimSpace(parts[0]), k: k}
		for _, e := range strings.Split(parts[2], ";") {
			e = strings.TrimSpace(e)
			switch {
			case strings.HasPrefix(e, "="):
				c.only = e[1:]
			case e != "":
				c.places = append(c.places, e)
			}
		}
		if c.only == "" && len(c.places) == 0 {
			t.Fatalf("relevance.txt:%d: no expectation", n)
		}
		out = append(out, c)
	}
	return out
}

// check returns why the answer fails the case, or "".
func (c relevanceCase) check(r searchResponse) string {
	top := r.Hits[:min(c.k, len(r.Hits))]
	if len(top) == 0 {
		return "no hits"
	}
	for _, want := range c.places {
		if !slices.ContainsFunc(top, func(h searchHit) bool { return h.Name == want }) {
			return fmt.Sprintf("%s not in the first %d: %v", want, c.k, names(r)[:len(top)])
		}
	}
	if c.only != "" {
		for _, h := range top {
			if !slices.Contains(h.Categories, c.only) {
				return fmt.Sprintf("%s (%v) in the first %d, want only %s", h.Name, h.Categories, c.k, c.only)
			}
		}
	}
	return ""
}

// TestRelevance runs the resident queries of testdata/relevance.txt on the
// real OpenStreetMap places and a fixture for every category OSM lacks, and
// reports the share that pass.
func TestRelevance(t *testing.T) {
	e := start(t, setup{})
	importRealData(t, e)
	seedEveryCategory(e)
	e.waitIndexed()
	cases := readRelevanceCases(t)
	if len(cases) < 150 {
		t.Fatalf("%d relevance cases, want at least 150", len(cases))
	}
	var failed []string
	for _, c := range cases {
		r := e.search(url.Values{"q": {c.query}, "per_page": {"20"}})
		if why := c.check(r); why != "" {
			failed = append(failed, fmt.Sprintf("relevance.txt:%d %q: %s", c.line, c.query, why))
		}
	}
	share := float64(len(cases)-len(failed)) / float64(len(cases))
	t.Logf("relevance: %d of %d cases pass (%.1f %%)", len(cases)-len(failed), len(cases), 100*share)
	if share < relevanceTarget {
		t.Errorf("relevance %.1f %% is below the target %.0f %%; failing cases:\n%s", 100*share, 100*relevanceTarget, strings.Join(failed, "\n"))
	} else if len(failed) > 0 {
		t.Logf("failing cases:\n%s", strings.Join(failed, "\n"))
	}
}

// seedEveryCategory adds made-up places for the categories the OSM
// snapshot has nothing (or one place) for, each with the services such a
// shop lists.
func seedEveryCategory(e *env) {
	e.t.Helper()
	for _, f := range []struct {
		name       string
		at         [2]float64
		categories []string
		services   []string
	}{
		{"Hvitevareservice Fyllingsdalen", [2]float64{60.3490, 5.2920}, []string{"hvitevarer"}, []string{"vaskemaskin", "oppvaskmaskin", "tørketrommel", "kjøleskap", "komfyr"}},
		{"Møbeltapetserer Sandviken", [2]float64{60.4090, 5.3220}, []string{"mobler"}, []string{"ompolstring", "trekking av stoler", "sofa"}},
		{"Friluftsverkstedet Minde", [2]float64{60.3720, 5.3380}, []string{"sport-friluft"}, []string{"skiservice", "teltreparasjon", "impregnering"}},
		{"Gitarverkstedet Nordnes", [2]float64{60.3980, 5.3100}, []string{"instrumenter"}, []string{"gitar", "strengeskift", "fiolin"}},
		{"Småmotorservice Kokstad", [2]float64{60.2930, 5.2600}, []string{"verktoy"}, []string{"gressklipper", "motorsag", "snøfreser"}},
		{"Reparasjonskafé Loddefjord", [2]float64{60.3600, 5.2300}, []string{"reparasjonskafe"}, []string{"fiksekveld"}},
		{"Nøkkelservice Torget", [2]float64{60.3950, 5.3260}, []string{"annet"}, []string{"nøkkelkopiering", "låsesmed"}},
		{"Lyd og Bilde Åsane", [2]float64{60.4660, 5.3230}, []string{"elektronikk"}, []string{"tv", "forsterker", "platespiller", "høyttaler"}},
		{"Gullsmed Bryggen", [2]float64{60.3975, 5.3240}, []string{"ur-smykker"}, []string{"smykkereparasjon", "ring", "kjede"}},
		{"iFiks Arna", [2]float64{60.4200, 5.4700}, []string{"mobil-data"}, []string{"skjermbytte", "batteribytte"}},
	} {
		l := place(f.name, f.at, f.categories, "Mo-Fr 10:00-17:00")
		l.Services = f.services
		e.create(l)
	}
}
