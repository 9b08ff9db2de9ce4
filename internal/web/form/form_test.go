package form

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/postcode"
)

func TestScheduleFromTheEditor(t *testing.T) {
	tests := []struct {
		name    string
		form    url.Values
		badRow  string
		check   func(openinghours.Schedule) bool
		explain string
	}{
		{"two intervals on Monday", url.Values{"h0_0_from": {"10:00"}, "h0_0_to": {"12:00"}, "h0_1_from": {"13:00"}, "h0_1_to": {"17:00"}}, "",
			func(s openinghours.Schedule) bool {
				return reflect.DeepEqual(s.Week[0], []openinghours.Interval{{Start: 600, End: 720}, {Start: 780, End: 1020}})
			}, "Monday 10–12 and 13–17"},
		{"past midnight", url.Values{"h4_0_from": {"22:00"}, "h4_0_to": {"02:00"}}, "",
			func(s openinghours.Schedule) bool {
				return reflect.DeepEqual(s.Week[4], []openinghours.Interval{{Start: 1320, End: 1560}})
			},
			"Friday 22:00 to 02:00 next day"},
		{"a summer closure is one row of many days", url.Values{"x0_from": {"2026-07-01"}, "x0_to": {"2026-07-21"}}, "",
			func(s openinghours.Schedule) bool {
				return len(s.Exceptions) == 21 && len(s.Exceptions[0].Intervals) == 0
			},
			"21 closed days"},
		{"yearly date", url.Values{"x0_from": {"2026-12-24"}, "x0_open": {"10:00"}, "x0_close": {"13:00"}, "x0_yearly": {"on"}}, "",
			func(s openinghours.Schedule) bool { return len(s.Exceptions) == 1 && s.Exceptions[0].Year == 0 }, "24 Dec every year"},
		{"holidays closed", url.Values{"holidays_closed": {"on"}}, "",
			func(s openinghours.Schedule) bool { return s.HolidayRule && len(s.Holidays) == 0 }, "PH off"},
		{"unreadable time", url.Values{"h2_0_from": {"10"}, "h2_0_to": {"17:00"}}, "h2_0_from", nil, ""},
		{"range backwards", url.Values{"x1_from": {"2026-07-21"}, "x1_to": {"2026-07-01"}, "x0_from": {"2026-01-01"}}, "x1_from", nil, ""},
		{"closure longer than a year", url.Values{"x0_from": {"2026-01-01"}, "x0_to": {"2027-06-01"}}, "x0_from", nil, ""},
		{"exception with half a time", url.Values{"x0_from": {"2026-05-17"}, "x0_open": {"10:00"}}, "x0_open", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ParseListing(tt.form)
			s, bad := f.Schedule()
			if bad != tt.badRow {
				t.Fatalf("bad row %q, want %q", bad, tt.badRow)
			}
			if tt.check != nil && !tt.check(s) {
				t.Errorf("schedule %+v is not %s", s, tt.explain)
			}
		})
	}
}

func TestListingFormRoundTrip(t *testing.T) {
	hours, err := openinghours.ParseOSM("Mo-Fr 10:00-17:00; PH off")
	if err != nil {
		t.Fatal(err)
	}
	for day := 1; day <= 3; day++ {
		hours.Exceptions = append(hours.Exceptions, openinghours.Exception{Year: 2026, Month: 7, Day: day})
	}
	price := 250
	l := &listing.Listing{Name: "Skomaker", OrgNumber: "923609016", Categories: []string{"sko", "klaer"},
		Services: []string{"såler", "glidelås"}, Phone: "+4755123456", OpeningHours: hours, PriceFromNOK: &price,
		Location: listing.Location{Lat: 60.39, Lng: 5.32}, WheelchairAccessible: listing.WheelchairYes, Kind: "repair_cafe", Version: 4}
	f := FromListing(l, time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	if f.Phone != "55 12 34 56" || f.PriceFrom != "250" || f.Version != 4 || !f.Categories["klaer"] {
		t.Errorf("form = %+v", f)
	}
	if len(f.Exceptions) != 1 || f.Exceptions[0].From != "2026-07-01" || f.Exceptions[0].To != "2026-07-03" {
		t.Errorf("three closed days fold into one row: %+v", f.Exceptions)
	}
	// Untouched hours keep the stored schedule (and its OSM text).
	var out listing.Listing
	if bad := f.Apply(&out, f, nil); len(bad) > 0 {
		t.Fatalf("bad %v", bad)
	}
	if !reflect.DeepEqual(out.OpeningHours, openinghours.Schedule{}) {
		t.Errorf("hours nobody touched were replaced: %+v", out.OpeningHours)
	}
	if out.Location.Lat != 60.39 || strings.TrimSpace(out.Services[1]) != "glidelås" || *out.PriceFromNOK != 250 || out.Kind != "repair_cafe" {
		t.Errorf("applied %+v", out)
	}
}

func TestApplyTakesThePostcodesCentre(t *testing.T) {
	book, err := postcode.Load()
	if err != nil {
		t.Fatal(err)
	}
	f := ParseListing(url.Values{"name": {"X"}, "postcode": {"5003"}, "price_from_nok": {"1 200"}})
	var l listing.Listing
	if bad := f.Apply(&l, Listing{}, book); len(bad) > 0 {
		t.Fatalf("bad %v", bad)
	}
	p, _ := book.Lookup("5003")
	if l.Location.Lat != p.Lat || l.Address.City != "Bergen" || *l.PriceFromNOK != 1200 {
		t.Errorf("listing %+v", l)
	}
	f = ParseListing(url.Values{"postcode": {"0150"}, "price_from_nok": {"gratis"}})
	bad := f.Apply(&l, Listing{}, book)
	if bad["postcode"] != "form.error.postcode_unknown" || bad["price_from_nok"] != "form.error.price_from_nok" {
		t.Errorf("bad = %v", bad)
	}
	f = ParseListing(url.Values{"lat": {"north"}, "lng": {"5.3"}})
	if bad := f.Apply(&l, Listing{}, book); bad["lat"] != "form.error.location" {
		t.Errorf("bad = %v", bad)
	}
}

func TestErrorListFollowsTheForm(t *testing.T) {
	got := ErrorList(map[string]string{"wheelchair-unknown": "w", "h2_0_from": "h", "name": "n", "postcode": "p"})
	var order []string
	for _, e := range got {
		order = append(order, e.Field)
	}
	if want := []string{"name", "postcode", "h2_0_from", "wheelchair-unknown"}; !reflect.DeepEqual(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
}

func TestSearchForm(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	book, err := postcode.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := c.For(i18n.NB)
	now := time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC)
	f := ReadSearch(url.Values{"q": {"  sko "}, "category": {"sko", " ", "klaer"}, "postnr": {"5003"}, "open_now": {"on"}, "page": {"2"}})
	if got := f.Values().Encode(); got != "category=sko&category=klaer&open_now=true&postnr=5003&q=sko" {
		t.Errorf("values = %s (the page is not part of them)", got)
	}
	q, ferr := f.Query(book, l, 20, now)
	if ferr != nil || q.Origin == nil || q.Page != 2 || q.PerPage != 20 || q.Text != "sko" {
		t.Errorf("query %+v, %v: the postcode's centre is the origin", q, ferr)
	}
	tests := []struct {
		form  url.Values
		field string
	}{
		{url.Values{"postnr": {"0150"}}, "postnr"},
		{url.Values{"category": {"boats"}}, "q"},
		{url.Values{"district": {"oslo"}}, "district"},
		{url.Values{"lat": {"60.4"}}, "postnr"},
		{url.Values{"page": {"0"}}, "q"},
	}
	for _, tt := range tests {
		if _, ferr := ReadSearch(tt.form).Query(book, l, 20, now); ferr == nil || ferr.Field != tt.field || ferr.Message == "" {
			t.Errorf("%v: error %+v, want one at %s with a message", tt.form, ferr, tt.field)
		}
	}
}
