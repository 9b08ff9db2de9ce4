package store

import (
	"context"
	"fmt"
	"time"
)

// SaveRegisterMatch keeps what a register check found for a listing's
// organisation number.
func (s *DB) SaveRegisterMatch(ctx context.Context, listingID, orgnr, outcome string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO register_matches (listing_id, org_number, outcome, checked_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (listing_id) DO UPDATE SET org_number = excluded.org_number, outcome = excluded.outcome,
		checked_at = excluded.checked_at`, listingID, orgnr, outcome, formatTime(at))
	if err != nil {
		return fmt.Errorf("store: save register match of %s: %w", listingID, err)
	}
	return nil
}

// RegisterMatches returns, by listing, the organisation number the last
// register check found alive in the register.
func (s *DB) RegisterMatches(ctx context.Context) (map[string]string, error) {
	type match struct{ id, orgnr string }
	rows, err := collect(ctx, s.db, "read register matches", func(row scanner) (match, error) {
		var m match
		return m, row.Scan(&m.id, &m.orgnr)
	}, `SELECT listing_id, org_number FROM register_matches WHERE outcome = 'match'`)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, m := range rows {
		out[m.id] = m.orgnr
	}
	return out, nil
}
