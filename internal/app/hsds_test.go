package app_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/listing"
)

// The export for a national repair platform is HSDS 3.0: each published
// listing a service with stable UUIDs, its organization (and number), its
// location and address, weekly hours as RFC 5545 rules, and what HSDS has
// no field for as attributes of our taxonomies.
func TestHSDSExport(t *testing.T) {
	e := start(t, setup{})
	shop := place("Hvitevareservice HSDS", nordnes, []string{"hvitevarer"}, "Mo-Fr 08:00-16:00; PH off")
	shop.OrgNumber, shop.Phone = "923609016", "+4755112233"
	shop.Conditions = listing.Conditions{WarrantyMonths: months(6), Loaner: "yes", Languages: []string{"nb", "pl"}, DiagnosisFeeNOK: months(300)}
	e.create(shop)
	read := func() map[string]any {
		status, raw := e.get("/data/hsds/services.json")
		var page struct {
			HSDS     string           `json:"hsds_version"`
			Contents []map[string]any `json:"contents"`
		}
		if err := json.Unmarshal(raw, &page); status != 200 || err != nil || page.HSDS != "3.0" || len(page.Contents) != 1 {
			t.Fatalf("export: %d %v %s", status, err, raw)
		}
		return page.Contents[0]
	}
	s := read()
	uuidPattern := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if id, _ := s["id"].(string); !uuidPattern.MatchString(id) || s["status"] != "active" || s["name"] != "Hvitevareservice HSDS" {
		t.Errorf("service: %v %v %v", s["id"], s["status"], s["name"])
	}
	if again := read(); again["id"] != s["id"] {
		t.Error("the service's id is not stable between exports")
	}
	org := s["organization"].(map[string]any)
	ids := org["organization_identifiers"].([]any)
	if len(ids) != 1 || ids[0].(map[string]any)["identifier"] != "923609016" {
		t.Errorf("organization identifiers: %v", ids)
	}
	schedules := s["schedules"].([]any)
	first := schedules[0].(map[string]any)
	if len(schedules) != 5 || first["freq"] != "WEEKLY" || first["byday"] != "MO" || first["opens_at"] != "08:00" || first["timezone"] != "Europe/Oslo" {
		t.Errorf("schedules: %v", schedules)
	}
	loc := s["service_at_locations"].([]any)[0].(map[string]any)["location"].(map[string]any)
	address := loc["addresses"].([]any)[0].(map[string]any)
	if loc["latitude"] != nordnes[0] || address["country"] != "NO" || address["city"] != "Bergen" {
		t.Errorf("location: %v", loc)
	}
	found := map[string]string{}
	for _, a := range s["attributes"].([]any) {
		term := a.(map[string]any)["taxonomy_term"].(map[string]any)
		value, _ := a.(map[string]any)["value"].(string)
		found[term["taxonomy"].(string)+"/"+term["code"].(string)] = value
	}
	for key, want := range map[string]string{"bergen-reparerer-categories/hvitevarer": "", "bergen-reparerer-repair-conditions/warranty_months": "6",
		"bergen-reparerer-repair-conditions/loaner": "yes"} {
		if got, ok := found[key]; !ok || got != want {
			t.Errorf("attribute %s: %q %v, want %q", key, got, ok, want)
		}
	}
	if langs := s["languages"].([]any); len(langs) != 2 {
		t.Errorf("languages: %v", langs)
	}
	if costs := s["cost_options"].([]any); len(costs) != 1 || costs[0].(map[string]any)["amount"] != float64(300) {
		t.Errorf("cost options: %v", costs)
	}
}
