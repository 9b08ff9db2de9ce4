package listing

import (
	"errors"
	"slices"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/apperr"
)

func intp(n int) *int { return &n }

// Conditions are tidied (lists sorted, brands deduplicated by key) and
// every bad value is named by its field; nothing stated stays nothing.
func TestConditionsAreCheckedAndTidied(t *testing.T) {
	c := Conditions{Where: []string{"at_home", "in_shop", "at_home"}, Brands: []string{" Miele", "MIELE", "Bosch"}, Languages: []string{"pl", "nb"}}
	if errs := normalizeConditions(&c); len(errs) != 0 {
		t.Fatalf("good conditions refused: %v", errs)
	}
	if !slices.Equal(c.Where, []string{"at_home", "in_shop"}) || !slices.Equal(c.Brands, []string{"Bosch", "Miele"}) || !slices.Equal(c.Languages, []string{"nb", "pl"}) {
		t.Errorf("tidied to %+v", c)
	}
	var none Conditions
	if errs := normalizeConditions(&none); len(errs) != 0 || !none.IsZero() || none.AuditText() != "" {
		t.Errorf("nothing stated became %+v %v", none, errs)
	}
	bad := Conditions{Turnaround: "soon", TurnaroundDays: intp(91), Loaner: "maybe", LoanerCostNOK: intp(100), Where: []string{"moon"},
		Ancillary: map[string]string{"pickup": "cheap"}, WarrantyMonths: intp(-1), DiagnosisFeeNOK: intp(-5), DiagnosisDeducted: "sometimes",
		Brands: []string{`"; DROP`}, OwnBrandOnly: "yes", Languages: []string{"klingon"}, QuoteRequests: "please"}
	fields := map[string]bool{}
	for _, err := range normalizeConditions(&bad) {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			fields[ae.Field] = true
		}
	}
	for _, f := range []string{"turnaround", "turnaround_days", "loaner", "loaner_cost_nok", "where", "ancillary", "warranty_months",
		"diagnosis_fee_nok", "diagnosis_deducted", "brands", "own_brand_only", "languages", "quote_requests"} {
		if !fields["conditions."+f] {
			t.Errorf("no problem named on %s (%v)", f, fields)
		}
	}
	if days, ok := (Conditions{Turnaround: "weeks"}).MaxDays(); !ok || days != 15 {
		t.Errorf("weeks: %d %v", days, ok)
	}
	if _, ok := (Conditions{}).MaxDays(); ok {
		t.Error("an unknown turnaround has a number of days")
	}
}
