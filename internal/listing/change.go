package listing

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Change says who writes a listing and why; the store records it in the
// audit log with the fields the write changed.
type Change struct {
	// Actor is who wrote: "owner:per@example.no", "admin:…", "import:osm",
	// "cli", "system".
	Actor string
	// Action is what kind of write it was, e.g. ActionOwnerEdit.
	Action string
	// OwnerID, on a Create, makes that account an owner of the new
	// listing in the same transaction (a repairer registering).
	OwnerID string
}

// Actions recorded in the audit log.
const (
	ActionCreate        = "create"
	ActionImport        = "import"
	ActionOwnerRegister = "owner_register"
	ActionOwnerEdit     = "owner_edit"
	ActionOwnerConfirm  = "owner_confirm"
)

// FieldChange is one field's value before and after a write, as text.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// fieldText renders each audited field as text, in the order forms show them.
var fieldText = []struct {
	name string
	text func(*Listing) string
}{
	{"name", func(l *Listing) string { return l.Name }},
	{"org_number", func(l *Listing) string { return l.OrgNumber }},
	{"categories", func(l *Listing) string { return strings.Join(l.Categories, ", ") }},
	{"services", func(l *Listing) string { return strings.Join(l.Services, ", ") }},
	{"description_nb", func(l *Listing) string { return l.DescriptionNB }},
	{"description_en", func(l *Listing) string { return l.DescriptionEN }},
	{"address.street", func(l *Listing) string { return l.Address.Street }},
	{"address.postcode", func(l *Listing) string { return l.Address.Postcode }},
	{"address.city", func(l *Listing) string { return l.Address.City }},
	{"location", func(l *Listing) string {
		return strconv.FormatFloat(l.Location.Lat, 'f', 6, 64) + ", " + strconv.FormatFloat(l.Location.Lng, 'f', 6, 64)
	}},
	{"phone", func(l *Listing) string { return l.Phone }},
	{"email", func(l *Listing) string { return l.Email }},
	{"website", func(l *Listing) string { return l.Website }},
	{"opening_hours", func(l *Listing) string {
		b, _ := json.Marshal(l.OpeningHours) // a plain struct: cannot fail
		return string(b)
	}},
	{"price_info", func(l *Listing) string { return l.PriceInfo }},
	{"price_from_nok", func(l *Listing) string {
		if l.PriceFromNOK == nil {
			return ""
		}
		return strconv.Itoa(*l.PriceFromNOK)
	}},
	{"accepts_repair_voucher", func(l *Listing) string { return strconv.FormatBool(l.AcceptsRepairVoucher) }},
	{"wheelchair_accessible", func(l *Listing) string { return l.WheelchairAccessible }},
	{"status", func(l *Listing) string { return l.Status }},
	{"hide_reason", func(l *Listing) string { return l.HideReason }},
	{"verified_at", func(l *Listing) string { return timeText(l.VerifiedAt) }},
	{"verified_by", func(l *Listing) string { return l.VerifiedBy }},
	{"confirmed_at", func(l *Listing) string { return timeText(l.ConfirmedAt) }},
}

func timeText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Diff lists the fields whose values differ from before to after; a nil
// before (a new listing) lists every field that has a value.
func Diff(before, after *Listing) []FieldChange {
	var out []FieldChange
	for _, f := range fieldText {
		b, a := "", f.text(after)
		if before != nil {
			b = f.text(before)
		}
		if a != b {
			out = append(out, FieldChange{Field: f.name, Before: b, After: a})
		}
	}
	return out
}
