package registersync

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
)

// categoryOfCode maps the repair activity codes to the directory's
// categories; any other code (a municipality's extra, such as 33.12) is
// "annet" for the editor to refine.
var categoryOfCode = map[string]string{
	"95.11": "mobil-data", "95.12": "mobil-data", "95.21": "elektronikk", "95.22": "hvitevarer",
	"95.23": "sko", "95.24": "mobler", "95.25": "ur-smykker", "95.29": "annet",
}

// Service discovers, adds and checks listings against the register.
type Service struct {
	Register Register
	// Placer places the register's addresses (package position; without
	// an address API it places them at their postcode's centre).
	Placer      listing.Placer
	Listings    *listing.Service
	Suggestions *suggestion.Service
	Postcodes   *postcode.Book
	// ExtraCodes extend RepairCodes (REPARERER_REGISTER_CODES).
	ExtraCodes []string
	// Reuse adds the second-hand and rental codes (ReuseCodes).
	Reuse bool
	// Matches keeps what each check found (nil: not kept).
	Matches MatchStore
	Now     func() time.Time
}

// Outcomes of a check of one organisation number.
const (
	OutcomeMatch    = "match"     // known to the register, alive
	OutcomeNotFound = "not_found" // the register does not know it
	OutcomeClosed   = "closed"    // deleted, bankrupt or winding up
)

// MatchStore keeps the outcome of the last check of each listing.
type MatchStore interface {
	SaveRegisterMatch(ctx context.Context, listingID, orgnr, outcome string, at time.Time) error
}

// Candidate is a register unit the directory does not know.
type Candidate struct {
	Unit
	Kind       string // the kind of place its main activity says
	Categories []string
	// PersonalName: a sole proprietorship's name is often its owner's; it
	// is shown to the editor but never published without consent.
	PersonalName bool
}

// Codes are the activity codes discovery looks for.
func (s *Service) Codes() []string {
	out := slices.Clone(RepairCodes)
	if s.Reuse {
		out = append(out, slices.Sorted(maps.Keys(ReuseCodes))...)
	}
	for _, c := range s.ExtraCodes {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// Discover lists the repair units in Bergen the directory does not know:
// none of its listings has the organisation number, or the same name at
// the same postcode.
func (s *Service) Discover(ctx context.Context) ([]Candidate, error) {
	units, err := s.Register.Search(ctx, Municipality, s.Codes())
	if err != nil {
		return nil, err
	}
	all, err := s.Listings.Store.All(ctx)
	if err != nil {
		return nil, err
	}
	var out []Candidate
	for _, u := range units {
		if u.Removed || known(u, all) {
			continue
		}
		out = append(out, Candidate{Unit: u, Kind: kindOf(u.Codes), Categories: categories(u.Codes), PersonalName: u.OrgForm == "ENK"})
	}
	return out, nil
}

func known(u Unit, all []*listing.Listing) bool {
	name := strings.ToLower(strings.Join(strings.Fields(u.Name), " "))
	for _, l := range all {
		if l.OrgNumber == u.OrgNumber ||
			(strings.ToLower(strings.Join(strings.Fields(l.Name), " ")) == name && l.Address.Postcode == u.Address.Postcode) {
			return true
		}
	}
	return false
}

func categories(codes []string) []string {
	var out []string
	for _, c := range codes {
		cat, ok := categoryOfCode[c]
		if !ok {
			cat = cmp.Or(ReuseCodes[c].Category, "annet")
		}
		if !slices.Contains(out, cat) {
			out = append(out, cat)
		}
	}
	if len(out) == 0 {
		out = []string{"annet"}
	}
	return out
}

// kindOf is the kind of place of a unit's main activity code.
func kindOf(codes []string) string {
	if len(codes) > 0 {
		if r, ok := ReuseCodes[codes[0]]; ok {
			return r.Kind
		}
	}
	return listing.KindRepair
}

// Add turns a register unit into a pending listing (source register) for an
// editor to complete and verify: its name, number, business address
// geocoded to its position (or the postcode's centre, marked approximate,
// when the address has no single match) and the categories of its
// activity codes.
func (s *Service) Add(ctx context.Context, orgnr, by string) (*listing.Listing, error) {
	u, err := s.Register.Unit(ctx, orgnr)
	if errors.Is(err, ErrNotFound) {
		return nil, apperr.NotFound("err.register.not_found")
	} else if err != nil {
		return nil, apperr.Unavailable(err, "err.register.unavailable")
	}
	if u.Removed {
		return nil, apperr.Conflict("err.register.removed")
	}
	pc, ok := s.Postcodes.Lookup(u.Address.Postcode)
	if !ok || u.Address.Municipality != "" && u.Address.Municipality != Municipality {
		return nil, apperr.Conflict("err.register.outside_bergen")
	}
	l := &listing.Listing{Name: u.Name, Kind: kindOf(u.Codes), OrgNumber: u.OrgNumber, Categories: categories(u.Codes),
		Address: listing.Address{Street: u.Address.Street, Postcode: u.Address.Postcode, City: pc.Name},
		Status:  listing.StatusPending, WheelchairAccessible: listing.WheelchairUnknown,
		Source: listing.Source{Kind: listing.SourceRegister, Ref: "orgnr:" + u.OrgNumber, Attribution: "Enhetsregisteret, NLOD"}}
	if u.OrgForm == "ENK" {
		l.Source.Attribution = listing.AttributionSoleProprietorship
	}
	// At the postcode's centre until the listing service places it at the
	// door (its Placer, one call to the address API).
	l.Location, l.ApproximatePosition = listing.Location{Lat: pc.Lat, Lng: pc.Lng}, true
	if err := s.Listings.Create(ctx, l, listing.Change{Actor: by, Action: listing.ActionImport, Note: "Enhetsregisteret " + u.OrgNumber}); err != nil {
		return nil, err
	}
	return l, nil
}

// CheckReport is what a check of the listings found.
type CheckReport struct {
	Checked, Suggested int
	Unreachable        bool
}

// Check looks up every listing with an organisation number and raises a
// suggestion for each difference: closed, deleted, bankrupt or winding up
// (hide as permanently closed), a new name, a new business address. It
// re-checks the known numbers rather than reading the register's update
// feed: there are hundreds, not millions, and a re-check cannot miss an
// update the way a lost feed position can.
func (s *Service) Check(ctx context.Context) (CheckReport, error) {
	var r CheckReport
	all, err := s.Listings.Store.All(ctx)
	if err != nil {
		return r, err
	}
	for _, l := range all {
		if l.OrgNumber == "" || l.Status == listing.StatusHidden {
			continue
		}
		u, err := s.Register.Unit(ctx, l.OrgNumber)
		if errors.Is(err, ErrNotFound) {
			// Not in the register: nothing to compare, and no match.
			if err := s.record(ctx, l, OutcomeNotFound); err != nil {
				return r, err
			}
			continue
		} else if err != nil {
			r.Unreachable = true
			return r, fmt.Errorf("registersync: check %s: %w", l.OrgNumber, err)
		}
		r.Checked++
		outcome := OutcomeMatch
		if u.Removed || u.Bankrupt || u.WindingUp {
			outcome = OutcomeClosed
		}
		if err := s.record(ctx, l, outcome); err != nil {
			return r, err
		}
		found := findings(l, u)
		for i := range found {
			if found[i].Field != suggestion.FieldAddress {
				continue
			}
			// Where the new address lies is asked once, for a move not yet
			// raised, not at every daily check while it waits.
			raised, err := s.Suggestions.Raised(ctx, found[i])
			if err != nil {
				return r, err
			}
			if !raised {
				found[i].Evidence += s.whereIs(ctx, u.Address)
			}
		}
		n, err := s.Suggestions.Raise(ctx, found)
		if err != nil {
			return r, err
		}
		r.Suggested += n
	}
	return r, nil
}

func (s *Service) record(ctx context.Context, l *listing.Listing, outcome string) error {
	if s.Matches == nil {
		return nil
	}
	return s.Matches.SaveRegisterMatch(ctx, l.ID, l.OrgNumber, outcome, s.Now().UTC())
}

// FieldClosed is the suggestion to hide a listing as permanently closed.
const FieldClosed = suggestion.FieldClosed

// findings compares a listing with its register entry.
func findings(l *listing.Listing, u Unit) []suggestion.Suggestion {
	var out []suggestion.Suggestion
	add := func(field, current, proposed, evidence string) {
		out = append(out, suggestion.Suggestion{ListingID: l.ID, Field: field, Current: current, Proposed: proposed,
			Source: listing.SourceRegister, Evidence: "Enhetsregisteret " + u.OrgNumber + ": " + evidence})
	}
	switch {
	case u.Removed:
		add(FieldClosed, string(l.Status), "permanently_closed", "slettet eller nedlagt "+u.ClosedOn)
	case u.Bankrupt:
		add(FieldClosed, string(l.Status), "permanently_closed", "konkurs")
	case u.WindingUp:
		add(FieldClosed, string(l.Status), "permanently_closed", "under avvikling")
	}
	if u.Removed {
		return out
	}
	if u.Name != "" && !strings.EqualFold(u.Name, l.Name) {
		add("name", l.Name, u.Name, "navn")
	}
	if u.Address.Postcode != "" && (!strings.EqualFold(u.Address.Street, l.Address.Street) || u.Address.Postcode != l.Address.Postcode) {
		add(suggestion.FieldAddress, suggestion.AddressText(l.Address),
			suggestion.AddressText(listing.Address{Street: u.Address.Street, Postcode: u.Address.Postcode}), "forretningsadresse")
	}
	return out
}

// whereIs tells the editor where a new business address lies, so an
// accepted move lands at the door or is known to be approximate.
func (s *Service) whereIs(ctx context.Context, a Address) string {
	at, approximate := s.place(ctx, a)
	if approximate {
		return "; ikke funnet i adresseregisteret, plasseres ved postnummerets sentrum"
	}
	return fmt.Sprintf("; funnet i adresseregisteret (%.5f, %.5f)", at.Lat, at.Lng)
}

// place positions a register address: at the door when the address API
// finds it, else at the postcode's centre (approximate).
func (s *Service) place(ctx context.Context, a Address) (listing.Location, bool) {
	at, exact, _ := s.Placer.Place(ctx, a.Street, a.Postcode)
	return at, !exact
}

// Prefill is what the register says about an organisation number, for a
// repairer's form: filled in, never saved without them.
type Prefill struct {
	Name       string            `json:"name"`
	Street     string            `json:"street"`
	Postcode   string            `json:"postcode"`
	City       string            `json:"city"`
	Location   *listing.Location `json:"location"` // nil: the address has no single match
	Categories []string          `json:"categories"`
}

// Active checks a number against the register: it must exist and not be
// deleted, closed or bankrupt.
func (s *Service) Active(ctx context.Context, orgnr string) (Unit, error) {
	u, err := s.Register.Unit(ctx, strings.ReplaceAll(orgnr, " ", ""))
	switch {
	case errors.Is(err, ErrNotFound):
		return u, apperr.NotFound("err.register.not_found")
	case err != nil:
		return u, apperr.Unavailable(err, "err.register.unavailable")
	case u.Removed || u.Bankrupt:
		return u, apperr.Conflict("err.register.removed")
	}
	return u, nil
}

// Lookup checks a number as Active does and returns what a form can be
// filled with, its address placed.
func (s *Service) Lookup(ctx context.Context, orgnr string) (Prefill, error) {
	u, err := s.Active(ctx, orgnr)
	if err != nil {
		return Prefill{}, err
	}
	p := Prefill{Name: u.Name, Street: u.Address.Street, Postcode: u.Address.Postcode, City: u.Address.City, Categories: categories(u.Codes)}
	if pc, ok := s.Postcodes.Lookup(u.Address.Postcode); ok {
		p.City = pc.Name
	}
	if at, approximate := s.place(ctx, u.Address); !approximate {
		p.Location = &at
	}
	return p, nil
}
