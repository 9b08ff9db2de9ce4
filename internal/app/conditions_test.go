package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/listing"
)

func months(n int) *int { return &n }

// A repairer states its repair conditions on its form; the listing page
// shows the ones it stated and nothing for the others (unknown is never
// "no"), the API, the open data and the JSON-LD carry them, and residents
// filter on them, with counts.
func TestRepairConditionsFromTheFormToTheFilters(t *testing.T) {
	e := start(t, setup{})
	e.seed()

	// The owner fills in part of the conditions.
	shop := place("Hvitevareservice Nordnes", nordnes, []string{"hvitevarer"}, "Mo-Fr 08:00-16:00")
	e.owned(shop, "eier@hvitevare.example")
	owner := e.visitor()
	owner.signIn("eier@hvitevare.example", "/min-side")
	editPath := "/min-side/oppforing/" + shop.ID
	values := formValues(t, owner.get(editPath).Body, "listing-form")
	values.Set("cond_turnaround", "days")
	values.Set("cond_turnaround_days", "2")
	values.Set("cond_warranty", "12")
	values["cond_where"] = []string{"in_shop", "at_home"}
	values.Set("cond_ancillary_removal", "paid")
	values.Set("cond_diagnosis_fee", "450")
	values.Set("cond_diagnosis_deducted", "yes")
	values.Set("cond_brands", "Miele, Bosch ,miele")
	values["cond_language"] = []string{"nb", "pl"}
	if r := owner.post(editPath, values); r.Status != http.StatusSeeOther {
		t.Fatalf("saving the conditions: %d %.600s", r.Status, r.Body)
	}
	saved := e.listing(shop.ID).Conditions
	if *saved.WarrantyMonths != 12 || !slices.Equal(saved.Brands, []string{"Bosch", "Miele"}) || saved.Loaner != "" || saved.Ancillary["removal"] != "paid" {
		t.Errorf("stored conditions %+v", saved)
	}

	// Bad values come back at their fields, in words.
	bad := formValues(t, owner.get(editPath).Body, "listing-form")
	bad.Set("cond_warranty", "tolv")
	bad.Set("cond_loaner_cost", "200") // a price for a loaner not offered
	if r := owner.post(editPath, bad); r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "Skriv et helt tall.") ||
		!strings.Contains(r.Body, "bare når dere tilbyr det") {
		t.Errorf("bad conditions: %d", r.Status)
	}

	// The page says what is known, and nothing about the loaner.
	_, page := e.get("/reparator/" + shop.Slug)
	body := string(page)
	for _, want := range []string{"Reparasjonsvilkår", "2 arbeidsdager", "12 måneder", "I verkstedet, Hjemme hos kunden",
		"Bortkjøring av det gamle (mot betaling)", "450 kr", "Bosch, Miele", "Norsk bokmål, Polsk", `"knowsLanguage":["nb","pl"]`,
		`"durationOfWarranty":{"@type":"QuantitativeValue","unitCode":"MON","value":12}`} {
		if !strings.Contains(body, want) {
			t.Errorf("the listing page lacks %s", want)
		}
	}
	if strings.Contains(body, "Låneprodukt") {
		t.Error("the page speaks of a loaner nobody stated")
	}

	// The API and the open data.
	status, raw := e.get("/api/v1/repairers/" + shop.Slug)
	var api struct {
		Conditions listing.Conditions `json:"conditions"`
	}
	if err := json.Unmarshal(raw, &api); status != 200 || err != nil || api.Conditions.TurnaroundDays == nil || *api.Conditions.TurnaroundDays != 2 {
		t.Errorf("API: %d %v %+v", status, err, api.Conditions)
	}
	if strings.Contains(string(raw), `"loaner"`) {
		t.Error("the API states a loaner nobody stated")
	}
	_, csv := e.get("/data/repairers.csv")
	if !strings.Contains(string(csv), "warranty_months") || !regexp.MustCompile(`Hvitevareservice Nordnes.*,days,2,,,at_home\|in_shop,removal:paid,12,450,yes,Bosch\|Miele,,nb\|pl`).Match(csv) {
		t.Errorf("the open data lacks the conditions:\n%s", csv)
	}

	// Two more, to filter between.
	loaner := place("Symaskinservice Åsane", asane, []string{"hvitevarer"}, "Mo-Fr 09:00-17:00")
	loaner.Conditions = listing.Conditions{Loaner: "yes", WarrantyMonths: months(3), Turnaround: "weeks", Where: []string{"by_post"},
		Brands: []string{"Husqvarna"}, OwnBrandOnly: "yes"}
	e.create(loaner)
	e.create(place("Vaskemaskinfiks", nordnes, []string{"hvitevarer"}, "Mo-Fr 09:00-17:00")) // nothing stated
	e.waitIndexed()
	find := func(params string) []string {
		v, err := url.ParseQuery("category=hvitevarer&per_page=100&" + params)
		if err != nil {
			t.Fatal(err)
		}
		got := names(e.search(v))
		sort.Strings(got)
		return got
	}
	for params, want := range map[string][]string{
		"":                            {"Hvitevareservice Nordnes", "Symaskinservice Åsane", "Vaskemaskinfiks"},
		"warranty_min=6":              {"Hvitevareservice Nordnes"},
		"warranty_min=3":              {"Hvitevareservice Nordnes", "Symaskinservice Åsane"},
		"turnaround_max=2":            {"Hvitevareservice Nordnes"},
		"turnaround_max=20":           {"Hvitevareservice Nordnes", "Symaskinservice Åsane"},
		"loaner=true":                 {"Symaskinservice Åsane"},
		"where=at_home&where=by_post": {"Hvitevareservice Nordnes", "Symaskinservice Åsane"},
		"brand=MIELE":                 {"Hvitevareservice Nordnes"},
		"hide_own_brand=true":         {"Hvitevareservice Nordnes", "Vaskemaskinfiks"},
		"warranty_min=3&loaner=true":  {"Symaskinservice Åsane"},
	} {
		if got := find(params); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", params, got, want)
		}
	}
	if r := e.search(url.Values{"category": {"hvitevarer"}}); len(r.Facets.Where) != 0 {
		t.Errorf("condition facets counted unasked: %+v", r.Facets.Where)
	}
	r := e.search(url.Values{"category": {"hvitevarer"}, "facets": {"conditions"}})
	if r.Facets.Where["at_home"] != 1 || r.Facets.Where["by_post"] != 1 || r.Facets.Brand["miele"] != 1 || r.Facets.Loaner != 1 {
		t.Errorf("facets %+v", r.Facets)
	}

	// Bad filters are refused in words; none reaches the filter string.
	for _, params := range []string{"brand=%22%20OR%20true", "where=moon", "warranty_min=-1", "turnaround_max=soon", "loaner=maybe", "facets=all"} {
		status, body := e.get("/api/v1/search?" + params)
		if status != http.StatusBadRequest || !strings.Contains(string(body), "invalid_parameter") {
			t.Errorf("%s: %d %s", params, status, body)
		}
	}

	// The search page offers them and shows what is set as removable pills.
	_, home := e.get("/?category=hvitevarer&warranty_min=6&where=at_home")
	for _, want := range []string{`<select id="warranty_min" name="warranty_min">`, "Minst 6 måneders garanti", `id="where-at_home" name="where" value="at_home" checked`, "Hvitevareservice Nordnes"} {
		if !strings.Contains(string(home), want) {
			t.Errorf("the search page lacks %s", want)
		}
	}
}
