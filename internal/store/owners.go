package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/owner"
)

var _ owner.Store = (*DB)(nil)

func addOwner(ctx context.Context, tx *txn, listingID, userID string, since time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO listing_owners (listing_id, user_id, since) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, listingID, userID, formatTime(since)); err != nil {
		return fmt.Errorf("store: add owner of %s: %w", listingID, err)
	}
	return nil
}

// CreateClaim stores a claim; an approved one makes its user an owner.
func (s *DB) CreateClaim(ctx context.Context, c *owner.Claim) error {
	c.ID = uuid.NewString()
	return s.inTx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO claims (id, listing_id, user_id, name, role, status, decided_by, decided_at, created_at, org_number)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.ListingID, c.UserID, c.Name, c.Role, c.Status, c.DecidedBy,
			optionalTime(c.DecidedAt), formatTime(c.CreatedAt), c.OrgNumber)
		if err != nil {
			if isUniqueViolation(err) {
				return apperr.Conflict("err.store.claim_waiting")
			}
			return fmt.Errorf("store: create claim: %w", err)
		}
		if c.Status == owner.StatusApproved {
			return addOwner(ctx, tx, c.ListingID, c.UserID, c.CreatedAt)
		}
		return nil
	})
}

// Claim returns one claim.
func (s *DB) Claim(ctx context.Context, id string) (owner.Claim, error) {
	cs, err := s.claims(ctx, `WHERE c.id = ?`, id)
	if err != nil {
		return owner.Claim{}, err
	}
	if len(cs) == 0 {
		return owner.Claim{}, apperr.NotFound("err.store.no_claim")
	}
	return cs[0], nil
}

// DecideClaim approves or rejects a pending claim.
func (s *DB) DecideClaim(ctx context.Context, id, status, by string, at time.Time) (owner.Claim, error) {
	err := s.inTx(ctx, func(tx *txn) error {
		var listingID, userID string
		err := tx.QueryRowContext(ctx, `UPDATE claims SET status = ?, decided_by = ?, decided_at = ?
			WHERE id = ? AND status = 'pending' RETURNING listing_id, user_id`, status, by, formatTime(at), id).Scan(&listingID, &userID)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFound("err.store.no_pending_claim")
		} else if err != nil {
			return fmt.Errorf("store: decide claim %s: %w", id, err)
		}
		if status == owner.StatusApproved {
			return addOwner(ctx, tx, listingID, userID, at)
		}
		return nil
	})
	if err != nil {
		return owner.Claim{}, err
	}
	return s.Claim(ctx, id)
}

// PendingClaims returns the claims waiting for a decision, oldest first.
func (s *DB) PendingClaims(ctx context.Context) ([]owner.Claim, error) {
	return s.claims(ctx, `WHERE c.status = 'pending' ORDER BY c.created_at`)
}

// ClaimsBy returns a user's claims, newest first.
func (s *DB) ClaimsBy(ctx context.Context, userID string) ([]owner.Claim, error) {
	return s.claims(ctx, `WHERE c.user_id = ? ORDER BY c.created_at DESC`, userID)
}

func (s *DB) claims(ctx context.Context, where string, args ...any) ([]owner.Claim, error) {
	return collect(ctx, s.db, "read claims", func(row scanner) (owner.Claim, error) {
		var c owner.Claim
		err := row.Scan(&c.ID, &c.ListingID, &c.UserID, &c.Email, &c.Name, &c.Role, &c.Status, &c.DecidedBy,
			optionalTimeIn(&c.DecidedAt), timeIn(&c.CreatedAt), &c.OrgNumber)
		return c, err
	}, `SELECT c.id, c.listing_id, c.user_id, u.email, c.name, c.role, c.status,
		c.decided_by, c.decided_at, c.created_at, c.org_number FROM claims c JOIN users u ON u.id = c.user_id `+where, args...)
}

// Owns reports whether the user owns the listing.
func (s *DB) Owns(ctx context.Context, userID, listingID string) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM listing_owners WHERE user_id = ? AND listing_id = ?`,
		userID, listingID).Scan(&n); err != nil {
		return false, fmt.Errorf("store: check owner: %w", err)
	}
	return n > 0, nil
}

// Listings returns the listings a user owns, by name.
func (s *DB) Listings(ctx context.Context, userID string) ([]*listing.Listing, error) {
	return s.many(ctx, `WHERE id IN (SELECT listing_id FROM listing_owners WHERE user_id = ?) ORDER BY name`, userID)
}

// Owners returns the accounts that own a listing.
func (s *DB) Owners(ctx context.Context, listingID string) ([]auth.User, error) {
	return s.users(ctx, `JOIN listing_owners o ON o.user_id = u.id WHERE o.listing_id = ? ORDER BY u.email`, listingID)
}

// RemoveOwner takes a listing away from an owner (by e-mail address) and
// records it in the audit log. Access is checked against listing_owners on
// every request, so the owner's open sessions lose it at once.
func (s *DB) RemoveOwner(ctx context.Context, listingID, email string, ch listing.Change) error {
	return s.inTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM listing_owners WHERE listing_id = ?
			AND user_id = (SELECT id FROM users WHERE email = ?)`, listingID, email)
		if err != nil {
			return fmt.Errorf("store: remove owner of %s: %w", listingID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.NotFound("err.store.no_owner")
		}
		var version int
		if err := tx.QueryRowContext(ctx, `SELECT version FROM listings WHERE id = ?`, listingID).Scan(&version); err != nil {
			return fmt.Errorf("store: remove owner of %s: %w", listingID, err)
		}
		return s.appendAudit(ctx, tx, listingID, ch, version, []listing.FieldChange{})
	})
}

// reviewDomainOwners raises, in the write's transaction, a suggestion to
// review each owner who was approved automatically because their e-mail
// domain was the website's, when the website changes away from it: such an
// approval is not kept silently.
func (s *DB) reviewDomainOwners(ctx context.Context, tx *txn, listingID, oldWebsite, newWebsite string) error {
	if oldWebsite == newWebsite || oldWebsite == "" {
		return nil
	}
	emails, err := collect(ctx, tx, "auto-approved owners", func(row scanner) (string, error) {
		var email string
		return email, row.Scan(&email)
	}, `SELECT u.email FROM claims c JOIN users u ON u.id = c.user_id
		JOIN listing_owners o ON o.listing_id = c.listing_id AND o.user_id = c.user_id
		WHERE c.listing_id = ? AND c.status = 'approved' AND c.decided_by = ?`, listingID, owner.AutoApprover)
	if err != nil {
		return err
	}
	for _, email := range emails {
		if !owner.SameDomain(email, oldWebsite) || owner.SameDomain(email, newWebsite) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO suggestions (id, listing_id, field, current, proposed, source, evidence, created_at)
			VALUES (?, ?, 'owner', ?, '', 'municipality', ?, ?) ON CONFLICT (listing_id, field, proposed, source) DO NOTHING`,
			uuid.NewString(), listingID, email, "approved automatically for the website "+oldWebsite+", now "+newWebsite,
			formatTime(s.Now())); err != nil {
			return fmt.Errorf("store: raise owner review on %s: %w", listingID, err)
		}
	}
	return nil
}
