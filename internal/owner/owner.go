// Package owner is who may edit a listing: the repairers who registered it
// or whose claim on it ("Er dette din bedrift?") was approved.
package owner

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Claim statuses.
const (
	StatusPending  = "pending"
	StatusApproved = "approved"
	StatusRejected = "rejected"
)

// Roles a claimant may have in the business, in the order the form offers them.
var Roles = []string{"owner", "manager", "employee", "other"}

// AutoApprover is who decides a claim approved by the same-domain rule.
const AutoApprover = "auto:same-domain"

const maxName = 120

// Claim is a request to become an owner of a listing.
type Claim struct {
	ID        string
	ListingID string
	UserID    string
	Email     string // the claimant's sign-in address
	Name      string
	Role      string
	// OrgNumber is the number the claimant gave, checked against the
	// register when they claimed ("" when they gave none).
	OrgNumber string
	Status    string
	DecidedBy string
	DecidedAt *time.Time
	CreatedAt time.Time
}

// Store keeps claims and owners.
type Store interface {
	// CreateClaim stores c; an approved claim makes its user an owner in
	// the same transaction.
	CreateClaim(ctx context.Context, c *Claim) error
	Claim(ctx context.Context, id string) (Claim, error)
	// DecideClaim approves or rejects a pending claim; approving makes the
	// claimant an owner in the same transaction.
	DecideClaim(ctx context.Context, id, status, by string, at time.Time) (Claim, error)
	PendingClaims(ctx context.Context) ([]Claim, error)
	ClaimsBy(ctx context.Context, userID string) ([]Claim, error)
	Owns(ctx context.Context, userID, listingID string) (bool, error)
	// Listings returns the listings the user owns, in any status.
	Listings(ctx context.Context, userID string) ([]*listing.Listing, error)
	// Owners returns the accounts that own the listing.
	Owners(ctx context.Context, listingID string) ([]auth.User, error)
	// RemoveOwner takes the listing away from the owner with the address,
	// recording ch in the audit log; a non-owner is apperr not found.
	RemoveOwner(ctx context.Context, listingID, email string, ch listing.Change) error
}

// NumberAdopter gives a listing without an organisation number the one
// from an approved claim (see listing.Service.AdoptOrgNumber).
type NumberAdopter interface {
	AdoptOrgNumber(ctx context.Context, listingID, orgnr string, ch listing.Change) error
}

// Service takes and decides claims, and says who may edit what.
type Service struct {
	Store Store
	// Listings names the listings claims are about.
	Listings listing.Store
	// Numbers, when set, writes an approved claim's organisation number.
	Numbers NumberAdopter
	Now     func() time.Time
	Log     *slog.Logger
}

// Named is a claim with the name of its listing.
type Named struct {
	Claim
	ListingName string
}

// Overview is what a repairer sees on Min side.
type Overview struct {
	// Listings are the listings the user owns, in any status.
	Listings []*listing.Listing
	// Claims are the user's claims not (yet) approved; approved ones are
	// among Listings.
	Claims []Named
}

// Overview returns the user's listings and open or refused claims.
func (s *Service) Overview(ctx context.Context, userID string) (Overview, error) {
	var o Overview
	var err error
	if o.Listings, err = s.Store.Listings(ctx, userID); err != nil {
		return o, err
	}
	claims, err := s.Store.ClaimsBy(ctx, userID)
	if err != nil {
		return o, err
	}
	var open []Claim
	for _, c := range claims {
		if c.Status != StatusApproved {
			open = append(open, c)
		}
	}
	o.Claims, err = s.named(ctx, open)
	return o, err
}

// Pending returns the claims waiting for the municipality, oldest first.
func (s *Service) Pending(ctx context.Context) ([]Named, error) {
	claims, err := s.Store.PendingClaims(ctx)
	if err != nil {
		return nil, err
	}
	return s.named(ctx, claims)
}

// named adds the listings' names, read in one query.
func (s *Service) named(ctx context.Context, claims []Claim) ([]Named, error) {
	ids := make([]string, len(claims))
	for i, c := range claims {
		ids[i] = c.ListingID
	}
	names, err := s.Listings.Names(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Named, len(claims))
	for i, c := range claims {
		out[i] = Named{c, names[c.ListingID]}
	}
	return out, nil
}

// Editable returns the listing of id if user may edit it: an owner of
// it, or the municipality. Anyone else is refused with not_owner and
// learns nothing about whether the listing exists.
func (s *Service) Editable(ctx context.Context, user auth.User, id string) (*listing.Listing, error) {
	if !user.Admin() {
		owns, err := s.Store.Owns(ctx, user.ID, id)
		if err != nil {
			return nil, err
		}
		if !owns {
			return nil, apperr.New(apperr.CodeNotOwner, "err.not_owner")
		}
	}
	return s.Listings.Get(ctx, id)
}

// OwnerEmails returns the addresses of the listing's owners.
func (s *Service) OwnerEmails(ctx context.Context, listingID string) ([]string, error) {
	owners, err := s.Store.Owners(ctx, listingID)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(owners))
	for i, o := range owners {
		out[i] = o.Email
	}
	return out, nil
}

// Submit records user's claim on l. It is approved at once only when the
// user's (proven) e-mail domain is the domain of the listing's website and
// that website is one the city vouches for (set or verified by the
// municipality, or from the business register): a website anyone can
// write, such as OpenStreetMap's, would hand the listing to whoever wrote
// it. Every other claim waits for the municipality.
func (s *Service) Submit(ctx context.Context, user auth.User, l *listing.Listing, name, role, orgnr string) (Claim, error) {
	c := Claim{ListingID: l.ID, UserID: user.ID, Email: user.Email, Name: strings.TrimSpace(name), Role: role,
		OrgNumber: strings.ReplaceAll(strings.TrimSpace(orgnr), " ", ""), Status: StatusPending, CreatedAt: s.Now().UTC()}
	if c.Name == "" || utf8.RuneCountInString(c.Name) > maxName {
		return c, apperr.Invalid("name", "err.owner.name_missing")
	}
	if !slices.Contains(Roles, c.Role) {
		return c, apperr.Invalid("role", "err.owner.role_missing")
	}
	if c.OrgNumber != "" && !listing.ValidOrgNumber(c.OrgNumber) {
		return c, apperr.Invalid("org_number", "err.listing.org_number_invalid")
	}
	owns, err := s.Store.Owns(ctx, user.ID, l.ID)
	if err != nil {
		return c, err
	}
	if owns {
		return c, apperr.Conflict("err.owner.already_owner")
	}
	if l.WebsiteVouched() && SameDomain(user.Email, l.Website) {
		c.Status, c.DecidedBy, c.DecidedAt = StatusApproved, AutoApprover, &c.CreatedAt
	}
	if err := s.Store.CreateClaim(ctx, &c); err != nil {
		return c, err
	}
	if c.Status == StatusApproved {
		s.Log.Info("claim: approved automatically: the e-mail domain is the website's domain",
			"claim_id", c.ID, "listing_id", l.ID, "email", c.Email, "website", l.Website)
		return c, s.adoptNumber(ctx, c, AutoApprover)
	} else {
		s.Log.Info("claim: waiting for the municipality", "claim_id", c.ID, "listing_id", l.ID)
	}
	return c, nil
}

// Decide approves or rejects a pending claim on behalf of by.
func (s *Service) Decide(ctx context.Context, id string, approve bool, by string) (Claim, error) {
	status := StatusRejected
	if approve {
		status = StatusApproved
	}
	c, err := s.Store.DecideClaim(ctx, id, status, by, s.Now().UTC())
	if err != nil {
		return c, fmt.Errorf("owner: decide claim %s: %w", id, err)
	}
	s.Log.Info("claim: decided", "claim_id", id, "status", status, "by", by)
	if approve {
		return c, s.adoptNumber(ctx, c, by)
	}
	return c, nil
}

// adoptNumber writes an approved claim's organisation number to a listing
// that has none, so its new owner can save their first edit at once.
func (s *Service) adoptNumber(ctx context.Context, c Claim, by string) error {
	if s.Numbers == nil || c.OrgNumber == "" {
		return nil
	}
	return s.Numbers.AdoptOrgNumber(ctx, c.ListingID, c.OrgNumber, listing.Change{Actor: by,
		Action: listing.ActionClaimApproved, Note: "organisasjonsnummer fra kravet til " + c.Email})
}

// Remove takes a listing away from an owner. Access is checked against
// the owners on every request, so their open sessions lose it at once.
func (s *Service) Remove(ctx context.Context, listingID, email string, ch listing.Change) error {
	if err := s.Store.RemoveOwner(ctx, listingID, email, ch); err != nil {
		return err
	}
	s.Log.Info("owner: removed", "listing_id", listingID, "email", email, "by", ch.Actor)
	return nil
}

// SameDomain reports whether the e-mail address is at the website's own
// domain ("post@sko.no" and "https://www.sko.no/"). Subdomains and
// look-alikes do not count.
func SameDomain(email, website string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 || website == "" {
		return false
	}
	u, err := url.Parse(website)
	if err != nil {
		return false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	return host != "" && host == strings.ToLower(email[at+1:])
}
