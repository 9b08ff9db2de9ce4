package importer

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/bergenreparerer/reparerer/internal/listing"
)

// bruteDuplicate is findDuplicate as it was, comparing a row with every
// listing: the reference the index must agree with.
func bruteDuplicate(cand *listing.Listing, all []*listing.Listing, approximate bool) (*listing.Listing, string) {
	here := orb.Point{cand.Location.Lng, cand.Location.Lat}
	distance := func(l *listing.Listing) float64 { return geo.Distance(here, orb.Point{l.Location.Lng, l.Location.Lat}) }
	for _, l := range all {
		if cand.OrgNumber != "" && l.OrgNumber == cand.OrgNumber {
			return l, "org_number"
		}
	}
	name, street := comparableName(cand.Name), comparableStreet(cand.Address.Street)
	for _, l := range all {
		if cand.OrgNumber != "" && l.OrgNumber != "" || !similarNames(name, comparableName(l.Name)) {
			continue
		}
		if distance(l) <= DuplicateDistance {
			return l, "name_nearby"
		}
		if approximate && l.Address.Postcode == cand.Address.Postcode && street == comparableStreet(l.Address.Street) {
			return l, "name_address"
		}
	}
	return nil, ""
}

// The index finds exactly what comparing with every listing finds, on
// crowded random data: close names, close places, shared addresses and
// organisation numbers.
func TestIndexedDuplicatesMatchTheReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	names := []string{"Skomaker Hansen", "Skomakeren Hansen", "Sykkelhuset", "Sykkel Huset AS", "Urmaker Berg", "Urmakeren", "Fiks Mobil"}
	random := func(i int) *listing.Listing {
		l := &listing.Listing{Name: fmt.Sprintf("%s %d", names[r.IntN(len(names))], r.IntN(3)),
			Address:  listing.Address{Street: fmt.Sprintf("Gate %d", r.IntN(4)), Postcode: fmt.Sprintf("50%02d", r.IntN(3))},
			Location: listing.Location{Lat: 60.39 + r.Float64()*0.004, Lng: 5.32 + r.Float64()*0.008}}
		if r.IntN(5) == 0 {
			l.OrgNumber = fmt.Sprintf("9%08d", r.IntN(40))
		}
		l.ID = fmt.Sprint(i)
		return l
	}
	all := make([]*listing.Listing, 400)
	for i := range all {
		all[i] = random(i)
	}
	k := index(all)
	seen := map[string]int{}
	for i := 0; i < 2000; i++ {
		cand, approximate := random(-1), r.IntN(2) == 0
		want, wantMatch := bruteDuplicate(cand, all, approximate)
		got, gotMatch, _ := findDuplicate(cand, k, approximate)
		if got != want || gotMatch != wantMatch {
			t.Fatalf("%+v (approximate %v): got %v %q, want %v %q", cand, approximate, got, gotMatch, want, wantMatch)
		}
		seen[wantMatch]++
	}
	for _, kind := range []string{"", "org_number", "name_nearby", "name_address"} {
		if seen[kind] == 0 {
			t.Errorf("the random data never gave %q; matches seen: %v", kind, seen)
		}
	}
}
