// Package coverage shows where repair is missing: published listings per
// district and category, a choropleth of the districts, and the searches
// that found nothing, kept only as daily counts.
package coverage

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Table is the count of published listings per district and category. A
// listing in two categories counts once in each, and once in the totals.
type Table struct {
	Districts  []district.District
	Categories []category.Category
	// Cells[d][c] is the count for Districts[d] and Categories[c].
	Cells          [][]int
	DistrictTotals []int
	CategoryTotals []int
	Total          int
}

// Count makes the table of the published listings.
func Count(listings []*listing.Listing, districts []district.District, categories []category.Category) Table {
	t := Table{Districts: districts, Categories: categories, Cells: make([][]int, len(districts)),
		DistrictTotals: make([]int, len(districts)), CategoryTotals: make([]int, len(categories))}
	di, ci := map[string]int{}, map[string]int{}
	for i, d := range districts {
		di[d.Slug] = i
		t.Cells[i] = make([]int, len(categories))
	}
	for i, c := range categories {
		ci[c.Slug] = i
	}
	for _, l := range listings {
		d, ok := di[l.District]
		if !l.Published() || !ok {
			continue
		}
		t.Total++
		t.DistrictTotals[d]++
		for _, slug := range l.Categories {
			if c, ok := ci[slug]; ok {
				t.Cells[d][c]++
				t.CategoryTotals[c]++
			}
		}
	}
	return t
}

// Area is one district drawn on the choropleth.
type Area struct {
	District district.District
	Count    int
	// Class is 0 for no listings, else 1–4 from fewest to most.
	Class int
	// Path is the outline in the SVG's coordinates; LabelX/Y is where its
	// count is written (colour alone never carries the number).
	Path           string
	LabelX, LabelY float64
}

// Width of the choropleth's viewBox; the height follows the map's shape.
const Width = 600.0

// Choropleth draws the districts coloured by count. It returns the areas
// and the viewBox height.
func Choropleth(m *district.Map, counts map[string]int) ([]Area, float64) {
	var bound orb.Bound
	shapes := map[string]orb.MultiPolygon{}
	for i, d := range m.All() {
		s := simplify.DouglasPeucker(0.0004).MultiPolygon(m.Shape(d.Slug).Clone()) // ~40 m: plenty on a 600 px map
		shapes[d.Slug] = s
		if i == 0 {
			bound = s.Bound()
		} else {
			bound = bound.Union(s.Bound())
		}
	}
	// An equirectangular projection true at Bergen's latitude.
	kx := math.Cos(bound.Center().Lat() * math.Pi / 180)
	scale := Width / ((bound.Max.Lon() - bound.Min.Lon()) * kx)
	height := (bound.Max.Lat() - bound.Min.Lat()) * scale
	project := func(p orb.Point) (float64, float64) {
		return (p.Lon() - bound.Min.Lon()) * kx * scale, (bound.Max.Lat() - p.Lat()) * scale
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	var areas []Area
	for _, d := range m.All() {
		a := Area{District: d, Count: counts[d.Slug], Class: class(counts[d.Slug], most)}
		var b strings.Builder
		for _, poly := range shapes[d.Slug] {
			for _, ring := range poly {
				for i, p := range ring {
					x, y := project(p)
					cmd := "L"
					if i == 0 {
						cmd = "M"
					}
					fmt.Fprintf(&b, "%s%.1f %.1f", cmd, x, y)
				}
				b.WriteString("Z")
			}
		}
		a.Path = b.String()
		a.LabelX, a.LabelY = project(labelPoint(shapes[d.Slug]))
		areas = append(areas, a)
	}
	return areas, math.Round(height)
}

func class(n, most int) int {
	if n == 0 || most == 0 {
		return 0
	}
	return min(4, 1+(n*4-1)/most)
}

// labelPoint is the centre of the district's largest polygon's bound.
func labelPoint(mp orb.MultiPolygon) orb.Point {
	var best orb.Polygon
	for _, p := range mp {
		if best == nil || planar.Area(p) > planar.Area(best) {
			best = p
		}
	}
	return best.Bound().Center()
}
