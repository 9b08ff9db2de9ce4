package form

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Conditions are the repair conditions as typed; "" is "not stated".
type Conditions struct {
	Turnaround, TurnaroundDays                string
	Loaner, LoanerCost                        string
	Where                                     map[string]bool
	Ancillary                                 map[string]string // kind → "", "free" or "paid"
	Warranty, DiagnosisFee, DiagnosisDeducted string
	Brands, OwnBrandOnly                      string
	Languages                                 map[string]bool
	QuoteRequests                             string
}

func parseConditions(form url.Values) Conditions {
	v := func(name string) string { return strings.TrimSpace(form.Get(name)) }
	c := Conditions{Turnaround: v("cond_turnaround"), TurnaroundDays: v("cond_turnaround_days"),
		Loaner: v("cond_loaner"), LoanerCost: v("cond_loaner_cost"), Warranty: v("cond_warranty"),
		DiagnosisFee: v("cond_diagnosis_fee"), DiagnosisDeducted: v("cond_diagnosis_deducted"),
		Brands: v("cond_brands"), OwnBrandOnly: v("cond_own_brand_only"), QuoteRequests: v("cond_quote_requests"),
		Where: map[string]bool{}, Ancillary: map[string]string{}, Languages: map[string]bool{}}
	for _, w := range form["cond_where"] {
		c.Where[w] = true
	}
	for _, k := range listing.AncillaryKinds {
		if cost := v("cond_ancillary_" + k); cost != "" {
			c.Ancillary[k] = cost
		}
	}
	for _, l := range form["cond_language"] {
		c.Languages[l] = true
	}
	return c
}

func conditionsForm(c listing.Conditions) Conditions {
	f := Conditions{Turnaround: c.Turnaround, Loaner: c.Loaner, DiagnosisDeducted: c.DiagnosisDeducted, OwnBrandOnly: c.OwnBrandOnly, QuoteRequests: c.QuoteRequests,
		Brands: strings.Join(c.Brands, ", "), Where: map[string]bool{}, Ancillary: map[string]string{}, Languages: map[string]bool{}}
	f.TurnaroundDays, f.LoanerCost = optionalInt(c.TurnaroundDays), optionalInt(c.LoanerCostNOK)
	f.Warranty, f.DiagnosisFee = optionalInt(c.WarrantyMonths), optionalInt(c.DiagnosisFeeNOK)
	for _, w := range c.Where {
		f.Where[w] = true
	}
	for k, cost := range c.Ancillary {
		f.Ancillary[k] = cost
	}
	for _, l := range c.Languages {
		f.Languages[l] = true
	}
	return f
}

// WholeNumber reads an optional whole number as typed ("1 200" is 1200;
// "" is none); false for text that is not one.
func WholeNumber(text string) (*int, bool) {
	text = strings.ReplaceAll(strings.TrimSpace(text), " ", "")
	if text == "" {
		return nil, true
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return nil, false
	}
	return &n, true
}

func optionalInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// apply reads the typed conditions into c; numbers it cannot read are
// returned by input id (the listing's rules are checked after).
func (f Conditions) apply(c *listing.Conditions, bad map[string]string) {
	number := func(id, text string) *int {
		n, ok := WholeNumber(text)
		if !ok {
			bad[id] = "form.error.whole_number"
		}
		return n
	}
	*c = listing.Conditions{Turnaround: f.Turnaround, Loaner: f.Loaner, DiagnosisDeducted: f.DiagnosisDeducted, OwnBrandOnly: f.OwnBrandOnly, QuoteRequests: f.QuoteRequests}
	c.TurnaroundDays = number("cond_turnaround_days", f.TurnaroundDays)
	c.LoanerCostNOK = number("cond_loaner_cost", f.LoanerCost)
	c.WarrantyMonths = number("cond_warranty", f.Warranty)
	c.DiagnosisFeeNOK = number("cond_diagnosis_fee", f.DiagnosisFee)
	for _, w := range listing.RepairPlaces {
		if f.Where[w] {
			c.Where = append(c.Where, w)
		}
	}
	for k, cost := range f.Ancillary {
		if c.Ancillary == nil {
			c.Ancillary = map[string]string{}
		}
		c.Ancillary[k] = cost
	}
	if f.Brands != "" {
		c.Brands = strings.Split(f.Brands, ",")
	}
	for _, l := range listing.Languages {
		if f.Languages[l] {
			c.Languages = append(c.Languages, l)
		}
	}
}

// conditionInputs are the inputs the listing's condition problems are
// shown at.
var conditionInputs = map[string]string{
	"conditions.turnaround": "cond_turnaround-same_day", "conditions.turnaround_days": "cond_turnaround_days",
	"conditions.loaner": "cond_loaner-yes", "conditions.loaner_cost_nok": "cond_loaner_cost",
	"conditions.where": "cond_where-in_shop", "conditions.ancillary": "cond_ancillary_pickup",
	"conditions.warranty_months": "cond_warranty", "conditions.diagnosis_fee_nok": "cond_diagnosis_fee",
	"conditions.diagnosis_deducted": "cond_diagnosis_deducted-yes", "conditions.brands": "cond_brands",
	"conditions.own_brand_only": "cond_own_brand_only-yes", "conditions.languages": "cond_language-nb",
	"conditions.quote_requests": "cond_quote_requests-yes",
}
