package listing

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
	Action Action
	// OwnerID, on a Create, makes that account an owner of the new
	// listing in the same transaction (a repairer registering).
	OwnerID string
	// Note says why, in the writer's words: the reason a listing was
	// hidden or rejected, the entry a revert undid, the import file.
	Note string
}

// Action is the kind of a write, recorded in the audit log.
type Action string

// Actions recorded in the audit log.
const (
	ActionCreate        Action = "create"
	ActionImport        Action = "import"
	ActionOwnerRegister Action = "owner_register"
	ActionOwnerEdit     Action = "owner_edit"
	ActionOwnerConfirm  Action = "owner_confirm"
	ActionAdminEdit     Action = "admin_edit"
	ActionVerify        Action = "admin_verify"
	ActionReject        Action = "admin_reject"
	ActionHide          Action = "admin_hide"
	ActionUnhide        Action = "admin_unhide"
	ActionRevert        Action = "admin_revert"
	ActionVoucher       Action = "admin_voucher"
	ActionMarks         Action = "admin_marks"
	// ActionEvent: one of the listing's events (sessions) was saved or
	// deleted; the note says which.
	ActionEvent Action = "event"
	// Decisions about a listing taken elsewhere, recorded without fields
	// (an approved claim may bring the organisation number the claimant
	// gave).
	ActionClaimApproved Action = "admin_claim_approved"
	ActionClaimRejected Action = "admin_claim_rejected"
	ActionReportClosed  Action = "admin_report_closed"
	// ActionSuggestionAccepted writes a suggested value the municipality
	// accepted; the note names the suggestion.
	ActionSuggestionAccepted Action = "admin_suggestion_accepted"
	// ActionOwnerRemoved takes a listing away from an owner (the note
	// names them).
	ActionOwnerRemoved Action = "admin_owner_removed"
)

// FieldChange is one field's value before and after a write, as text.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// fieldText renders each audited field as text, in the order forms show
// them. Fields people write can also be set back from that text (a
// revert); the municipality's own fields (status, verification) cannot.
type fieldTextEntry struct {
	name string
	text func(*Listing) string
	set  func(*Listing, string) error
}

var fieldText = []fieldTextEntry{
	{"name", func(l *Listing) string { return l.Name }, func(l *Listing, v string) error { l.Name = v; return nil }},
	{"org_number", func(l *Listing) string { return l.OrgNumber }, func(l *Listing, v string) error { l.OrgNumber = v; return nil }},
	{"categories", func(l *Listing) string { return strings.Join(l.Categories, ", ") }, func(l *Listing, v string) error { l.Categories = splitList(v); return nil }},
	{"services", func(l *Listing) string { return strings.Join(l.Services, ", ") }, func(l *Listing, v string) error { l.Services = splitList(v); return nil }},
	{"description_nb", func(l *Listing) string { return l.DescriptionNB }, func(l *Listing, v string) error { l.DescriptionNB = v; return nil }},
	{"description_en", func(l *Listing) string { return l.DescriptionEN }, func(l *Listing, v string) error { l.DescriptionEN = v; return nil }},
	{"address.street", func(l *Listing) string { return l.Address.Street }, func(l *Listing, v string) error { l.Address.Street = v; return nil }},
	{"address.postcode", func(l *Listing) string { return l.Address.Postcode }, func(l *Listing, v string) error { l.Address.Postcode = v; return nil }},
	{"address.city", func(l *Listing) string { return l.Address.City }, func(l *Listing, v string) error { l.Address.City = v; return nil }},
	{"location", func(l *Listing) string {
		return strconv.FormatFloat(l.Location.Lat, 'f', 6, 64) + ", " + strconv.FormatFloat(l.Location.Lng, 'f', 6, 64)
	}, func(l *Listing, v string) error {
		lat, lng, _ := strings.Cut(v, ", ")
		var err1, err2 error
		l.Location.Lat, err1 = ParseDecimal(lat)
		l.Location.Lng, err2 = ParseDecimal(lng)
		return errors.Join(err1, err2)
	}},
	{"phone", func(l *Listing) string { return l.Phone }, func(l *Listing, v string) error { l.Phone = v; return nil }},
	{"email", func(l *Listing) string { return l.Email }, func(l *Listing, v string) error { l.Email = v; return nil }},
	{"website", func(l *Listing) string { return l.Website }, func(l *Listing, v string) error { l.Website = v; return nil }},
	{"opening_hours", func(l *Listing) string {
		b, _ := json.Marshal(l.OpeningHours) // a plain struct: cannot fail
		return string(b)
	}, func(l *Listing, v string) error { return json.Unmarshal([]byte(v), &l.OpeningHours) }},
	{"price_info", func(l *Listing) string { return l.PriceInfo }, func(l *Listing, v string) error { l.PriceInfo = v; return nil }},
	{"price_from_nok", func(l *Listing) string {
		if l.PriceFromNOK == nil {
			return ""
		}
		return strconv.Itoa(*l.PriceFromNOK)
	}, func(l *Listing, v string) error {
		if v == "" {
			l.PriceFromNOK = nil
			return nil
		}
		n, err := strconv.Atoi(v)
		l.PriceFromNOK = &n
		return err
	}},
	{"accepts_repair_voucher", func(l *Listing) string { return strconv.FormatBool(l.AcceptsRepairVoucher) }, nil},
	{"accepts_gift_card", func(l *Listing) string { return strconv.FormatBool(l.AcceptsGiftCard) }, nil},
	{"marks", func(l *Listing) string {
		if len(l.Marks) == 0 {
			return ""
		}
		b, _ := json.Marshal(l.Marks) // plain values: cannot fail
		return string(b)
	}, nil},
	{"wheelchair_accessible", func(l *Listing) string { return l.WheelchairAccessible }, func(l *Listing, v string) error { l.WheelchairAccessible = v; return nil }},
	{"kind", func(l *Listing) string { return l.Kind }, func(l *Listing, v string) error { l.Kind = v; return nil }},
	{"conditions", func(l *Listing) string { return l.Conditions.AuditText() }, func(l *Listing, v string) error {
		l.Conditions = Conditions{}
		if v == "" {
			return nil
		}
		return json.Unmarshal([]byte(v), &l.Conditions)
	}},
	{"status", func(l *Listing) string { return string(l.Status) }, nil},
	{"hide_reason", func(l *Listing) string { return l.HideReason }, nil},
	{"verified_at", func(l *Listing) string { return timeText(l.VerifiedAt) }, nil},
	{"verified_by", func(l *Listing) string { return l.VerifiedBy }, nil},
	{"confirmed_at", func(l *Listing) string { return timeText(l.ConfirmedAt) }, nil},
}

func splitList(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ", ")
}

func fieldNamed(name string) (fieldTextEntry, bool) {
	i := slices.IndexFunc(fieldText, func(f fieldTextEntry) bool { return f.name == name })
	if i < 0 {
		return fieldTextEntry{}, false
	}
	return fieldText[i], true
}

// FieldText is one audited field of l as the audit log writes it ("" for
// an unknown field).
func FieldText(l *Listing, field string) string {
	f, ok := fieldNamed(field)
	if !ok {
		return ""
	}
	return f.text(l)
}

// SetField sets one field of l from its audit-log text; a field people do
// not write (status, verification) cannot be set.
func SetField(l *Listing, field, value string) error {
	f, ok := fieldNamed(field)
	if !ok || f.set == nil {
		return fmt.Errorf("listing: %s cannot be set", field)
	}
	return f.set(l, value)
}

// Revertible reports whether a field can be set back by a revert.
func Revertible(field string) bool {
	f, ok := fieldNamed(field)
	return ok && f.set != nil
}

// Restore sets l's fields back to the before values of changes, where the
// field still has the value the change gave it. It returns the fields it
// restored and those it left: changed again since, or not a field people
// write (status and verification have their own actions).
func Restore(l *Listing, changes []FieldChange) (restored, left []string, err error) {
	for _, c := range changes {
		f, ok := fieldNamed(c.Field)
		if !ok || f.set == nil || f.text(l) != c.After {
			left = append(left, c.Field)
			continue
		}
		if err := f.set(l, c.Before); err != nil {
			return nil, nil, fmt.Errorf("listing: restore %s: %w", c.Field, err)
		}
		restored = append(restored, c.Field)
	}
	return restored, left, nil
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
