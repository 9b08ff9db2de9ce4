// Package district knows Bergen's eight city districts (bydeler) and which
// one a point lies in.
package district

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

//go:embed bydeler.geojson
var bydelerGeoJSON []byte

// Attribution must accompany any use of the polygons.
const Attribution = "© Kartverket / SSB, CC BY 4.0"

// District is one bydel. Slug is stable and part of the public API.
type District struct {
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	Number string `json:"number"`
}

// slugs maps SSB's district numbers to our slugs.
var slugs = map[string]string{
	"460101": "arna", "460102": "bergenhus", "460103": "fana", "460104": "fyllingsdalen",
	"460105": "laksevag", "460106": "ytrebygda", "460107": "arstad", "460108": "asane",
}

type area struct {
	District
	shape orb.MultiPolygon
	bound orb.Bound
}

// Map holds the district polygons. It is read-only after Load and safe for
// concurrent use.
type Map struct {
	areas   []area // sorted by Number: the order breaks ties on shared borders
	geojson []byte
	bySlug  map[string]District
}

// Load parses the embedded district polygons.
func Load() (*Map, error) {
	fc, err := geojson.UnmarshalFeatureCollection(bydelerGeoJSON)
	if err != nil {
		return nil, fmt.Errorf("district: parse polygons: %w", err)
	}
	m := &Map{bySlug: map[string]District{}}
	for _, f := range fc.Features {
		number := f.Properties.MustString("bydelnr", "")
		slug, ok := slugs[number]
		if !ok {
			return nil, fmt.Errorf("district: unknown bydelnr %q", number)
		}
		shape, ok := f.Geometry.(orb.MultiPolygon)
		if !ok {
			return nil, fmt.Errorf("district: %s is a %s, want a MultiPolygon", slug, f.Geometry.GeoJSONType())
		}
		d := District{Slug: slug, Name: f.Properties.MustString("bydelnavn", ""), Number: number}
		m.areas = append(m.areas, area{District: d, shape: shape, bound: shape.Bound()})
		m.bySlug[slug] = d
		f.Properties = geojson.Properties{"slug": d.Slug, "name": d.Name, "number": d.Number}
	}
	if len(m.areas) != len(slugs) {
		return nil, fmt.Errorf("district: got %d polygons, want %d", len(m.areas), len(slugs))
	}
	sort.Slice(m.areas, func(i, j int) bool { return m.areas[i].Number < m.areas[j].Number })
	if m.geojson, err = json.Marshal(fc); err != nil {
		return nil, fmt.Errorf("district: encode polygons: %w", err)
	}
	return m, nil
}

// Locate returns the district that contains the point (lat, lng). A point on
// a border shared by two districts belongs to the one with the lower SSB
// number, so the answer never depends on map order.
func (m *Map) Locate(lat, lng float64) (District, bool) {
	p := orb.Point{lng, lat} // orb is [lon, lat]
	for _, a := range m.areas {
		if a.bound.Contains(p) && planar.MultiPolygonContains(a.shape, p) {
			return a.District, true
		}
	}
	return District{}, false
}

// All returns the districts in SSB number order, which is also their
// Norwegian alphabetical order (Arna … Årstad, Åsane).
func (m *Map) All() []District {
	out := make([]District, 0, len(m.areas))
	for _, a := range m.areas {
		out = append(out, a.District)
	}
	return out
}

// Lookup returns the district with the given slug.
func (m *Map) Lookup(slug string) (District, bool) {
	d, ok := m.bySlug[slug]
	return d, ok
}

// Name is the name of the district with the given slug, or the slug
// itself when there is none (so a list never shows a blank).
func (m *Map) Name(slug string) string {
	if d, ok := m.bySlug[slug]; ok {
		return d.Name
	}
	return slug
}

// Shape returns the polygon of a district (nil for an unknown slug).
func (m *Map) Shape(slug string) orb.MultiPolygon {
	for _, a := range m.areas {
		if a.Slug == slug {
			return a.shape
		}
	}
	return nil
}

// GeoJSON returns the polygons as a FeatureCollection whose properties are
// slug, name and number.
func (m *Map) GeoJSON() []byte { return m.geojson }

// ValidSlug reports whether slug names one of the eight districts, without
// loading the polygons.
func ValidSlug(slug string) bool {
	for _, s := range slugs {
		if s == slug {
			return true
		}
	}
	return false
}
