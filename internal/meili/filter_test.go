package meili

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/category"
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
	// Saturday 28 November, 11:07 in Bergen: minute 5*1440 + 667 of the week.
	want := `categories IN ["klaer", "sko"] AND district IN ["fana"] AND NOT kind IN ["second_hand", "rental", "refurbished"] AND accepts_repair_voucher = true AND ` +
		`_geoRadius(60.39, 5.32, 1500) AND _geoBoundingBox([60.5, 5.4], [60.3, 5.2]) AND ` +
		`(((week_slots = 524 OR week_minutes = 7867) AND NOT irregular_days = 20261128) OR open_slots = ` + itoa(minute/15) + ` OR open_minutes = ` + itoa(minute) + `)`
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

// The open times a document holds answer "open at T" exactly as the
// schedule does, minute by minute, for the whole window open_at may ask
// (an hour back, 60 days ahead), from documents indexed on days that make
// it hard: before both daylight-saving changes, before Christmas and the
// year's end (holidays, dated exceptions, next year's holidays), and with
// nights past midnight, hours into the skipped and the repeated hour,
// round the clock and holiday hours.
func TestOpenTimesAnswerLikeTheScheduleToTheMinute(t *testing.T) {
	schedules := []string{
		"Mo-Th 10:13-15:00; Fr 22:00-03:00",
		"Mo,We 09:00-12:00,13:00-16:00; Fr 22:00-02:00; PH off; Dec 24 off; 2026 Dec 31 10:00-13:00",
		"Mo-Fr 10:00-17:00; PH 11:00-14:00; Dec 24 10:00-13:00; 2026 Jul 06-Jul 10 off",
		"24/7",
		"Mo-Su 01:00-04:00",
		"Mo-Su 00:00-02:30; Sa 02:15-02:45",
		"Sa-Su 23:00-02:30; PH off",
	}
	indexed := []time.Time{
		time.Date(2026, 3, 23, 6, 0, 0, 0, time.UTC),    // a week before clocks go forward (Mar 29)
		time.Date(2026, 10, 20, 13, 37, 0, 0, time.UTC), // before they go back (Oct 25)
		time.Date(2026, 12, 20, 23, 30, 0, 0, time.UTC), // Christmas, the year's end, next year's Easter in reach
	}
	for _, text := range schedules {
		h, err := openinghours.ParseOSM(text)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		for _, now := range indexed {
			d := openTimesDocument(&h, now)
			for m := now.Add(-search.OpenAtBehind).Truncate(time.Minute); !m.After(now.Add(search.OpenAtAhead)); m = m.Add(time.Minute) {
				if got, want := d.openAt(m), h.OpenAt(m); got != want {
					t.Fatalf("%q indexed %s: at %s the index says %v, the schedule %v", text, now, m.In(openinghours.Oslo), got, want)
				}
			}
		}
	}
}

// The index stays exact for a year without re-indexing: a document indexed
// in one year answers for the next year's holidays.
func TestOpenTimesCoverNextYear(t *testing.T) {
	h, err := openinghours.ParseOSM("Mo-Sa 10:00-18:00; PH off")
	if err != nil {
		t.Fatal(err)
	}
	d := openTimesDocument(&h, time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC))
	easterMonday2027 := time.Date(2027, 3, 29, 12, 0, 0, 0, openinghours.Oslo)
	if d.openAt(easterMonday2027) || !d.openAt(easterMonday2027.AddDate(0, 0, 1)) || !h.OpenAt(easterMonday2027.AddDate(0, 0, 1)) {
		t.Error("the document indexed in January 2026 does not know Easter Monday 2027")
	}
	if n := len(d.IrregularDays); n < 15 || n > 30 {
		t.Errorf("%d irregular dates over two years, want the holidays on open days only", n)
	}
}

// An ordinary shop's document is small: the week once, no dated slots.
func TestOpenTimesOfAnOrdinaryShopAreSmall(t *testing.T) {
	h, err := openinghours.ParseOSM("Mo-Fr 10:00-17:00; Sa 10:00-15:00")
	if err != nil {
		t.Fatal(err)
	}
	d := openTimesDocument(&h, time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
	if len(d.WeekSlots) != 5*28+20 || len(d.WeekMinutes) != 0 || len(d.IrregularDays) != 0 || len(d.Slots) != 0 {
		t.Errorf("week slots %d, minutes %d, irregular days %d, dated slots %d", len(d.WeekSlots), len(d.WeekMinutes), len(d.IrregularDays), len(d.Slots))
	}
}

// openTimesSet is a document's open times as sets, and the filter of
// openAtFilter as Meilisearch evaluates it.
type openTimesSet struct {
	openTimes
	week, weekMinutes, days map[int]bool
	slots, minutes          map[int64]bool
}

func openTimesDocument(h *openinghours.Schedule, now time.Time) openTimesSet {
	ot := openTimesOf(h, now)
	set := func(xs []int) map[int]bool {
		m := map[int]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	set64 := func(xs []int64) map[int64]bool {
		m := map[int64]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	return openTimesSet{ot, set(ot.WeekSlots), set(ot.WeekMinutes), set(ot.IrregularDays), set64(ot.Slots), set64(ot.Minutes)}
}

// openAt is openAtFilter's expression: ((week_slots = W OR week_minutes =
// M) AND NOT irregular_days = D) OR open_slots = S OR open_minutes = A.
func (d openTimesSet) openAt(t time.Time) bool {
	week, minute := weekMinute(t), t.Unix()/60
	return ((d.week[week/slotMinutes] || d.weekMinutes[week]) && !d.days[dateNumber(t)]) || d.slots[minute/slotMinutes] || d.minutes[minute]
}

// The schedule a hit carries comes back as it went in, and a list that is
// not one (a document of another format) reads as unknown.
func TestHoursTravelAsIntegers(t *testing.T) {
	for _, text := range []string{"Mo-Fr 10:00-17:00; Sa 10:00-15:00", "Fr-Sa 22:00-03:00; PH off", "24/7",
		"Mo,We 09:00-12:00,13:00-16:00; PH 11:00-14:00; Dec 24 off; 2026 Dec 31 10:00-13:00", "off"} {
		h, err := openinghours.ParseOSM(text)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := decodeHours(encodeHours(&h))
		if !ok || got.HolidayRule != h.HolidayRule || !reflect.DeepEqual(got.Week, h.Week) || !reflect.DeepEqual(got.Holidays, h.Holidays) ||
			!reflect.DeepEqual(got.Exceptions, h.Exceptions) || !got.Known() {
			t.Errorf("%q came back as %+v (%v)", text, got, ok)
		}
	}
	for _, bad := range [][]int{{}, {0, 2, 0, 600}, {0, 1, 9, 600, 700, 0, 0}, {0, 0, 0, 0, 5}} {
		if _, ok := decodeHours(bad); ok {
			t.Errorf("%v read as hours", bad)
		}
	}
	var unknown openinghours.Schedule
	if v := encodeHours(&unknown); len(v) != 0 {
		t.Errorf("unknown hours encoded as %v", v)
	}
}

// A hit from a document indexed before the integers (the schedule object)
// still says when it is open, so an upgrade does not break search while
// the documents are re-indexed.
func TestHitHoursReadTheOlderFormat(t *testing.T) {
	h, _ := openinghours.ParseOSM("Mo-Fr 10:00-17:00; PH off")
	older, _ := json.Marshal(h)
	newer, _ := json.Marshal(encodeHours(&h))
	monday := time.Date(2026, 11, 23, 11, 0, 0, 0, openinghours.Oslo)
	for _, raw := range [][]byte{older, newer} {
		if got := hitHours(raw); got == nil || !got.OpenAt(monday) || got.OpenAt(monday.AddDate(0, 0, 5)) {
			t.Errorf("%s read as %+v", raw, got)
		}
	}
	for _, raw := range []string{``, `null`, `"x"`, `[1,2]`, `{"week":[null,null,null,null,null,null,null]}`} {
		if got := hitHours(json.RawMessage(raw)); got != nil {
			t.Errorf("%s read as %+v", raw, got)
		}
	}
}

// Every category's and district's key fits in one answer's counts: were
// they cut at maxValuesPerFacet, counts would go missing and every search
// would be run twice (whole).
func TestFacetKeysFitOneAnswer(t *testing.T) {
	s, err := loadSettings()
	if err != nil {
		t.Fatal(err)
	}
	districts, err := district.Load()
	if err != nil {
		t.Fatal(err)
	}
	keys := len(category.All()) + len(districts.All()) + 1 // and districtKeyNone
	if s.Faceting == nil || s.Faceting.MaxValuesPerFacet < int64(keys) {
		t.Fatalf("%d facet keys, %+v values counted", keys, s.Faceting)
	}
}

// An answer met older documents when its district keys count fewer than
// its total; more is a total stopped at maxTotalHits (measured on
// Meilisearch 1.21: totalHits 1000, district keys 4807).
func TestOlderDocumentsAreToldByTheirDistrictKeys(t *testing.T) {
	answer := func(total int, keys map[string]int) *searchResponse {
		return &searchResponse{TotalHits: total, FacetDistribution: map[string]map[string]int{"facet_keys": keys}}
	}
	for _, c := range []struct {
		r     *searchResponse
		older bool
	}{
		{answer(3, map[string]int{"category:sko": 3, "district:fana": 2, "district:-": 1}), false},
		{answer(3, map[string]int{"category:sko": 3, "district:fana": 2}), true},
		{answer(1000, map[string]int{"category:sko": 4807, "district:fana": 4807}), false},
		{answer(0, map[string]int{}), false},
		{&searchResponse{TotalHits: 2, FacetDistribution: map[string]map[string]int{"categories": {"sko": 2}}}, false},
	} {
		if got := c.r.fromOlderDocuments(); got != c.older {
			t.Errorf("%d hits, %v: older %v", c.r.TotalHits, c.r.FacetDistribution, got)
		}
	}
}
