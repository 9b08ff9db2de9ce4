package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
)

const suggestionColumns = `id, listing_id, field, current, proposed, source, evidence, created_at, decided_at, decided_by, decision, reason`

// RaiseSuggestions stores new suggestions; the same proposal twice is kept
// once (the table's unique key).
func (s *DB) RaiseSuggestions(ctx context.Context, ss []suggestion.Suggestion) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *txn) error {
		for _, sg := range ss {
			res, err := tx.ExecContext(ctx, `INSERT INTO suggestions (id, listing_id, field, current, proposed, source, evidence, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (listing_id, field, proposed, source) DO NOTHING`,
				uuid.NewString(), sg.ListingID, sg.Field, sg.Current, sg.Proposed, sg.Source, sg.Evidence, formatTime(s.Now()))
			if err != nil {
				return fmt.Errorf("store: raise suggestion on %s: %w", sg.ListingID, err)
			}
			if added, err := res.RowsAffected(); err == nil {
				n += int(added)
			}
		}
		return nil
	})
	return n, err
}

// SuggestionRaised reports whether a suggestion with sg's listing, field,
// proposed value and source exists, decided or not.
func (s *DB) SuggestionRaised(ctx context.Context, sg suggestion.Suggestion) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM suggestions WHERE listing_id = ? AND field = ? AND proposed = ? AND source = ?`,
		sg.ListingID, sg.Field, sg.Proposed, sg.Source).Scan(&n); err != nil {
		return false, fmt.Errorf("store: find suggestion on %s: %w", sg.ListingID, err)
	}
	return n > 0, nil
}

// OpenSuggestions returns the suggestions nobody has decided, oldest first.
func (s *DB) OpenSuggestions(ctx context.Context) ([]suggestion.Suggestion, error) {
	return collect(ctx, s.db, "open suggestions", scanSuggestion,
		`SELECT `+suggestionColumns+` FROM suggestions WHERE decided_at IS NULL ORDER BY created_at, id`)
}

// Suggestion returns one suggestion.
func (s *DB) Suggestion(ctx context.Context, id string) (suggestion.Suggestion, error) {
	sg, err := scanSuggestion(s.db.QueryRowContext(ctx, `SELECT `+suggestionColumns+` FROM suggestions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sg, apperr.NotFound("err.store.no_suggestion")
	}
	return sg, err
}

// DecideSuggestion records a decision on an open suggestion.
func (s *DB) DecideSuggestion(ctx context.Context, id, decision, by, reason string, at time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE suggestions SET decided_at = ?, decided_by = ?, decision = ?, reason = ?
		WHERE id = ? AND decided_at IS NULL`, formatTime(at), by, decision, reason, id)
	if err != nil {
		return fmt.Errorf("store: decide suggestion %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return apperr.NotFound("err.store.no_suggestion")
	}
	return nil
}

func scanSuggestion(row scanner) (suggestion.Suggestion, error) {
	var sg suggestion.Suggestion
	err := row.Scan(&sg.ID, &sg.ListingID, &sg.Field, &sg.Current, &sg.Proposed, &sg.Source, &sg.Evidence,
		timeIn(&sg.CreatedAt), optionalTimeIn(&sg.DecidedAt), &sg.DecidedBy, &sg.Decision, &sg.Reason)
	return sg, err
}
