package testenv

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/importer"
)

// OSMSnapshot reads the real OpenStreetMap repair places of Bergen and
// their cached addresses from scripts/data, as scripts/run.sh imports them.
func OSMSnapshot(tb testing.TB) ([]byte, map[string]importer.Address) {
	tb.Helper()
	root, err := repoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "scripts/data/bergen_osm_reuse_repair_pois.geojson"))
	if err != nil {
		tb.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(root, "scripts/data/bergen_osm_poi_address_cache_nominatim.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var addresses map[string]importer.Address
	if err := json.Unmarshal(raw, &addresses); err != nil {
		tb.Fatal(err)
	}
	return data, addresses
}
