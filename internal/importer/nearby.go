package importer

import (
	"math"
	"slices"

	"github.com/bergenreparerer/reparerer/internal/listing"
)

// known indexes the listings a file is planned against, so each row is
// compared only with the listings it could be — the same organisation
// number, the same few hundred metres, the same street address — and a
// plan grows with rows plus listings rather than rows times listings.
type known struct {
	all   []*listing.Listing
	names []string         // comparableName of each
	byOrg map[string]int   // organisation number → first listing with it
	cells map[cell][]int   // grid cell → listings in it
	addr  map[string][]int // postcode and comparable street → listings there
}

// cell is a grid square about 110 m on a side at Bergen's latitude: the
// listings within DuplicateDistance of a point lie in its cell or the
// eight around it.
type cell struct{ lat, lng int32 }

const (
	cellLat = 0.001 // degrees: ~111 m
	cellLng = 0.002 // degrees: ~111 m at 60° N
)

func cellOf(loc listing.Location) cell {
	return cell{int32(math.Floor(loc.Lat / cellLat)), int32(math.Floor(loc.Lng / cellLng))}
}

func addressKey(l *listing.Listing) string {
	return l.Address.Postcode + "|" + comparableStreet(l.Address.Street)
}

func index(all []*listing.Listing) *known {
	k := &known{all: all, names: make([]string, len(all)), byOrg: map[string]int{}, cells: map[cell][]int{}, addr: map[string][]int{}}
	for i, l := range all {
		k.names[i] = comparableName(l.Name)
		if _, seen := k.byOrg[l.OrgNumber]; l.OrgNumber != "" && !seen {
			k.byOrg[l.OrgNumber] = i
		}
		c := cellOf(l.Location)
		k.cells[c] = append(k.cells[c], i)
		a := addressKey(l)
		k.addr[a] = append(k.addr[a], i)
	}
	return k
}

// near lists, in the listings' order, those that may be within
// DuplicateDistance of loc, and — for an approximate row — those at the
// same street address.
func (k *known) near(cand *listing.Listing, approximate bool) []int {
	var out []int
	c := cellOf(cand.Location)
	for dlat := int32(-1); dlat <= 1; dlat++ {
		for dlng := int32(-1); dlng <= 1; dlng++ {
			out = append(out, k.cells[cell{c.lat + dlat, c.lng + dlng}]...)
		}
	}
	if approximate {
		out = append(out, k.addr[addressKey(cand)]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
