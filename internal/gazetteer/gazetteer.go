// Package gazetteer finds the places residents name in a search: the city
// districts, Bergen's postal places, well-known areas (search/places.json)
// and postcodes, each with a point to measure distances from.
package gazetteer

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/vocabulary"
	indexsettings "github.com/bergenreparerer/reparerer/search"
)

// Place is a named place with the point searches near it are measured
// from, and the district that point lies in.
type Place struct {
	Name     string  `json:"name"`
	Lat      float64 `json:"lat"`
	Lng      float64 `json:"lng"`
	District string  `json:"-"`
}

// Gazetteer maps normalised names (and postcodes) to places. It is
// read-only after Load and safe for concurrent use.
type Gazetteer struct {
	byName   map[string]Place
	maxWords int
}

type placesFile struct {
	About string `json:"about"`
	Areas []struct {
		Name      string   `json:"name"`
		Aliases   []string `json:"aliases"`
		Postcodes []string `json:"postcodes"`
	} `json:"areas"`
	DistrictAliases map[string]string `json:"district_aliases"`
}

// Load builds the gazetteer. A district or a postal place is the
// population-weighted centre of its postcodes: where people live and
// shops are, not the middle of a forest.
func Load(districts *district.Map, postcodes *postcode.Book) (*Gazetteer, error) {
	var f placesFile
	if err := json.Unmarshal(indexsettings.Places, &f); err != nil {
		return nil, fmt.Errorf("gazetteer: search/places.json: %w", err)
	}
	g := &Gazetteer{byName: map[string]Place{}, maxWords: 1}
	byDistrict := map[string][]postcode.Place{}
	byPostalPlace := map[string][]postcode.Place{}
	for _, pc := range postcodes.All() {
		if d, ok := districts.Locate(pc.Lat, pc.Lng); ok {
			byDistrict[d.Slug] = append(byDistrict[d.Slug], pc)
			g.add(pc.Code, Place{Name: pc.Code + " " + pc.Name, Lat: pc.Lat, Lng: pc.Lng, District: d.Slug})
		}
		if pc.InUse && pc.Name != "Bergen" {
			byPostalPlace[pc.Name] = append(byPostalPlace[pc.Name], pc)
		}
	}
	for name, pcs := range byPostalPlace {
		g.add(name, g.centre(districts, name, pcs))
	}
	for _, a := range f.Areas {
		var pcs []postcode.Place
		for _, code := range a.Postcodes {
			pc, ok := postcodes.Lookup(code)
			if !ok {
				return nil, fmt.Errorf("gazetteer: area %s: unknown postcode %s", a.Name, code)
			}
			pcs = append(pcs, pc)
		}
		p := g.centre(districts, a.Name, pcs)
		for _, alias := range append([]string{a.Name}, a.Aliases...) {
			g.add(alias, p)
		}
	}
	// Districts last: "Laksevåg" is a postal place and a district, and
	// the district is what people mean.
	for alias, slug := range f.DistrictAliases {
		d, ok := districts.Lookup(slug)
		if !ok || len(byDistrict[slug]) == 0 {
			return nil, fmt.Errorf("gazetteer: district alias %s: unknown district %s", alias, slug)
		}
		g.add(alias, g.centre(districts, d.Name, byDistrict[slug]))
	}
	for _, d := range districts.All() {
		if pcs := byDistrict[d.Slug]; len(pcs) > 0 {
			g.add(d.Name, g.centre(districts, d.Name, pcs))
		}
	}
	return g, nil
}

func (g *Gazetteer) add(name string, p Place) {
	key := vocabulary.Normalize(name)
	g.byName[key] = p
	g.maxWords = max(g.maxWords, len(strings.Fields(key)))
}

// centre is the population-weighted mean of the postcodes (the plain mean
// when none has a population), placed in its district.
func (g *Gazetteer) centre(districts *district.Map, name string, pcs []postcode.Place) Place {
	var lat, lng, weight float64
	for _, pc := range pcs {
		w := float64(pc.Population)
		lat, lng, weight = lat+w*pc.Lat, lng+w*pc.Lng, weight+w
	}
	if weight == 0 {
		for _, pc := range pcs {
			lat, lng, weight = lat+pc.Lat, lng+pc.Lng, weight+1
		}
	}
	p := Place{Name: name, Lat: round(lat / weight), Lng: round(lng / weight)}
	if d, ok := districts.Locate(p.Lat, p.Lng); ok {
		p.District = d.Slug
	}
	return p
}

func round(f float64) float64 { return float64(int64(f*1e5+0.5)) / 1e5 }

// Lookup returns the place a normalised name or postcode names.
func (g *Gazetteer) Lookup(name string) (Place, bool) {
	p, ok := g.byName[name]
	return p, ok
}

// MaxWords is the number of words of the longest name.
func (g *Gazetteer) MaxWords() int { return g.maxWords }
