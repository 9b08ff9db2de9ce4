package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/bergenreparerer/reparerer/internal/outbox"
)

var _ outbox.Queue = (*DB)(nil)

func (s *DB) enqueue(ctx context.Context, tx *txn, listingID string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (listing_id, created_at) VALUES (?, ?)`,
		listingID, formatTime(s.Now())); err != nil {
		return fmt.Errorf("store: queue listing %s for the index: %w", listingID, err)
	}
	return nil
}

// Pending returns up to limit outbox entries, oldest first, leaving out
// the parked ones.
func (s *DB) Pending(ctx context.Context, limit int) ([]outbox.Entry, error) {
	return collect(ctx, s.db, "read outbox", func(row scanner) (outbox.Entry, error) {
		var e outbox.Entry
		err := row.Scan(&e.ID, &e.ListingID, &e.Attempts)
		return e, err
	}, `SELECT id, listing_id, attempts FROM outbox WHERE refusals < ? ORDER BY id LIMIT ?`, outbox.MaxRefusals, limit)
}

// Done removes entries the index has accepted.
func (s *DB) Done(ctx context.Context, ids []int64) error {
	return s.outboxExec(ctx, `DELETE FROM outbox WHERE id IN (%s)`, ids)
}

// Failed records a failed attempt on the entries, which stay queued.
func (s *DB) Failed(ctx context.Context, ids []int64, reason string) error {
	return s.outboxExec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id IN (%s)`, ids, reason)
}

// Refused records that the index refused the entries.
func (s *DB) Refused(ctx context.Context, ids []int64, reason string) error {
	return s.outboxExec(ctx, `UPDATE outbox SET attempts = attempts + 1, refusals = refusals + 1, last_error = ?
		WHERE id IN (%s)`, ids, reason)
}

// PendingCount returns how many entries wait for the index, parked ones
// included: they are not done.
func (s *DB) PendingCount(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count outbox: %w", err)
	}
	return n, nil
}

// ParkedCount returns how many entries the index refused too often.
func (s *DB) ParkedCount(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE refusals >= ?`, outbox.MaxRefusals).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count parked outbox entries: %w", err)
	}
	return n, nil
}

// outboxExec runs query with one placeholder per id in its IN list; lead
// arguments come before the ids.
func (s *DB) outboxExec(ctx context.Context, query string, ids []int64, lead ...any) error {
	if len(ids) == 0 {
		return nil
	}
	args := append([]any{}, lead...)
	for _, id := range ids {
		args = append(args, id)
	}
	placeholders := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	if _, err := s.db.ExecContext(ctx, fmt.Sprintf(query, placeholders), args...); err != nil {
		return fmt.Errorf("store: update outbox: %w", err)
	}
	return nil
}

// EnqueuePublished queues every published listing, so the worker re-indexes
// them all; the periodic refresh of open-time slots uses it.
func (s *DB) EnqueuePublished(ctx context.Context) (int, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO outbox (listing_id, created_at)
		SELECT id, ? FROM listings WHERE status = 'published'`, formatTime(s.Now()))
	if err != nil {
		return 0, fmt.Errorf("store: queue published listings: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// IndexState returns a named fact about the search index's documents
// ("" when none is recorded).
func (s *DB) IndexState(ctx context.Context, name string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM index_state WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: index state %s: %w", name, err)
	}
	return v, nil
}

// SetIndexState records a named fact about the search index's documents.
func (s *DB) SetIndexState(ctx context.Context, name, value string) error {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO index_state (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value); err != nil {
		return fmt.Errorf("store: set index state %s: %w", name, err)
	}
	return nil
}

// EnqueueListings queues the listings for the index (a label of theirs
// lapsed, say), so the worker re-indexes them.
func (s *DB) EnqueueListings(ctx context.Context, ids []string) error {
	return s.inTx(ctx, func(tx *txn) error {
		for _, id := range ids {
			if err := s.enqueue(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	})
}
