package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/bergenreparerer/reparerer/internal/linkcheck"
)

// LinkState returns what the website checks know of a listing.
func (s *DB) LinkState(ctx context.Context, listingID string) (linkcheck.State, bool, error) {
	var st linkcheck.State
	err := s.db.QueryRowContext(ctx, `SELECT url, checked_at, failures, last_error FROM link_checks WHERE listing_id = ?`, listingID).
		Scan(&st.URL, timeIn(&st.CheckedAt), &st.Failures, &st.LastError)
	if errors.Is(err, sql.ErrNoRows) {
		return st, false, nil
	} else if err != nil {
		return st, false, fmt.Errorf("store: link state of %s: %w", listingID, err)
	}
	return st, true, nil
}

// SaveLinkState keeps a website check's result.
func (s *DB) SaveLinkState(ctx context.Context, listingID string, st linkcheck.State) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO link_checks (listing_id, url, checked_at, failures, last_error) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (listing_id) DO UPDATE SET url = excluded.url, checked_at = excluded.checked_at, failures = excluded.failures,
		last_error = excluded.last_error`, listingID, st.URL, formatTime(st.CheckedAt), st.Failures, st.LastError)
	if err != nil {
		return fmt.Errorf("store: save link state of %s: %w", listingID, err)
	}
	return nil
}
