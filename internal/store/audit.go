package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/audit"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

var _ audit.Store = (*DB)(nil)

// MaxAuditEntry bounds one audit entry (its changes and note) in bytes.
const MaxAuditEntry = 128 << 10

func (s *DB) appendAudit(ctx context.Context, tx *txn, listingID string, ch listing.Change, version int, changes []listing.FieldChange) error {
	if ch.Actor == "" || ch.Action == "" {
		return fmt.Errorf("store: write to listing %s without an actor and an action for the audit log", listingID)
	}
	body, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("store: encode audit entry: %w", err)
	}
	if len(body)+len(ch.Note) > MaxAuditEntry {
		// The log cannot be trimmed, so nothing may make it grow without
		// bound; validated listings stay far below this.
		return apperr.Invalid("listing", "err.store.entry_too_large", "max", MaxAuditEntry)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (listing_id, actor, action, version, at, changes, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		listingID, ch.Actor, ch.Action, version, formatTime(s.Now()), string(body), ch.Note); err != nil {
		return fmt.Errorf("store: append audit entry for %s: %w", listingID, err)
	}
	return nil
}

// Record appends an entry that changes no field: a decision about the
// listing made elsewhere (a claim, an error report), so that the log
// holds every action taken on it.
func (s *DB) Record(ctx context.Context, listingID string, ch listing.Change) error {
	return s.inTx(ctx, func(tx *txn) error {
		var version int
		if err := tx.QueryRowContext(ctx, `SELECT version FROM listings WHERE id = ?`, listingID).Scan(&version); err != nil {
			return fmt.Errorf("store: record on listing %s: %w", listingID, err)
		}
		return s.appendAudit(ctx, tx, listingID, ch, version, []listing.FieldChange{})
	})
}

// History returns the audit entries of a listing, oldest first.
func (s *DB) History(ctx context.Context, listingID string) ([]audit.Entry, error) {
	return s.auditEntries(ctx, `WHERE listing_id = ? ORDER BY id`, listingID)
}

// Since returns the audit entries of a listing after version, oldest first.
func (s *DB) Since(ctx context.Context, listingID string, version int) ([]audit.Entry, error) {
	return s.auditEntries(ctx, `WHERE listing_id = ? AND version > ? ORDER BY id`, listingID, version)
}

// Entry returns one audit entry.
func (s *DB) Entry(ctx context.Context, id int64) (audit.Entry, error) {
	es, err := s.auditEntries(ctx, `WHERE id = ?`, id)
	if err != nil {
		return audit.Entry{}, err
	}
	if len(es) == 0 {
		return audit.Entry{}, apperr.NotFound("err.store.no_change")
	}
	return es[0], nil
}

// Recent returns the newest entries with one of the actions, newest first.
func (s *DB) Recent(ctx context.Context, limit int, actions ...listing.Action) ([]audit.Entry, error) {
	if len(actions) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(actions)+1)
	for _, a := range actions {
		args = append(args, a)
	}
	args = append(args, limit)
	marks := strings.TrimSuffix(strings.Repeat("?,", len(actions)), ",")
	return s.auditEntries(ctx, `WHERE action IN (`+marks+`) ORDER BY id DESC LIMIT ?`, args...)
}

func (s *DB) auditEntries(ctx context.Context, where string, args ...any) ([]audit.Entry, error) {
	return collect(ctx, s.db, "read audit log", func(row scanner) (audit.Entry, error) {
		var e audit.Entry
		var changes string
		if err := row.Scan(&e.ID, &e.ListingID, &e.Actor, &e.Action, &e.Version, timeIn(&e.At), &changes, &e.Note); err != nil {
			return e, err
		}
		if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
			return e, fmt.Errorf("decode entry %d: %w", e.ID, err)
		}
		return e, nil
	}, `SELECT id, listing_id, actor, action, version, at, changes, note FROM audit_log `+where, args...)
}

// MarkSeen records that an editor has seen an audit entry (again: no-op).
func (s *DB) MarkSeen(ctx context.Context, userID string, entryID int64) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO edits_seen (user_id, entry_id, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		userID, entryID, formatTime(s.Now()))
	if err != nil {
		return fmt.Errorf("store: mark entry %d seen: %w", entryID, err)
	}
	return nil
}

// Seen returns which of the entries the editor has seen.
func (s *DB) Seen(ctx context.Context, userID string, entryIDs []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(entryIDs) == 0 {
		return out, nil
	}
	args := []any{userID}
	marks := make([]string, len(entryIDs))
	for i, id := range entryIDs {
		marks[i], args = "?", append(args, id)
	}
	ids, err := collect(ctx, s.db, "seen entries", func(row scanner) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	}, `SELECT entry_id FROM edits_seen WHERE user_id = ? AND entry_id IN (`+strings.Join(marks, ",")+`)`, args...)
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}
