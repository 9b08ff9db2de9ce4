package search

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/gazetteer"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/vocabulary"
	indexsettings "github.com/bergenreparerer/reparerer/search"
)

var now = time.Date(2026, 11, 23, 10, 0, 30, 0, time.UTC)

func TestParseQueryAll(t *testing.T) {
	v, _ := url.ParseQuery("q=+glidel%C3%A5s++bukse+&category=klaer&category=sko&category=klaer&district=fana&lat=60.39&lng=5.32" +
		"&radius_m=1500&bbox=5.2,60.3,5.4,60.5&open_now=true&voucher=true&page=2&per_page=50")
	q, err := ParseQuery(v, now)
	if err != nil {
		t.Fatal(err)
	}
	if q.Text != "glidelås bukse" || len(q.Categories) != 2 || q.Categories[0] != "klaer" || q.Districts[0] != "fana" ||
		q.Origin == nil || q.Origin.Lat != 60.39 || q.RadiusM != 1500 || q.BBox == nil || q.BBox.MaxLat != 60.5 ||
		q.OpenAt == nil || !q.OpenAt.Equal(now.Truncate(time.Minute)) || !q.Voucher || q.Page != 2 || q.PerPage != 50 {
		t.Errorf("ParseQuery = %+v", q)
	}
	if q.Cacheable() {
		t.Error("a query with text and origin must not be cacheable")
	}
}

func TestParseQueryDefaults(t *testing.T) {
	q, err := ParseQuery(url.Values{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if q.Page != 1 || q.PerPage != DefaultPerPage || !q.Cacheable() {
		t.Errorf("defaults = %+v", q)
	}
}

func TestCacheKeyIsCanonical(t *testing.T) {
	a, _ := ParseQuery(url.Values{"category": {"sko", "klaer"}, "district": {"fana"}}, now)
	b, _ := ParseQuery(url.Values{"district": {"fana"}, "category": {"klaer", "sko", "sko"}}, now)
	if a.CacheKey(now) != b.CacheKey(now) {
		t.Errorf("same query, different keys: %q %q", a.CacheKey(now), b.CacheKey(now))
	}
	if a.CacheKey(now) == a.CacheKey(now.Add(time.Minute)) {
		t.Error("the key must change with the minute, as open_now does")
	}
}

// FuzzParseQuery checks that any query string is either refused with a
// client error or yields a query built only from validated values.
func FuzzParseQuery(f *testing.F) {
	for _, seed := range []string{
		"q=skomaker&category=sko&district=fana", "category=sko OR district = fana", "lat=60.39&lng=5.32&radius_m=500",
		"bbox=5.2,60.3,5.4,60.5", "open_at=2026-11-24T11:00:00%2B01:00", "open_now=true&voucher=true&page=3&per_page=7",
		"district=fana%22)+OR+(1=1", "lat=NaN&lng=Inf", "q=%00", "q=bytte+glidel%C3%A5s+i+jakka+%C3%A5sane+5003",
		"q=klokkebatteri+el-sparkesykkel+smyke", "q=-+-+%E2%80%93",
	} {
		f.Add(seed)
	}
	reader := testReader(f)
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseQuery(v, now)
		if err != nil {
			if c := apperr.CodeOf(err); c != apperr.CodeInvalidParameter && c != apperr.CodeUnknownParameter {
				t.Fatalf("ParseQuery(%q): error code %q, want a client error", raw, c)
			}
			return
		}
		for _, c := range q.Categories {
			if !category.Valid(c) {
				t.Fatalf("accepted unknown category %q", c)
			}
		}
		for _, d := range q.Districts {
			if !district.ValidSlug(d) {
				t.Fatalf("accepted unknown district %q", d)
			}
		}
		if q.Page < 1 || q.PerPage < 1 || q.PerPage > MaxPerPage || q.RadiusM < 0 || q.RadiusM > MaxRadiusM {
			t.Fatalf("accepted out-of-range numbers: %+v", q)
		}
		if q.BBox != nil && (q.BBox.MinLat >= q.BBox.MaxLat || q.BBox.MinLng >= q.BBox.MaxLng) {
			t.Fatalf("accepted an empty bbox: %+v", q.BBox)
		}
		if q.OpenAt != nil && (q.OpenAt.Before(now.Add(-OpenAtBehind-time.Minute)) || q.OpenAt.After(now.Add(OpenAtAhead))) {
			t.Fatalf("accepted open_at %s outside the window", q.OpenAt)
		}
		// Whatever the text, reading it gives known categories, a place in
		// Bergen, and never more words than it had.
		reader.Apply(&q)
		for _, c := range q.Implied {
			if !category.Valid(c) {
				t.Fatalf("read %q as unknown category %q", raw, c)
			}
		}
		if q.NearName != "" && (q.Origin.Lat < 60.1 || q.Origin.Lat > 60.6 || q.Origin.Lng < 5.0 || q.Origin.Lng > 5.7) {
			t.Fatalf("read %q as a place outside Bergen: %+v", raw, q.Origin)
		}
		if in := q.Interpreted; in != nil && len(in.Terms)+len(in.Ignored)+len(in.Understood) > len(strings.Fields(q.Typed())) {
			t.Fatalf("read %q into more words than it has: %+v", q.Typed(), in)
		}
	})
}

func testReader(tb testing.TB) *Reader {
	tb.Helper()
	districts, err := district.Load()
	if err != nil {
		tb.Fatal(err)
	}
	postcodes, err := postcode.Load()
	if err != nil {
		tb.Fatal(err)
	}
	places, err := gazetteer.Load(districts, postcodes)
	if err != nil {
		tb.Fatal(err)
	}
	file, err := vocabulary.Parse(indexsettings.Vocabulary)
	if err != nil {
		tb.Fatal(err)
	}
	return NewReader(vocabulary.New(file), places)
}
