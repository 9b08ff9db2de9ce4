package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/reminder"
)

var _ reminder.Store = (*DB)(nil)

// OwnedPublished lists published listings with owners and the start of
// their current period: the last confirmation, else the first owner.
func (s *DB) OwnedPublished(ctx context.Context) ([]reminder.Owned, error) {
	greatest := "max" // SQLite's max of two values is PostgreSQL's greatest
	if s.Postgres() {
		greatest = "greatest"
	}
	return collect(ctx, s.db, "owned listings", func(row scanner) (reminder.Owned, error) {
		var o reminder.Owned
		err := row.Scan(&o.ListingID, timeIn(&o.Since))
		return o, err
	}, `SELECT l.id, `+greatest+`(coalesce(l.confirmed_at, ''), min(o.since))
		FROM listings l JOIN listing_owners o ON o.listing_id = l.id
		WHERE l.status = 'published' GROUP BY l.id ORDER BY l.id`)
}

// CreateReminder stores r unless its listing has one for the period.
func (s *DB) CreateReminder(ctx context.Context, r reminder.Reminder) (bool, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO reminders (id, listing_id, period, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (listing_id, period) DO NOTHING`, r.ID, r.ListingID, r.Period, formatTime(r.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("store: create reminder: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UnsentReminders returns the reminders not yet handed to the mailer.
func (s *DB) UnsentReminders(ctx context.Context) ([]reminder.Reminder, error) {
	return collect(ctx, s.db, "unsent reminders", scanReminder, `SELECT id, listing_id, period, created_at, sent_at, used_at
		FROM reminders WHERE sent_at IS NULL ORDER BY created_at`)
}

// LastSent returns the newest sent reminder per listing, for all listings
// or the ones given.
func (s *DB) LastSent(ctx context.Context, listingID ...string) (map[string]reminder.Reminder, error) {
	where, args := "", []any{}
	if len(listingID) > 0 {
		where = ` AND listing_id IN (` + strings.TrimSuffix(strings.Repeat("?,", len(listingID)), ",") + `)`
		for _, id := range listingID {
			args = append(args, id)
		}
	}
	last, err := collect(ctx, s.db, "last reminders", scanReminder, `SELECT id, listing_id, period, created_at, sent_at, used_at FROM reminders r
		WHERE sent_at IS NOT NULL`+where+` AND sent_at = (SELECT max(sent_at) FROM reminders WHERE listing_id = r.listing_id)`, args...)
	if err != nil {
		return nil, err
	}
	out := make(map[string]reminder.Reminder, len(last))
	for _, r := range last {
		out[r.ListingID] = r
	}
	return out, nil
}

// Reminder returns one reminder.
func (s *DB) Reminder(ctx context.Context, id string) (reminder.Reminder, error) {
	r, err := scanReminder(s.db.QueryRowContext(ctx, `SELECT id, listing_id, period, created_at, sent_at, used_at
		FROM reminders WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.NotFound("err.store.no_reminder")
	}
	return r, err
}

func scanReminder(row scanner) (reminder.Reminder, error) {
	var r reminder.Reminder
	if err := row.Scan(&r.ID, &r.ListingID, &r.Period, timeIn(&r.CreatedAt), optionalTimeIn(&r.SentAt), optionalTimeIn(&r.UsedAt)); err != nil {
		return r, fmt.Errorf("store: read reminder: %w", err)
	}
	return r, nil
}

// MarkReminderSent records that the reminder was handed to the mailer.
func (s *DB) MarkReminderSent(ctx context.Context, id string, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE reminders SET sent_at = ? WHERE id = ?`, formatTime(at), id); err != nil {
		return fmt.Errorf("store: mark reminder sent: %w", err)
	}
	return nil
}

// MarkReminderUsed records that the reminder's link was spent.
func (s *DB) MarkReminderUsed(ctx context.Context, id string, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE reminders SET used_at = ? WHERE id = ? AND used_at IS NULL`, formatTime(at), id); err != nil {
		return fmt.Errorf("store: mark reminder used: %w", err)
	}
	return nil
}

// Secret returns the named key, making a random 32-byte one the first time
// (a store opened read-only can only read one made before).
func (s *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	var key []byte
	err := s.db.QueryRowContext(ctx, `SELECT value FROM secrets WHERE name = ?`, name).Scan(&key)
	if err == nil {
		return key, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: read key %s: %w", name, err)
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("store: random key: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, fresh); err != nil {
		return nil, fmt.Errorf("store: create key %s: %w", name, err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM secrets WHERE name = ?`, name).Scan(&key); err != nil {
		return nil, fmt.Errorf("store: read key %s: %w", name, err)
	}
	return key, nil
}
