// Command benchseed fills a store with N synthetic listings spread over
// Bergen's districts, for scripts/bench.sh, or (-osm) writes them as an
// OpenStreetMap GeoJSON file for "reparerer import" to read. It is not part
// of the service.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/store"
)

var hours = []string{"Mo-Fr 10:00-17:00; Sa 10:00-15:00", "Mo-Fr 09:00-16:30", "Tu-Fr 11:00-18:00, Sa 10:00-14:00", "Mo-Th 10:13-15:00", "Fr-Sa 22:00-03:00", ""}

var services = []string{"sålereparasjon", "glidelås", "skjermbytte", "batteribytte", "omsøm", "punktering", "hælfiks", "legge opp bukse"}

func main() {
	n := flag.Int("n", 10000, "how many listings")
	db := flag.String("db", "bench.db", "the store: a SQLite file or a postgres:// URL")
	osm := flag.String("osm", "", "write an OpenStreetMap GeoJSON file instead of filling the store")
	flag.Parse()
	run := func() error { return fill(*n, *db) }
	if *osm != "" {
		run = func() error { return writeOSM(*n, *osm) }
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchseed:", err)
		os.Exit(1)
	}
}

func fill(n int, path string) error {
	ctx := context.Background()
	districts, err := district.Load()
	if err != nil {
		return err
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close() //nolint:errcheck // a benchmark seed: the writes above are committed
	svc := &listing.Service{Store: s, Districts: districts, Now: time.Now}
	rng := rand.New(rand.NewPCG(1, 2)) // the same listings every run
	cats := category.All()
	for i := 0; i < n; {
		// Rejection-sample a point inside Bergen's districts.
		lat, lng := 60.25+rng.Float64()*0.30, 5.10+rng.Float64()*0.55
		if _, ok := districts.Locate(lat, lng); !ok {
			continue
		}
		c := cats[rng.IntN(len(cats))]
		l := &listing.Listing{
			Name:       fmt.Sprintf("%s %d", c.NameNB, i),
			Categories: []string{c.Slug},
			Services:   []string{services[rng.IntN(len(services))], services[rng.IntN(len(services))]},
			Location:   listing.Location{Lat: lat, Lng: lng},
			Address:    listing.Address{City: "Bergen"},
			Status:     listing.StatusPublished, AcceptsRepairVoucher: rng.IntN(4) == 0,
			Source: listing.Source{Kind: listing.SourceImport, Ref: fmt.Sprintf("bench/%d", i)},
		}
		if h := hours[rng.IntN(len(hours))]; h != "" {
			if l.OpeningHours, err = openinghours.ParseOSM(h); err != nil {
				return err
			}
		}
		l.Conditions = conditions(rng)
		if err := svc.Create(ctx, l, listing.Change{Actor: "benchseed", Action: listing.ActionCreate}); err != nil {
			return err
		}
		i++
	}
	fmt.Printf("benchseed: %d listings in %s\n", n, path)
	return nil
}

// osmKinds are tags of OSM repair places the importer maps to categories.
var osmKinds = []map[string]string{
	{"craft": "shoemaker"}, {"craft": "tailor"}, {"shop": "bicycle", "service:bicycle:repair": "yes"},
	{"shop": "mobile_phone", "repair": "yes"}, {"craft": "watchmaker"}, {"craft": "electronics_repair"},
	{"shop": "clothes", "clothes:repair": "yes"}, {"craft": "upholsterer"},
}

var streets = []string{"Strandgaten", "Olav Kyrres gate", "Nygårdsgaten", "Kalfarveien", "Åsane senter", "Fanavegen", "Lyderhornsveien", "Arnatveitvegen"}

// writeOSM writes n repair places at points inside Bergen's districts as
// the GeoJSON that scripts/data holds (the Overpass export's shape), with
// addresses, so that an import geocodes nothing.
func writeOSM(n int, path string) error {
	districts, err := district.Load()
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(3, 4)) // the same file every run
	type feature struct {
		Type       string            `json:"type"`
		ID         string            `json:"id"`
		Properties map[string]string `json:"properties"`
		Geometry   struct {
			Type        string     `json:"type"`
			Coordinates [2]float64 `json:"coordinates"`
		} `json:"geometry"`
	}
	features := make([]feature, 0, n)
	for i := 0; len(features) < n; i++ {
		lat, lng := 60.25+rng.Float64()*0.30, 5.10+rng.Float64()*0.55
		if _, ok := districts.Locate(lat, lng); !ok {
			continue
		}
		f := feature{Type: "Feature", ID: fmt.Sprintf("node/%d", 9000000000+i)}
		f.Geometry.Type, f.Geometry.Coordinates = "Point", [2]float64{lng, lat}
		f.Properties = map[string]string{"name": fmt.Sprintf("Verksted %d", i), "id": f.ID,
			"addr:street": streets[rng.IntN(len(streets))], "addr:housenumber": fmt.Sprint(1 + rng.IntN(120)),
			"addr:postcode": fmt.Sprintf("50%02d", 3+rng.IntN(90)), "addr:city": "Bergen",
			"phone": fmt.Sprintf("+47 55 %02d %02d %02d", rng.IntN(100), rng.IntN(100), rng.IntN(100))}
		if h := hours[rng.IntN(len(hours))]; h != "" {
			f.Properties["opening_hours"] = h
		}
		for k, v := range osmKinds[rng.IntN(len(osmKinds))] {
			f.Properties[k] = v
		}
		features = append(features, f)
	}
	body, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": features})
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, body, 0o644); err != nil {
		return err
	}
	fmt.Printf("benchseed: %d OpenStreetMap places in %s\n", n, path)
	return nil
}

// conditions are repair conditions as a directory might hold them: about
// half of the listings state some, the rest nothing (unknown).
func conditions(rng *rand.Rand) listing.Conditions {
	var c listing.Conditions
	if rng.IntN(2) == 0 {
		return c
	}
	warranty := []int{0, 3, 6, 12}[rng.IntN(4)]
	c.WarrantyMonths = &warranty
	c.Loaner = []string{"", "yes", "no"}[rng.IntN(3)]
	c.Turnaround = listing.Turnarounds[rng.IntN(len(listing.Turnarounds))]
	c.Where = []string{listing.RepairPlaces[rng.IntN(len(listing.RepairPlaces))]}
	return c
}
