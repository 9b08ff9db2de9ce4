package view

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/bergenreparerer/reparerer/internal/audit"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/paths"
)

// Edit is one audit entry as a before/after table.
type Edit struct {
	EntryID                            int64
	ListingName, AdminURL, Actor, When string
	ActionText, Note, RevertURL        string
	Changes                            []Change
	Revertible                         bool
	// Seen: the editor viewing the queue has marked it as seen; SeenURL
	// (set in the queue only) marks it.
	Seen    bool
	SeenURL string
}

// Change is one field's row of an Edit.
type Change struct{ Field, Before, After string }

// NewEdit shapes an audit entry of the listing named name.
func NewEdit(l *i18n.Localizer, e audit.Entry, name string) Edit {
	r := Edit{EntryID: e.ID, ListingName: name, AdminURL: paths.AdminListing(e.ListingID), Actor: e.Actor,
		When: Moment(l, e.At), ActionText: l.T("admin.action." + string(e.Action)), Note: e.Note,
		RevertURL: paths.Revert(strconv.FormatInt(e.ID, 10))}
	for _, ch := range e.Changes {
		r.Changes = append(r.Changes, NewChange(l, ch))
		r.Revertible = r.Revertible || listing.Revertible(ch.Field)
	}
	r.Revertible = r.Revertible && e.Version > 1 // a listing's first entry is its creation
	return r
}

// NewChange shapes one field's change.
func NewChange(l *i18n.Localizer, ch listing.FieldChange) Change {
	return Change{FieldLabel(l, ch.Field), ValueText(l, ch.Field, ch.Before), ValueText(l, ch.Field, ch.After)}
}

// ValueText shows a stored field value as people read it: names for
// codes, the national form of a phone number, hours in OSM syntax.
func ValueText(l *i18n.Localizer, field, value string) string {
	if value == "" {
		return ""
	}
	switch field {
	case "phone":
		return listing.DisplayPhone(value)
	case "categories":
		return CategoryNames(strings.Split(value, ", "), l)
	case "opening_hours":
		var sch openinghours.Schedule
		if json.Unmarshal([]byte(value), &sch) != nil {
			return value
		}
		if !sch.Known() && !sch.Unparsed {
			return l.T("admin.hours_unknown")
		}
		return sch.String()
	case "accepts_repair_voucher":
		return l.T("admin.bool." + value)
	case "wheelchair_accessible":
		return l.T("form.wheelchair." + value)
	case "status":
		return l.T("account.status." + value)
	case "hide_reason":
		return l.T("admin.hide." + value)
	}
	return value
}

// FieldLabel names a listing field as the forms do.
func FieldLabel(l *i18n.Localizer, field string) string {
	key := "form.field." + strings.ReplaceAll(field, ".", "_")
	if l.Has(key) {
		return l.T(key)
	}
	return field
}

// ActorText names who made a change without showing other people's
// addresses: the municipality, another owner, an import.
func ActorText(l *i18n.Localizer, actor string) string {
	kind, _, _ := strings.Cut(actor, ":")
	key := "conflict.actor." + kind
	if l.Has(key) {
		return l.T(key)
	}
	return l.T("conflict.actor.other")
}

// Conflict is one field another person changed since a form was opened.
type Conflict struct{ Field, By, When, Now string }

// Conflicts shapes the entries written since a form was opened.
func Conflicts(l *i18n.Localizer, since []audit.Entry) []Conflict {
	var out []Conflict
	for _, e := range since {
		for _, ch := range e.Changes {
			row := Conflict{Field: FieldLabel(l, ch.Field), By: ActorText(l, e.Actor), When: Moment(l, e.At),
				Now: ValueText(l, ch.Field, ch.After)}
			if ch.Field == "opening_hours" {
				row.Now = l.T("conflict.hours_changed") // the form below shows them
			}
			out = append(out, row)
		}
	}
	return out
}
