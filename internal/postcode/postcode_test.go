package postcode

import (
	"math"
	"testing"
)

func TestLookup(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Len(); got != 251 {
		t.Errorf("Len = %d, want the 251 rows of the list", got)
	}
	p, ok := b.Lookup("5003")
	if !ok {
		t.Fatal("5003 not found")
	}
	if p.Name != "Bergen" || math.Abs(p.Lat-60.3986) > 1e-9 || math.Abs(p.Lng-5.3256) > 1e-9 {
		t.Errorf("5003 = %+v, want Bergen at 60.3986, 5.3256", p)
	}
	for _, code := range []string{"0150", "9999", "", "50O3", "5003 "} {
		if _, ok := b.Lookup(code); ok {
			t.Errorf("Lookup(%q) found a Bergen postcode", code)
		}
	}
}
