package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/geocoder/geocodertest"
	"github.com/bergenreparerer/reparerer/internal/register/registertest"
)

// The command line runs discovery, adds a candidate and checks, against a
// stand-in register; an empty REPARERER_REGISTER_URL switches it off.
func TestRegisterCommands(t *testing.T) {
	srv := registertest.Start(t,
		registertest.Unit{OrgNumber: "912000028", Name: "FIKS MOBIL BERGEN", OrgForm: "BEDR", Street: "Strandgaten 1", Postcode: "5013",
			City: "Bergen", Municipality: "4601", Parent: "999000118", Codes: []string{"95.12"}},
		registertest.Unit{OrgNumber: "999000118", Name: "FIKS AS", OrgForm: "AS", Entity: true, Municipality: "4601"},
	)
	addresses := geocodertest.Start(t, geocodertest.Address{Text: "Strandgaten 1", Postcode: "5013", City: "Bergen", Municipality: "4601", Lat: 60.3955, Lon: 5.3225})
	env := []string{"REPARERER_DB=" + filepath.Join(t.TempDir(), "r.db"), "REPARERER_REGISTER_URL=" + srv.URL, "REPARERER_LOG_LEVEL=error",
		"REPARERER_GEOCODER_URL=" + addresses.URL}
	run := func(args ...string) (int, string) {
		var out, errs bytes.Buffer
		code := Main(append([]string{"register"}, args...), env, &out, &errs)
		return code, out.String() + errs.String()
	}
	if code, out := run("discover"); code != 0 || !strings.Contains(out, "912000028  FIKS MOBIL BERGEN, Strandgaten 1 5013  mobil-data") {
		t.Fatalf("discover: %d %s", code, out)
	}
	if code, out := run("add", "912000028"); code != 0 || !strings.Contains(out, "added FIKS MOBIL BERGEN") || !strings.Contains(out, "at its address") {
		t.Fatalf("add: %d %s", code, out)
	}
	if len(addresses.Queries) != 1 || addresses.Queries[0] != "Strandgaten 1" {
		t.Errorf("what went to the address API: %v, want only the street address", addresses.Queries)
	}
	if code, out := run("discover"); code != 0 || !strings.Contains(out, "0 repair businesses") {
		t.Errorf("discover after adding: %d %s", code, out)
	}
	if code, out := run("check"); code != 0 || !strings.Contains(out, "checked 1 listings") {
		t.Errorf("check: %d %s", code, out)
	}
	env[1] = "REPARERER_REGISTER_URL="
	if code, out := run("discover"); code != 1 || !strings.Contains(out, "switched off") {
		t.Errorf("switched off: %d %s", code, out)
	}
}
