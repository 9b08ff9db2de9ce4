package owner

import "testing"

func TestSameDomain(t *testing.T) {
	for _, c := range []struct {
		email, website string
		want           bool
	}{
		{"post@sko.no", "https://www.sko.no/", true},
		{"Post@SKO.no", "http://sko.no/om-oss", true},
		{"post@sko.no", "", false},
		{"post@gmail.com", "https://sko.no", false},
		{"post@mail.sko.no", "https://sko.no", false}, // a subdomain is not the domain
		{"post@sko.no.evil.com", "https://sko.no", false},
		{"post@evilsko.no", "https://sko.no", false},
	} {
		if got := SameDomain(c.email, c.website); got != c.want {
			t.Errorf("SameDomain(%q, %q) = %v, want %v", c.email, c.website, got, c.want)
		}
	}
}
