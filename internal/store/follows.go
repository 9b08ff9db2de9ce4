package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/follow"
	"github.com/bergenreparerer/reparerer/internal/i18n"
)

var _ follow.Store = (*DB)(nil)

// CreateFollow stores an unconfirmed follow, giving it an id.
func (s *DB) CreateFollow(ctx context.Context, f *follow.Follow) error {
	f.ID = uuid.NewString()
	_, err := s.db.ExecContext(ctx, `INSERT INTO follows (id, email, lang, listing_id, category, district, created_at, since)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, f.Email, string(f.Lang), nullString(f.ListingID), f.Category, f.District,
		formatTime(f.CreatedAt), formatTime(f.Since))
	if err != nil {
		return fmt.Errorf("store: create follow: %w", err)
	}
	return nil
}

const followColumns = `id, email, lang, COALESCE(listing_id, ''), category, district, created_at, confirmed_at, since, last_sent`

func scanFollow(row scanner) (*follow.Follow, error) {
	var f follow.Follow
	var lang string
	err := row.Scan(&f.ID, &f.Email, &lang, &f.ListingID, &f.Category, &f.District, timeIn(&f.CreatedAt),
		optionalTimeIn(&f.ConfirmedAt), timeIn(&f.Since), optionalTimeIn(&f.LastSent))
	f.Lang = i18n.Lang(lang)
	return &f, err
}

// Follow returns one follow.
func (s *DB) Follow(ctx context.Context, id string) (*follow.Follow, error) {
	f, err := scanFollow(s.db.QueryRowContext(ctx, `SELECT `+followColumns+` FROM follows WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("err.follow.link")
	} else if err != nil {
		return nil, fmt.Errorf("store: follow: %w", err)
	}
	return f, nil
}

// ConfirmFollow marks a follow confirmed: from now on it hears news.
func (s *DB) ConfirmFollow(ctx context.Context, id string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE follows SET confirmed_at = ?, since = ? WHERE id = ?`, formatTime(at), formatTime(at), id)
	return err
}

// DeleteFollow deletes a follow, and with it the address.
func (s *DB) DeleteFollow(ctx context.Context, id string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM follows WHERE id = ?`, id)
	return err
}

// FollowsTo counts an address's follows, and those created since.
func (s *DB) FollowsTo(ctx context.Context, email string, since time.Time) (all, recent int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), 0)
		FROM follows WHERE email = ?`, formatTime(since), email).Scan(&all, &recent)
	return all, recent, err
}

// ConfirmedFollows returns every confirmed follow.
func (s *DB) ConfirmedFollows(ctx context.Context) ([]*follow.Follow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+followColumns+` FROM follows WHERE confirmed_at IS NOT NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: follows: %w", err)
	}
	defer rows.Close()
	var out []*follow.Follow
	for rows.Next() {
		f, err := scanFollow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FollowSent records that a follow was told what was new until since.
func (s *DB) FollowSent(ctx context.Context, id string, since, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE follows SET since = ?, last_sent = ? WHERE id = ?`, formatTime(since), formatTime(at), id)
	return err
}

// DeleteUnconfirmedFollows deletes the follows nobody confirmed in time.
func (s *DB) DeleteUnconfirmedFollows(ctx context.Context, before time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM follows WHERE confirmed_at IS NULL AND created_at < ?`, formatTime(before))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
