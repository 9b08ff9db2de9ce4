// Package suggestion holds proposed changes to a listing's fields — from
// imports whose value differs from one people set, from the public and
// from automatic checks — that a municipality editor accepts or rejects.
// Nothing an automated source proposes overwrites what people wrote.
package suggestion

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Decisions on a suggestion.
const (
	Accepted = "accepted"
	Rejected = "rejected"
)

// MaxReason bounds an editor's reason for a rejection.
const MaxReason = 500

// Suggestion is one proposed value for one field of a listing.
type Suggestion struct {
	ID        string
	ListingID string
	Field     string // the audit log's field name
	Current   string // the field's value when the suggestion was raised
	Proposed  string
	Source    string // listing.SourceOSM, SourceImport, SourceRegister, SourcePublicTip, …
	Evidence  string // what it rests on: the import, the report, the register entry
	CreatedAt time.Time
	DecidedAt *time.Time
	DecidedBy string
	Decision  string
	Reason    string
}

// Store keeps suggestions.
type Store interface {
	// RaiseSuggestions stores new suggestions; one already raised (same
	// listing, field, proposed value and source) is not raised again. It
	// returns how many were new.
	RaiseSuggestions(ctx context.Context, ss []Suggestion) (int, error)
	// SuggestionRaised reports whether sg was raised before (open or
	// decided), so RaiseSuggestions would not raise it again.
	SuggestionRaised(ctx context.Context, sg Suggestion) (bool, error)
	OpenSuggestions(ctx context.Context) ([]Suggestion, error)
	Suggestion(ctx context.Context, id string) (Suggestion, error)
	// DecideSuggestion records a decision on an open suggestion; a decided
	// or unknown one is apperr not found.
	DecideSuggestion(ctx context.Context, id, decision, by, reason string, at time.Time) error
}

// FieldOwner is the field of a suggestion to review an owner: Current is
// the owner's e-mail address, and accepting removes them.
const FieldOwner = "owner"

// FieldClosed is the field of a suggestion to hide a listing as closed:
// Proposed is the hide reason; accepting hides it.
const FieldClosed = "closed"

// FieldAddress is the field of a suggestion to move a listing: the street
// address and postcode as one value, "Strandgaten 1, 5013", since one
// without the other places nobody. Accepting writes both; the listing
// service then finds the new position.
const FieldAddress = "address"

// AddressText is an address as a FieldAddress value.
func AddressText(a listing.Address) string {
	return strings.TrimSpace(a.Street + ", " + a.Postcode)
}

// setAddress reads a FieldAddress value into l.
func setAddress(l *listing.Listing, v string) bool {
	i := strings.LastIndex(v, ", ")
	if i < 0 {
		return false
	}
	street, code := strings.TrimSpace(v[:i]), strings.TrimSpace(v[i+2:])
	if street == "" || len(code) != 4 || strings.Trim(code, "0123456789") != "" {
		return false
	}
	l.Address.Street, l.Address.Postcode = street, code
	return true
}

// OwnerRemover takes a listing away from an owner.
type OwnerRemover interface {
	RemoveOwner(ctx context.Context, listingID, email string, ch listing.Change) error
}

// Service decides suggestions; an accepted value is written through the
// listing service, audit-logged with the suggestion as its reason.
type Service struct {
	Store    Store
	Listings *listing.Service
	Owners   OwnerRemover
	Now      func() time.Time
}

// Raise stores new suggestions (one already raised is not raised again)
// and returns how many were new.
func (s *Service) Raise(ctx context.Context, ss []Suggestion) (int, error) {
	return s.Store.RaiseSuggestions(ctx, ss)
}

// Raised reports whether sg was raised before: a check need not gather
// evidence (ask an external service) for a suggestion it would not raise.
func (s *Service) Raised(ctx context.Context, sg Suggestion) (bool, error) {
	return s.Store.SuggestionRaised(ctx, sg)
}

// Open returns the suggestions waiting for a decision, oldest first.
func (s *Service) Open(ctx context.Context) ([]Suggestion, error) {
	return s.Store.OpenSuggestions(ctx)
}

// Stale reports whether the field has changed since the suggestion was
// raised: accepting it would overwrite a value nobody has compared it to.
func (sg Suggestion) Stale(l *listing.Listing) bool {
	switch sg.Field {
	case FieldOwner:
		return false // an owner review is about a person, not a value
	case FieldClosed:
		return l.Status == listing.StatusHidden
	case FieldAddress:
		return AddressText(l.Address) != sg.Current
	}
	return listing.FieldText(l, sg.Field) != sg.Current
}

// Accept writes the proposed value (or the editor's edit of it, when
// value is not nil) to the listing. Accepting an accepted suggestion again
// changes nothing; a stale or rejected one is refused.
func (s *Service) Accept(ctx context.Context, id, by string, value *string) error {
	sg, err := s.Store.Suggestion(ctx, id)
	if err != nil {
		return err
	}
	switch sg.Decision {
	case Accepted:
		return nil
	case Rejected:
		return apperr.Conflict("err.suggestion.decided")
	}
	ch := listing.Change{Actor: "admin:" + by, Action: listing.ActionSuggestionAccepted,
		Note: "forslag " + sg.ID + " (" + sg.Source + "): " + sg.Evidence}
	if sg.Field == FieldOwner {
		if err := s.Owners.RemoveOwner(ctx, sg.ListingID, sg.Current, ch); err != nil && !apperr.Is(err, apperr.CodeNotFound) {
			return err
		}
		return s.Store.DecideSuggestion(ctx, id, Accepted, by, "", s.Now().UTC())
	}
	l, err := s.Listings.Store.Get(ctx, sg.ListingID)
	if err != nil {
		return err
	}
	if sg.Stale(l) {
		return apperr.Conflict("err.suggestion.stale")
	}
	proposed := sg.Proposed
	if value != nil {
		proposed = *value
	}
	switch {
	case sg.Field == FieldClosed:
		l.Status, l.HideReason = listing.StatusHidden, sg.Proposed
	case sg.Field == FieldAddress:
		if !setAddress(l, proposed) {
			return apperr.Invalid("value", "err.suggestion.value")
		}
	case listing.SetField(l, sg.Field, proposed) != nil:
		return apperr.Invalid("value", "err.suggestion.value")
	case sg.Field == "location":
		l.ApproximatePosition = false // a person chose this position
	}
	if err := s.Listings.Update(ctx, l, ch); err != nil {
		return err
	}
	return s.Store.DecideSuggestion(ctx, id, Accepted, by, "", s.Now().UTC())
}

// Reject closes a suggestion with the editor's reason. Rejecting a
// rejected suggestion again changes nothing.
func (s *Service) Reject(ctx context.Context, id, by, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || !utf8.ValidString(reason) || utf8.RuneCountInString(reason) > MaxReason {
		return apperr.Invalid("reason", "err.suggestion.reason", "max", MaxReason)
	}
	sg, err := s.Store.Suggestion(ctx, id)
	if err != nil {
		return err
	}
	switch sg.Decision {
	case Rejected:
		return nil
	case Accepted:
		return apperr.Conflict("err.suggestion.decided")
	}
	return s.Store.DecideSuggestion(ctx, id, Rejected, by, reason, s.Now().UTC())
}
