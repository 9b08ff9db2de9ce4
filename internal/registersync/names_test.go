package registersync_test

import (
	"testing"

	"github.com/bergenreparerer/reparerer/internal/registersync"
)

func TestNamesMatch(t *testing.T) {
	for _, c := range []struct {
		register, directory string
		want                bool
	}{
		{"SKOMAKEREN I MARKEN AS", "Skomakeren i Marken", true},
		{"HANSEN SKO OG NØKKELSERVICE AS", "Skomaker Hansen", true},
		{"BERGEN SYKKELVERKSTED AS", "Sykkelverkstedet", true},
		{"FIKS MOBIL BERGEN", "FiksMobil", true},
		{"KARI NORDMANN", "Kari Nordmann skredder", true},
		// A mistyped number names another business.
		{"BERGEN URMAKER AS", "Bergen Sykkelservice", false},
		{"HVITEVARESERVICE VEST AS", "Skomakeren i Marken", false},
		{"REPARASJON SERVICE AS", "Reparasjon Bergen", false},
		{"", "Skomaker", false},
	} {
		if got := registersync.NamesMatch(c.register, c.directory); got != c.want {
			t.Errorf("NamesMatch(%q, %q) = %v, want %v", c.register, c.directory, got, c.want)
		}
	}
}
