package view

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

func TestStatusLine(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, openinghours.Oslo)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	const shop = "Mo-Fr 10:00-17:00; PH off; Dec 24 10:00-13:00"
	tests := []struct {
		name, hours, now string
		lang             i18n.Lang
		want, class      string
	}{
		{"open, closes today", shop, "2026-11-23 11:00", i18n.NB, "Åpent nå – stenger 17:00", "open"},
		{"before opening", shop, "2026-11-23 08:00", i18n.NB, "Stengt – åpner 10:00", "closed"},
		{"Friday evening", shop, "2026-11-27 18:00", i18n.NB, "Stengt – åpner mandag 10:00", "closed"},
		{"Sunday evening", shop, "2026-11-29 20:00", i18n.NB, "Stengt – åpner i morgen 10:00", "closed"},
		{"English", shop, "2026-11-27 18:00", i18n.EN, "Closed – opens Monday 10:00", "closed"},
		{"Christmas Eve exception", shop, "2026-12-24 11:00", i18n.NB, "Åpent nå – stenger 13:00", "open"},
		{"after Christmas Eve, holidays closed", shop, "2026-12-24 14:00", i18n.NB, "Stengt – åpner mandag 10:00", "closed"},
		{"past midnight", "Fr-Sa 22:00-03:00", "2026-11-27 23:30", i18n.NB, "Åpent nå – stenger i morgen 03:00", "open"},
		{"always open", "24/7", "2026-11-27 23:30", i18n.EN, "Open now", "open"},
		{"over a week away", "Dec 10 10:00-12:00", "2026-12-01 12:00", i18n.NB, "Stengt – åpner 10. desember 10:00", "closed"},
		{"never opens", "Mo off", "2026-12-01 12:00", i18n.NB, "Stengt nå", "closed"},
		{"unknown", "", "2026-11-23 11:00", i18n.NB, "Åpningstider ukjent", "unknown"},
		// Summer time starts 29 March 2026 at 02:00: a Saturday-night
		// interval ends by the wall clock.
		{"DST start", "Sa 22:00-04:00", "2026-03-29 01:30", i18n.NB, "Åpent nå – stenger 04:00", "open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h openinghours.Schedule // unknown
			if tt.hours != "" {
				if h, err = openinghours.ParseOSM(tt.hours); err != nil {
					t.Fatal(err)
				}
			}
			got, class := StatusLine(c.For(tt.lang), &h, at(tt.now))
			if got != tt.want || class != tt.class {
				t.Errorf("got %q (%s), want %q (%s)", got, class, tt.want, tt.class)
			}
		})
	}
}

func TestSchemaClock(t *testing.T) {
	for m, want := range map[int]string{0: "00:00", 9*60 + 5: "09:05", 24 * 60: "23:59", 26*60 + 30: "02:30"} {
		if got := SchemaClock(m); got != want {
			t.Errorf("SchemaClock(%d) = %q, want %q", m, got, want)
		}
	}
}

func TestPaginate(t *testing.T) {
	href := func(n int) string { return "/?page=" + strconv.Itoa(n) }
	labels := func(p Pagination) string {
		var out []string
		for _, l := range p.Pages {
			switch {
			case l.Gap:
				out = append(out, "…")
			case l.Current:
				out = append(out, "["+l.Label+"]")
			default:
				out = append(out, l.Label)
			}
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		page, total      int
		want, prev, next string
	}{
		{1, 15, "", "", ""},
		{1, 45, "[1] 2 3", "", "/?page=2"},
		{6, 200, "1 … 4 5 [6] 7 8 … 10", "/?page=5", "/?page=7"},
		{12, 200, "1 … 10", "/?page=10", ""}, // past the end: back to the last page
	}
	for _, tt := range tests {
		p := Paginate(tt.page, 20, tt.total, href)
		if got := labels(p); got != tt.want || p.Prev != tt.prev || p.Next != tt.next {
			t.Errorf("page %d of %d: %q prev %q next %q, want %q %q %q", tt.page, tt.total, got, p.Prev, p.Next, tt.want, tt.prev, tt.next)
		}
	}
}

func TestJSONLD(t *testing.T) {
	h, err := openinghours.ParseOSM("Mo 10:00-17:00; Fr 22:00-02:00")
	if err != nil {
		t.Fatal(err)
	}
	l := &listing.Listing{Name: "Sko", Phone: "+4755123456", OpeningHours: h,
		Address: listing.Address{Street: "Gate 1", Postcode: "5003", City: "Bergen"}}
	day := time.Date(2026, 12, 24, 0, 0, 0, 0, openinghours.Oslo)
	ld := JSONLD(l, "https://x/reparator/sko", "", []openinghours.Deviation{{Date: day}})
	specs := ld["openingHoursSpecification"].([]map[string]any)
	if len(specs) != 2 || specs[1]["opens"] != "22:00" || specs[1]["closes"] != "02:00" || ld["telephone"] != "+4755123456" {
		t.Errorf("specs %v", specs)
	}
	special := ld["specialOpeningHoursSpecification"].([]map[string]any)
	if len(special) != 1 || special[0]["opens"] != "00:00" || special[0]["validFrom"] != "2026-12-24" {
		t.Errorf("a closed day is 00:00–00:00 on its date: %v", special)
	}
	if _, ok := ld["description"]; ok {
		t.Error("an empty description is left out")
	}
}

func TestValueTextAndAddress(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en := c.For(i18n.EN)
	tests := []struct{ field, value, want string }{
		{"phone", "+4755123456", "55 12 34 56"},
		{"categories", "sko, klaer", "Shoes, bags & leather, Clothes & textiles"},
		{"status", "hidden", en.T("account.status.hidden")},
		{"opening_hours", "not json", "not json"},
		{"name", "", ""},
	}
	for _, tt := range tests {
		if got := ValueText(en, tt.field, tt.value); got != tt.want {
			t.Errorf("%s %q: %q, want %q", tt.field, tt.value, got, tt.want)
		}
	}
	if got := AddressText("", "", "", "Åsane"); got != "Åsane" {
		t.Errorf("no address: %q", got)
	}
	if got := AddressText("Gate 1", "5003", "Bergen", "Bergenhus"); got != "Gate 1, 5003 Bergen" {
		t.Errorf("address: %q", got)
	}
	if got := ActorText(en, "admin:x@bergen.kommune.no"); strings.Contains(got, "@") {
		t.Errorf("an actor's address is not shown: %q", got)
	}
}
