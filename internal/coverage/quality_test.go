package coverage

import (
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

func TestQuality(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	recent, old := now.AddDate(0, -2, 0), now.AddDate(-2, 0, 0)
	hours, err := openinghours.ParseOSM("Mo-Fr 10:00-17:00")
	if err != nil {
		t.Fatal(err)
	}
	ls := []*listing.Listing{
		{ID: "a", District: "bergenhus", Categories: []string{"sko"}, Status: listing.StatusPublished, VerifiedAt: &recent, OpeningHours: hours,
			Phone: "+4755000000", OrgNumber: "974760673", Address: listing.Address{Street: "Marken 1"}},
		{ID: "b", District: "bergenhus", Categories: []string{"sko"}, Status: listing.StatusPublished, VerifiedAt: &old, ApproximatePosition: true,
			OrgNumber: "923609016"}, // changed since the register matched another number
		{ID: "c", District: "bergenhus", Categories: []string{"sko"}, Status: listing.StatusPublished, OrgNumber: "988888888"}, // not matched
		{District: "fana", Categories: []string{"klaer"}, Status: listing.StatusPublished, ConfirmedAt: &recent},
		{District: "fana", Categories: []string{"klaer"}, Status: listing.StatusHidden, VerifiedAt: &recent}, // not counted
	}
	matched := map[string]string{"a": "974760673", "b": "974760673"}
	byDistrict, byCategory := Quality(ls, matched, [][2]string{{"bergenhus", "Bergenhus"}, {"fana", "Fana"}}, [][2]string{{"sko", "Sko"}, {"klaer", "Klær"}}, now)
	if b := byDistrict[0]; b.Listings != 3 || b.Checked != 33 || b.KnownHours != 33 || b.ExactPosition != 33 || b.Phone != 33 || b.RegisterMatch != 33 {
		t.Errorf("Bergenhus %+v", b)
	}
	if f := byDistrict[1]; f.Listings != 1 || f.Checked != 100 {
		t.Errorf("Fana %+v (confirmed counts as checked; a hidden one is left out)", f)
	}
	if total := byCategory[len(byCategory)-1]; total.Listings != 4 || total.Checked != 50 {
		t.Errorf("total %+v", total)
	}
}
