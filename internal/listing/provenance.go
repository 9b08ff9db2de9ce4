package listing

import (
	"strings"
	"time"
)

// More sources of a field's value (see Source kinds): the business register
// and the public's tips.
const (
	SourceRegister  = "register"
	SourcePublicTip = "public_tip"
)

// Origin is where one field's current value came from.
type Origin struct {
	Source string    `json:"source"` // SourceOSM, SourceRegister, SourceImport, SourceOwner, SourceMunicipality, SourcePublicTip
	At     time.Time `json:"at"`
	By     string    `json:"by,omitempty"` // the writer, as the audit log names it
}

// Provenance is the origin of each public field, by the audit log's field
// names ("name", "address.street", "opening_hours", …). The audit log
// stays the history; this is where each current value came from.
type Provenance map[string]Origin

// ProvenanceFields are the public fields whose origin is kept.
var ProvenanceFields = func() []string {
	var out []string
	for _, f := range fieldText {
		switch f.name {
		case "status", "hide_reason", "verified_at", "verified_by", "confirmed_at":
		default:
			out = append(out, f.name)
		}
	}
	return out
}()

// OriginOf is where a write's values come from: an import writes its
// feed's values (the listing's source kind), an owner's edit the owner's,
// anything a municipality editor does the municipality's.
func OriginOf(ch Change, l *Listing) string {
	switch {
	case ch.Action == ActionImport:
		return l.Source.Kind
	case ch.Action == ActionOwnerRegister || ch.Action == ActionOwnerEdit || ch.Action == ActionOwnerConfirm,
		ch.Action == ActionClaimApproved: // the number the claimant gave
		return SourceOwner
	case strings.HasPrefix(ch.Actor, "admin:"):
		return SourceMunicipality
	case ch.Action == ActionSuggestionAccepted:
		return SourceMunicipality
	case l.Source.Kind != "":
		return l.Source.Kind
	}
	return SourceMunicipality
}

// Stamp records in after.Provenance the origin of every field the write
// from before to after changed (every field with a value, for a new
// listing); the others keep theirs.
func Stamp(before, after *Listing, ch Change, at time.Time) {
	source := OriginOf(ch, after)
	next := Provenance{}
	if before != nil {
		for k, v := range before.Provenance {
			next[k] = v
		}
	}
	for _, c := range Diff(before, after) {
		if isProvenanceField(c.Field) {
			next[c.Field] = Origin{Source: source, At: at, By: ch.Actor}
		}
	}
	after.Provenance = next
}

func isProvenanceField(name string) bool {
	for _, f := range ProvenanceFields {
		if f == name {
			return true
		}
	}
	return false
}

// FieldOrigin is the origin of a field: as recorded, or — for a value
// older than provenance, never written since — the listing's own source.
func (l *Listing) FieldOrigin(field string) Origin {
	if o, ok := l.Provenance[field]; ok {
		return o
	}
	if l.Source.Kind == "" {
		return Origin{Source: SourceMunicipality, At: l.CreatedAt}
	}
	return Origin{Source: l.Source.Kind, At: l.CreatedAt}
}

// FedBy reports whether a field's value still comes from the feed source:
// only then may that feed write it directly.
func (l *Listing) FedBy(field, source string) bool {
	return l.FieldOrigin(field).Source == source
}

// WebsiteVouched reports whether the listing's website is one the city can
// stand behind: set by the municipality, taken from the business register,
// or the very address the municipality checked at its last verification.
// A website from OpenStreetMap, an import or the owner is not: anyone can
// edit OpenStreetMap.
func (l *Listing) WebsiteVouched() bool {
	if l.Website == "" {
		return false
	}
	switch l.FieldOrigin("website").Source {
	case SourceMunicipality, SourceRegister:
		return true
	}
	return l.VerifiedAt != nil && l.VerifiedFields["website"] == l.Website
}

// IdentifyingFields are the facts that say who and where a business is and
// how to reach it: a change to any of them after the municipality's check
// makes the check no longer cover the listing. Hours, prices, services and
// descriptions change often and do not.
var IdentifyingFields = []string{"name", "org_number", "address.street", "address.postcode", "address.city", "location",
	"phone", "email", "website", "categories"}

// RecordVerification notes the values the municipality checked now.
func (l *Listing) RecordVerification(by string, at time.Time) {
	l.VerifiedAt, l.VerifiedBy = &at, by
	l.VerifiedFields = map[string]string{}
	for _, f := range ProvenanceFields {
		l.VerifiedFields[f] = FieldText(l, f)
	}
}

// ChangedSinceVerification is when an identifying fact last changed after
// the municipality's last verification, by someone else, and who changed
// it (SourceOwner, an import…); ok is false when the check still covers
// the listing.
func (l *Listing) ChangedSinceVerification() (at time.Time, source string, ok bool) {
	if l.VerifiedAt == nil {
		return time.Time{}, "", false
	}
	for _, f := range IdentifyingFields {
		if v, checked := l.VerifiedFields[f]; checked && v == FieldText(l, f) {
			continue
		}
		o, known := l.Provenance[f]
		if !known || o.Source == SourceMunicipality || !o.At.After(*l.VerifiedAt) {
			continue
		}
		if !ok || o.At.After(at) {
			at, source, ok = o.At, o.Source, true
		}
	}
	return at, source, ok
}

// VerifiedFieldNames are the fields the last verification checked.
func (l *Listing) VerifiedFieldNames() []string {
	out := []string{}
	for _, f := range ProvenanceFields {
		if _, ok := l.VerifiedFields[f]; ok {
			out = append(out, f)
		}
	}
	return out
}
