package listing

import (
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/bergenreparerer/reparerer/internal/apperr"
)

// Conditions are a repairer's repair conditions, as Directive (EU)
// 2024/1799 asks repairers to state them and a national repair platform to
// let consumers filter on them. Every field may be unknown, and unknown is
// never shown or filtered as "no": Yes/No fields are "" (unknown), "yes"
// or "no"; numbers are nil when unknown; lists are empty when unknown.
type Conditions struct {
	// Turnaround is the typical time a repair takes: same_day, days or
	// weeks; TurnaroundDays, when given, the working days.
	Turnaround     string `json:"turnaround,omitempty"`
	TurnaroundDays *int   `json:"turnaround_days,omitempty"`
	// Loaner: a temporary replacement good while the repair lasts, and
	// its cost in NOK (0: free).
	Loaner        string `json:"loaner,omitempty"`
	LoanerCostNOK *int   `json:"loaner_cost_nok,omitempty"`
	// Where the repair happens: in_shop, at_home, by_post, pickup_delivery.
	Where []string `json:"where,omitempty"`
	// Ancillary services offered (pickup, transport, installation,
	// removal) and whether each costs: "free" or "paid".
	Ancillary map[string]string `json:"ancillary,omitempty"`
	// WarrantyMonths is the warranty on the repair itself.
	WarrantyMonths *int `json:"warranty_months,omitempty"`
	// DiagnosisFeeNOK is the fee for finding the fault or an estimate (0:
	// free); DiagnosisDeducted whether it is deducted when the repair
	// goes ahead.
	DiagnosisFeeNOK   *int   `json:"diagnosis_fee_nok,omitempty"`
	DiagnosisDeducted string `json:"diagnosis_deducted,omitempty"`
	// Brands repaired, as written ("Miele", "Apple"); OwnBrandOnly whether
	// the repairer repairs only its own brand (a brand's own service).
	Brands       []string `json:"brands,omitempty"`
	OwnBrandOnly string   `json:"own_brand_only,omitempty"`
	// Languages spoken with customers, as ISO 639-1 codes ("nb", "en").
	Languages []string `json:"languages,omitempty"`
	// QuoteRequests: "yes" when the repairer takes requests for the
	// European Repair Information Form through the directory (package
	// quote); they go to the listing's e-mail address.
	QuoteRequests string `json:"quote_requests,omitempty"`
}

// The closed sets of Conditions.
var (
	Turnarounds    = []string{"same_day", "days", "weeks"}
	RepairPlaces   = []string{"in_shop", "at_home", "by_post", "pickup_delivery"}
	AncillaryKinds = []string{"pickup", "transport", "installation", "removal"}
	// Languages are the languages a repairer may say it speaks, by code.
	Languages = []string{"nb", "nn", "en", "se", "sv", "da", "de", "fr", "es", "it", "pl", "lt", "uk", "ru", "ar", "so", "ti", "fa", "ur", "tr", "vi", "zh", "th", "tl"}
)

// Limits of Conditions.
const (
	maxTurnaroundDays = 90
	maxWarrantyMonths = 120
	maxBrands         = 30
	maxBrand          = 40
)

// NominalDays is the most working days a turnaround category stands for,
// for "done within N days" when no number was given.
var NominalDays = map[string]int{"same_day": 0, "days": 5, "weeks": 15}

// MaxDays is the most working days a repair typically takes (false:
// unknown), for filtering.
func (c Conditions) MaxDays() (int, bool) {
	if c.TurnaroundDays != nil {
		return *c.TurnaroundDays, true
	}
	n, ok := NominalDays[c.Turnaround]
	return n, ok
}

// IsZero reports whether nothing is known.
func (c Conditions) IsZero() bool {
	return c.Turnaround == "" && c.TurnaroundDays == nil && c.Loaner == "" && c.LoanerCostNOK == nil && len(c.Where) == 0 &&
		len(c.Ancillary) == 0 && c.WarrantyMonths == nil && c.DiagnosisFeeNOK == nil && c.DiagnosisDeducted == "" &&
		len(c.Brands) == 0 && c.OwnBrandOnly == "" && len(c.Languages) == 0 && c.QuoteRequests == ""
}

var brandPattern = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N} &'.+-]*$`)

// BrandKey is a brand as filters and facets name it: lower case, single
// spaces ("Miele" and "MIELE " are one brand).
func BrandKey(brand string) string {
	return strings.ToLower(strings.Join(strings.Fields(brand), " "))
}

// normalizeConditions tidies c in place (sorted lists, no duplicates) and
// returns every problem, each an apperr naming its field.
func normalizeConditions(c *Conditions) []error {
	var errs []error
	bad := func(field, key string, args ...any) {
		errs = append(errs, apperr.Invalid("conditions."+field, key, args...))
	}
	for _, n := range []struct {
		field string
		v     *int
		max   int
	}{{"turnaround_days", c.TurnaroundDays, maxTurnaroundDays}, {"loaner_cost_nok", c.LoanerCostNOK, maxPriceNOK},
		{"warranty_months", c.WarrantyMonths, maxWarrantyMonths}, {"diagnosis_fee_nok", c.DiagnosisFeeNOK, maxPriceNOK}} {
		if n.v != nil && (*n.v < 0 || *n.v > n.max) {
			bad(n.field, "err.listing.number_range", "min", 0, "max", n.max)
		}
	}
	for _, y := range []struct {
		field string
		v     string
	}{{"loaner", c.Loaner}, {"diagnosis_deducted", c.DiagnosisDeducted}, {"own_brand_only", c.OwnBrandOnly}, {"quote_requests", c.QuoteRequests}} {
		if y.v != "" && y.v != "yes" && y.v != "no" {
			bad(y.field, "err.listing.yes_no_invalid")
		}
	}
	if c.Turnaround != "" && !slices.Contains(Turnarounds, c.Turnaround) {
		bad("turnaround", "err.listing.choice_invalid")
	}
	if c.LoanerCostNOK != nil && c.Loaner != "yes" {
		bad("loaner_cost_nok", "err.listing.loaner_cost_without_loaner")
	}
	c.Where, c.Languages = tidySet(c.Where), tidySet(c.Languages)
	if !allIn(c.Where, RepairPlaces) {
		bad("where", "err.listing.choice_invalid")
	}
	if !allIn(c.Languages, Languages) {
		bad("languages", "err.listing.choice_invalid")
	}
	for kind, cost := range c.Ancillary {
		if !slices.Contains(AncillaryKinds, kind) || (cost != "free" && cost != "paid") {
			bad("ancillary", "err.listing.choice_invalid")
			break
		}
	}
	if len(c.Ancillary) == 0 {
		c.Ancillary = nil
	}
	errs = append(errs, normalizeBrands(c)...)
	if c.OwnBrandOnly == "yes" && len(c.Brands) == 0 {
		bad("own_brand_only", "err.listing.own_brand_without_brand")
	}
	return errs
}

// normalizeBrands trims the brands, drops repeats (by BrandKey) and sorts
// them.
func normalizeBrands(c *Conditions) []error {
	var errs []error
	brands := c.Brands[:0:0]
	seen := map[string]bool{}
	for _, b := range c.Brands {
		b = strings.Join(strings.Fields(b), " ")
		switch {
		case b == "" || seen[BrandKey(b)]:
			continue
		case utf8.RuneCountInString(b) > maxBrand || !brandPattern.MatchString(b):
			errs = append(errs, apperr.Invalid("conditions.brands", "err.listing.brand_invalid", "brand", b, "max", maxBrand))
			continue
		}
		seen[BrandKey(b)] = true
		brands = append(brands, b)
	}
	if len(brands) > maxBrands {
		errs = append(errs, apperr.Invalid("conditions.brands", "err.listing.too_many", "max", maxBrands))
	}
	sort.Slice(brands, func(i, j int) bool { return BrandKey(brands[i]) < BrandKey(brands[j]) })
	c.Brands = nilIfEmpty(brands)
	return errs
}

func allIn(vs, set []string) bool {
	for _, v := range vs {
		if !slices.Contains(set, v) {
			return false
		}
	}
	return true
}

// tidySet sorts a list of codes and drops empties and repeats.
func tidySet(vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return nilIfEmpty(out)
}

func nilIfEmpty(vs []string) []string {
	if len(vs) == 0 {
		return nil
	}
	return vs
}

// AuditText is the conditions as the audit log writes them ("" when
// nothing is known).
func (c Conditions) AuditText() string {
	if c.IsZero() {
		return ""
	}
	b, _ := json.Marshal(c) // plain values: cannot fail
	return string(b)
}
