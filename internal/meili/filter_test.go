package meili

import (
	"strconv"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/search"
)

func TestFilterIsBuiltFromValidatedValues(t *testing.T) {
	at := time.Date(2026, 11, 28, 10, 7, 0, 0, time.UTC)
	q := search.Query{
		Categories: []string{"klaer", "sko"}, Districts: []string{"fana"}, Voucher: true,
		Origin: &search.Point{Lat: 60.39, Lng: 5.32}, RadiusM: 1500,
		BBox: &search.BBox{MinLng: 5.2, MinLat: 60.3, MaxLng: 5.4, MaxLat: 60.5}, OpenAt: &at,
	}
	minute := at.Unix() / 60
	want := `categories IN ["klaer", "sko"] AND district IN ["fana"] AND accepts_repair_voucher = true AND ` +
		`_geoRadius(60.39, 5.32, 1500) AND _geoBoundingBox([60.5, 5.4], [60.3, 5.2]) AND ` +
		`(open_slots = ` + itoa(minute/15) + ` OR open_minutes = ` + itoa(minute) + `)`
	if got := Filter(q); got != want {
		t.Errorf("Filter =\n%s\nwant\n%s", got, want)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// The document's _geo is {lat, lng} from listing.Location; a swap would put
// Bergen in the Indian Ocean.
func TestDocumentGeoOrder(t *testing.T) {
	districts, err := district.Load()
	if err != nil {
		t.Fatal(err)
	}
	ix := &Index{Now: time.Now, districts: districts}
	d := ix.document(&listing.Listing{Location: listing.Location{Lat: 60.39, Lng: 5.32}}, time.Now())
	if d.Geo.Lat != 60.39 || d.Geo.Lng != 5.32 {
		t.Errorf("_geo = %+v, want lat 60.39 lng 5.32", d.Geo)
	}
}

func TestOpenSlotsAreExactToTheMinute(t *testing.T) {
	h, err := openinghours.ParseOSM("Mo-Th 10:13-15:00; Fr 22:00-03:00")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 23, 6, 0, 0, 0, time.UTC) // Monday before the DST change
	slots, minutes, spans := openSlots(&h, now)
	open := map[int64]bool{}
	for _, s := range slots {
		for m := s * slotMinutes; m < (s+1)*slotMinutes; m++ {
			open[m] = true
		}
	}
	for _, m := range minutes {
		if open[m] {
			t.Fatalf("minute %d listed both in a full slot and alone", m)
		}
		open[m] = true
	}
	inSpan := func(m int64) bool {
		for i := 0; i < len(spans); i += 2 {
			if spans[i] <= m && m < spans[i+1] {
				return true
			}
		}
		return false
	}
	from := now.Add(-SlotWindowBefore).Truncate(time.Minute)
	for m := from; m.Before(now.Add(SlotWindowAfter)); m = m.Add(time.Minute) {
		spanSays := inSpan(m.Unix() / 60)
		if !m.Before(now.Add(spanWindowAfter)) {
			spanSays = h.OpenAt(m) // spans stop after their shorter window
		}
		if got, want := open[m.Unix()/60], h.OpenAt(m); got != want || spanSays != want {
			t.Fatalf("at %s slots say %v, spans say %v, OpenAt says %v", m.In(openinghours.Oslo), got, spanSays, want)
		}
	}
}
