// Command benchseed fills a store with N synthetic listings spread over
// Bergen's districts, for scripts/bench.sh. It is not part of the service.
package main

import (
	"context"
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
	db := flag.String("db", "bench.db", "SQLite file")
	flag.Parse()
	if err := run(*n, *db); err != nil {
		fmt.Fprintln(os.Stderr, "benchseed:", err)
		os.Exit(1)
	}
}

func run(n int, path string) error {
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
		if err := svc.Create(ctx, l, listing.Change{Actor: "benchseed", Action: listing.ActionCreate}); err != nil {
			return err
		}
		i++
	}
	fmt.Printf("benchseed: %d listings in %s\n", n, path)
	return nil
}
