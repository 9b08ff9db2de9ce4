package search

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// MaxTurnaroundDays is the most working days turnaround_max may ask for.
const MaxTurnaroundDays = 90

// ConditionFilter narrows a search by the repair conditions repairers
// stated. A repairer whose condition is unknown does not pass a filter on
// it (a filter asks for what is known), and is never counted as "no".
type ConditionFilter struct {
	// WarrantyMin: at least this many months' warranty on the repair.
	WarrantyMin int
	// TurnaroundMax: typically done within this many working days (nil:
	// no filter; 0: the same day).
	TurnaroundMax *int
	// Loaner: a temporary replacement good is offered.
	Loaner bool
	// Where: the repair can happen at any of these (listing.RepairPlaces).
	Where []string
	// Brand: repairs this brand (listing.BrandKey form).
	Brand string
	// HideOwnBrandOnly leaves out those that repair only their own brand.
	HideOwnBrandOnly bool
	// Label: holds this quality label (a label's slug); GiftCard: takes
	// the repair gift card.
	Label    string
	GiftCard bool
}

// Active reports whether the filter narrows anything.
func (f ConditionFilter) Active() bool {
	return f.WarrantyMin > 0 || f.TurnaroundMax != nil || f.Loaner || len(f.Where) > 0 || f.Brand != "" || f.HideOwnBrandOnly || f.Label != "" || f.GiftCard
}

// brandFilterPattern is what a brand in a filter may be: the characters of
// a brand name (listing.Conditions), lower case. No quote or backslash can
// reach a filter string.
var brandFilterPattern = regexp.MustCompile(`^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N} &'.+-]{0,39}$`)

func parseConditionFilter(v url.Values) (ConditionFilter, error) {
	var f ConditionFilter
	var err error
	if f.WarrantyMin, err = parseInt(v, "warranty_min", 0, 120, 0); err != nil {
		return f, err
	}
	if _, ok := v["turnaround_max"]; ok {
		days, err := parseInt(v, "turnaround_max", 0, MaxTurnaroundDays, 0)
		if err != nil {
			return f, err
		}
		f.TurnaroundMax = &days
	}
	if f.Loaner, err = parseBool(v, "loaner"); err != nil {
		return f, err
	}
	if f.HideOwnBrandOnly, err = parseBool(v, "hide_own_brand"); err != nil {
		return f, err
	}
	if f.Where, err = parseSlugs(v["where"], "where", func(s string) bool { return slices.Contains(listing.RepairPlaces, s) }); err != nil {
		return f, err
	}
	if f.GiftCard, err = parseBool(v, "gift_card"); err != nil {
		return f, err
	}
	if raw, ok := v["label"]; ok {
		if f.Label = raw[0]; !listing.ValidLabelSlug(f.Label) {
			return f, apperr.Invalid("label", "err.search.value_unknown", "value", f.Label)
		}
	}
	if raw, ok := v["brand"]; ok {
		f.Brand = listing.BrandKey(raw[0])
		if !brandFilterPattern.MatchString(f.Brand) {
			return f, apperr.Invalid("brand", "err.search.brand_invalid")
		}
	}
	return f, nil
}

// key is the filter in a cache key.
func (f ConditionFilter) key() string {
	turnaround := "-"
	if f.TurnaroundMax != nil {
		turnaround = strconv.Itoa(*f.TurnaroundMax)
	}
	return strconv.Itoa(f.WarrantyMin) + "/" + turnaround + "/" + strconv.FormatBool(f.Loaner) + "/" +
		strings.Join(f.Where, ",") + "/" + f.Brand + "/" + strconv.FormatBool(f.HideOwnBrandOnly) + "/" + f.Label + "/" + strconv.FormatBool(f.GiftCard)
}
