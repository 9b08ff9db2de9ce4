package openinghours

import (
	"reflect"
	"testing"
)

func TestParseOSMRealValues(t *testing.T) {
	h := func(a, b int) Interval { return Interval{a, b} }
	tests := []struct {
		text string
		want [7][]Interval
	}{
		{"Mo-Fr 10-18, Sa 10-15, Su off", [7][]Interval{{h(600, 1080)}, {h(600, 1080)}, {h(600, 1080)}, {h(600, 1080)}, {h(600, 1080)}, {h(600, 900)}, nil}},
		{"Mo-Th 10:13-15:00", [7][]Interval{{h(613, 900)}, {h(613, 900)}, {h(613, 900)}, {h(613, 900)}, nil, nil, nil}},
		{"Mo-We,Fr-Su off; Th 18:00-21:00", [7][]Interval{nil, nil, nil, {h(1080, 1260)}, nil, nil, nil}},
		{"Mo 10:00-16:30; tu 11:00-16:30; we 10:00-16:30; th 10:00-17:00; fr 11:00-16:30; sa 10:00-14:00",
			[7][]Interval{{h(600, 990)}, {h(660, 990)}, {h(600, 990)}, {h(600, 1020)}, {h(660, 990)}, {h(600, 840)}, nil}},
		{"Mo, Fr 08:30-16:00; Tu, Th 08:30-17:00; We 08:30-18:00",
			[7][]Interval{{h(510, 960)}, {h(510, 1020)}, {h(510, 1080)}, {h(510, 1020)}, {h(510, 960)}, nil, nil}},
		{"Mo-Fr 08:30-16:30; Th 12:00-20:00", // a later ";" rule overrides Thursday
			[7][]Interval{{h(510, 990)}, {h(510, 990)}, {h(510, 990)}, {h(720, 1200)}, {h(510, 990)}, nil, nil}},
		{"Mo-Tu,Fr 09:00-15:25; We,Sa-Su off; Th 09:30-17:00",
			[7][]Interval{{h(540, 925)}, {h(540, 925)}, nil, {h(570, 1020)}, {h(540, 925)}, nil, nil}},
		{"Mo 10:00-12:00,13:00-17:00", [7][]Interval{{h(600, 720), h(780, 1020)}, nil, nil, nil, nil, nil, nil}},
		{"Fr-Sa 22:00-03:00", [7][]Interval{nil, nil, nil, nil, {h(1320, 1620)}, {h(1320, 1620)}, nil}},
		{"24/7", [7][]Interval{{h(0, 1440)}, {h(0, 1440)}, {h(0, 1440)}, {h(0, 1440)}, {h(0, 1440)}, {h(0, 1440)}, {h(0, 1440)}}},
		{"Sa-Mo 10:00-12:00", [7][]Interval{{h(600, 720)}, nil, nil, nil, nil, {h(600, 720)}, {h(600, 720)}}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			s, err := ParseOSM(tt.text)
			if err != nil {
				t.Fatalf("ParseOSM: %v", err)
			}
			for d := range tt.want {
				if len(tt.want[d]) == 0 && len(s.Week[d]) == 0 {
					continue
				}
				if !reflect.DeepEqual(s.Week[d], tt.want[d]) {
					t.Errorf("%s = %v, want %v", weekdayNames[d], s.Week[d], tt.want[d])
				}
			}
		})
	}
}

func TestParseOSMExceptionsAndHolidays(t *testing.T) {
	s, err := ParseOSM("Mo-Fr 10:00-17:00; PH off; Dec 24 10:00-13:00; 2026 Jul 06-Jul 10 off")
	if err != nil {
		t.Fatal(err)
	}
	if !s.HolidayRule || len(s.Holidays) != 0 {
		t.Errorf("holiday rule = %v %v, want closed on PH", s.HolidayRule, s.Holidays)
	}
	want := []Exception{
		{0, 12, 24, []Interval{{600, 780}}},
		{2026, 7, 6, nil}, {2026, 7, 7, nil}, {2026, 7, 8, nil}, {2026, 7, 9, nil}, {2026, 7, 10, nil},
	}
	if !reflect.DeepEqual(s.Exceptions, want) {
		t.Errorf("exceptions = %+v\nwant %+v", s.Exceptions, want)
	}
}

func TestParseOSMRejectsWhatItCannotUnderstand(t *testing.T) {
	for _, text := range []string{
		"", "by appointment", "Mo-Fr 10:00-18:00 \"ring first\"", "Mo-Fr 10:00+", "sunrise-sunset",
		"Mo-Fr 25:00-26:00", "Mo 10:60-11:00", "We[1] 10-12", "SH off", "Mo-Fr", "Feb 30 off",
		"Mo 10:00-10:00", "Mo 00:00-24:00, Mo 22:00-02:00",
	} {
		t.Run(text, func(t *testing.T) {
			s, err := ParseOSM(text)
			if err == nil {
				t.Fatalf("ParseOSM(%q) = %s, want an error", text, s.String())
			}
			if s.Text != text {
				t.Errorf("Text = %q, want the input kept", s.Text)
			}
		})
	}
}

func TestStringRoundTrips(t *testing.T) {
	for _, text := range []string{
		"Mo-Fr 10:00-18:00; Sa 10:00-15:00",
		"Mo,We 09:00-12:00,13:00-16:00; Fr 22:00-02:00; PH off; Dec 24 off; 2026 Dec 31 10:00-13:00",
	} {
		s, err := ParseOSM(text)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseOSM(s.String())
		if err != nil {
			t.Fatalf("reparse %q: %v", s.String(), err)
		}
		if !sameRules(s, again) {
			t.Errorf("round trip of %q changed the schedule: %q", text, again.String())
		}
	}
}

func sameRules(a, b Schedule) bool {
	a.Text, b.Text = "", ""
	return reflect.DeepEqual(a, b)
}
