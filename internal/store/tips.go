package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/tip"
)

// CreateTip stores a resident's tip, giving it an id and a time.
func (s *DB) CreateTip(ctx context.Context, t *tip.Tip) error {
	t.ID = uuid.NewString()
	t.CreatedAt = s.Now().UTC()
	_, err := s.db.ExecContext(ctx,
		`INSERT INTO tips (id, category, name, place, message, email, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.Category, t.Name, t.Where, t.Message, t.Email, formatTime(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: create tip: %w", err)
	}
	return nil
}

// OpenTips returns the tips not yet handled, oldest first.
func (s *DB) OpenTips(ctx context.Context) ([]tip.Tip, error) {
	return collect(ctx, s.db, "open tips", func(row scanner) (tip.Tip, error) {
		var t tip.Tip
		err := row.Scan(&t.ID, &t.Category, &t.Name, &t.Where, &t.Message, &t.Email, timeIn(&t.CreatedAt))
		return t, err
	}, `SELECT id, category, name, place, message, email, created_at FROM tips WHERE handled_at IS NULL ORDER BY created_at`)
}

// CloseTip marks an open tip handled by someone.
func (s *DB) CloseTip(ctx context.Context, id, by string, at time.Time) error {
	var got string
	err := s.db.QueryRowContext(ctx, `UPDATE tips SET handled_at = ?, handled_by = ? WHERE id = ? AND handled_at IS NULL RETURNING id`,
		formatTime(at), by, id).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.NotFound("err.store.no_open_tip")
	} else if err != nil {
		return fmt.Errorf("store: close tip %s: %w", id, err)
	}
	return nil
}
