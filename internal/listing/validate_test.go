package listing

import (
	"testing"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/district"
)

func TestValidOrgNumber(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"828100602", true},  // Astamr systue, from OSM ref:NO:orgnr
		{"974760673", true},  // Brønnøysundregistrene
		{"964338531", true},  // Bergen kommune
		{"828100603", false}, // wrong check digit
		{"82810060", false},
		{"8281006021", false},
		{"82810060a", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidOrgNumber(tt.in); got != tt.want {
			t.Errorf("ValidOrgNumber(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+47 55 124245", "+4755124245"},
		{"55 32 81 00", "+4755328100"},
		{"+47 400 60 023", "+4740060023"},
		{"0047 93966100", "+4793966100"},
	}
	for _, tt := range tests {
		got, ok := NormalizePhone(tt.in)
		if !ok || got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"123", "not a number", "+47 1"} {
		if got, ok := NormalizePhone(bad); ok {
			t.Errorf("NormalizePhone(%q) = %q, want invalid", bad, got)
		}
	}
}

func validListing() *Listing {
	return &Listing{
		Name: "  Skomakeren i Marken ", Categories: []string{"sko", "sko"}, Services: []string{" Sålereparasjon", "sålereparasjon", "Glidelås"},
		Address:  Address{Street: "Marken 1", Postcode: "5017", City: "Bergen"},
		Location: Location{Lat: 60.3926, Lng: 5.3275}, Phone: "+47 40 51 47 48", Website: "www.bergenskomaker.no",
		Status: StatusPublished, Source: Source{Kind: SourceOwner},
	}
}

func TestNormalizeTidiesAndDerivesDistrict(t *testing.T) {
	m, err := district.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := validListing()
	if err := Normalize(l, m); err != nil {
		t.Fatal(err)
	}
	if l.Name != "Skomakeren i Marken" || l.District != "bergenhus" || l.Phone != "+4740514748" ||
		l.Website != "https://www.bergenskomaker.no" || l.WheelchairAccessible != WheelchairUnknown {
		t.Errorf("normalised = %+v", l)
	}
	if len(l.Categories) != 1 || len(l.Services) != 2 || l.Services[0] != "sålereparasjon" {
		t.Errorf("categories %v services %v, want duplicates removed", l.Categories, l.Services)
	}
}

func TestNormalizeRejects(t *testing.T) {
	m, err := district.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		field  string
		change func(*Listing)
	}{
		{"name", func(l *Listing) { l.Name = "  " }},
		{"org_number", func(l *Listing) { l.OrgNumber = "828100603" }},
		{"categories", func(l *Listing) { l.Categories = []string{"sko OR district = fana"} }},
		{"categories", func(l *Listing) { l.Categories = nil }},
		{"address.postcode", func(l *Listing) { l.Address.Postcode = "501" }},
		{"location", func(l *Listing) { l.Location = Location{Lat: 59.91, Lng: 10.75} }}, // Oslo
		{"phone", func(l *Listing) { l.Phone = "12" }},
		{"email", func(l *Listing) { l.Email = "not an address" }},
		{"website", func(l *Listing) { l.Website = "javascript:alert(1)" }},
		{"wheelchair_accessible", func(l *Listing) { l.WheelchairAccessible = "maybe" }},
		{"hide_reason", func(l *Listing) { l.Status = StatusHidden }},
		{"status", func(l *Listing) { l.Status = "deleted" }},
		{"price_from_nok", func(l *Listing) { p := -1; l.PriceFromNOK = &p }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			l := validListing()
			tt.change(l)
			err := Normalize(l, m)
			var e *apperr.Error
			if !asAppErr(err, &e) || e.Code != apperr.CodeInvalidParameter || e.Field != tt.field {
				t.Errorf("Normalize = %v, want invalid_parameter on %s", err, tt.field)
			}
		})
	}
}

// Quote requests go to the listing's e-mail address: without one, a
// listing cannot take them.
func TestQuoteRequestsNeedAnEmailAddress(t *testing.T) {
	m, err := district.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := validListing()
	l.Conditions.QuoteRequests = "yes"
	if p := Problems(Normalize(l, m)); p["conditions.quote_requests"] == nil {
		t.Errorf("quote requests without an e-mail address: %v", p)
	}
	l.Email = "verksted@skomakeren.no"
	if err := Normalize(l, m); err != nil {
		t.Errorf("quote requests with an e-mail address: %v", err)
	}
}
