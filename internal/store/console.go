package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/coverage"
	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/printout"
)

var (
	_ coverage.Store   = (*DB)(nil)
	_ importer.Uploads = (*DB)(nil)
	_ printout.Scans   = (*DB)(nil)
)

// SaveUpload stores an uploaded import file.
func (s *DB) SaveUpload(ctx context.Context, u importer.Upload) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO imports (id, kind, filename, body, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		u.ID, u.Kind, u.Filename, u.Body, u.CreatedBy, formatTime(u.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: save upload: %w", err)
	}
	return nil
}

// Upload returns a stored import file.
func (s *DB) Upload(ctx context.Context, id string) (importer.Upload, error) {
	var u importer.Upload
	err := s.db.QueryRowContext(ctx, `SELECT id, kind, filename, body, created_by, created_at, applied_at FROM imports WHERE id = ?`, id).
		Scan(&u.ID, &u.Kind, &u.Filename, &u.Body, &u.CreatedBy, timeIn(&u.CreatedAt), optionalTimeIn(&u.AppliedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return u, apperr.NotFound("err.store.no_upload")
	} else if err != nil {
		return u, fmt.Errorf("store: read upload: %w", err)
	}
	return u, nil
}

// MarkUploadApplied records that an import was confirmed.
func (s *DB) MarkUploadApplied(ctx context.Context, id string, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE imports SET applied_at = ? WHERE id = ?`, formatTime(at), id); err != nil {
		return fmt.Errorf("store: mark upload applied: %w", err)
	}
	return nil
}

// CountScan counts one visit from a listing's QR code.
func (s *DB) CountScan(ctx context.Context, listingID, day string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO qr_scans (listing_id, day, count) VALUES (?, ?, 1)
		ON CONFLICT (listing_id, day) DO UPDATE SET count = qr_scans.count + 1`, listingID, day)
	if err != nil {
		return fmt.Errorf("store: count scan: %w", err)
	}
	return nil
}

// Scans returns the QR visits of a listing, all days together.
func (s *DB) Scans(ctx context.Context, listingID string) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(sum(count), 0) FROM qr_scans WHERE listing_id = ?`, listingID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: scans: %w", err)
	}
	return n, nil
}

// AddMissed adds n to a day's count of a search that found nothing.
func (s *DB) AddMissed(ctx context.Context, day string, m coverage.Miss, n int) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO missed_searches (day, query, district, category, cause, count) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (day, query, district, category, cause) DO UPDATE SET count = missed_searches.count + excluded.count`,
		day, m.Query, m.District, m.Category, m.Cause, n)
	if err != nil {
		return fmt.Errorf("store: add missed search: %w", err)
	}
	return nil
}

// Missed returns the daily counts between two days, the largest first.
func (s *DB) Missed(ctx context.Context, from, to string) ([]coverage.Missed, error) {
	return collect(ctx, s.db, "missed searches", func(row scanner) (coverage.Missed, error) {
		var m coverage.Missed
		err := row.Scan(&m.Day, &m.Miss.Query, &m.Miss.District, &m.Miss.Category, &m.Miss.Cause, &m.Count)
		return m, err
	}, `SELECT day, query, district, category, cause, count FROM missed_searches
		WHERE day >= ? AND day <= ? ORDER BY count DESC, day DESC, query`, from, to)
}

var _ importer.Runs = (*DB)(nil)

// StartRun marks the upload's run started unless one is under way: not
// finished and updated since stalledBefore. One statement: two
// confirmations at once cannot both start it.
func (s *DB) StartRun(ctx context.Context, id string, total int, at, stalledBefore time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE imports SET run_total = ?, run_done = 0, run_started_at = ?, run_updated_at = ?,
		run_finished_at = NULL, run_result = '', run_failure = ''
		WHERE id = ? AND (run_started_at IS NULL OR run_finished_at IS NOT NULL OR run_updated_at < ?)`,
		total, formatTime(at), formatTime(at), id, formatTime(stalledBefore))
	if err != nil {
		return false, fmt.Errorf("store: start import run: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ProgressRun notes how many rows the run has written.
func (s *DB) ProgressRun(ctx context.Context, id string, done int, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE imports SET run_done = ?, run_updated_at = ? WHERE id = ?`, done, formatTime(at), id); err != nil {
		return fmt.Errorf("store: note import progress: %w", err)
	}
	return nil
}

// FinishRun records the run's outcome: what it wrote, or why it stopped.
func (s *DB) FinishRun(ctx context.Context, id string, result *importer.Applied, failure string, at time.Time) error {
	encoded := ""
	if result != nil {
		b, err := json.Marshal(result)
		if err != nil {
			return fmt.Errorf("store: encode import result: %w", err)
		}
		encoded = string(b)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE imports SET run_finished_at = ?, run_updated_at = ?, run_result = ?, run_failure = ? WHERE id = ?`,
		formatTime(at), formatTime(at), encoded, failure, id); err != nil {
		return fmt.Errorf("store: finish import run: %w", err)
	}
	return nil
}

// Run returns the upload's run; false when it was never started.
func (s *DB) Run(ctx context.Context, id string) (importer.Run, bool, error) {
	var (
		r                importer.Run
		started, updated *time.Time
		result           string
	)
	err := s.db.QueryRowContext(ctx, `SELECT run_total, run_done, run_started_at, run_updated_at, run_finished_at, run_result, run_failure
		FROM imports WHERE id = ?`, id).Scan(&r.Total, &r.Done, optionalTimeIn(&started), optionalTimeIn(&updated),
		optionalTimeIn(&r.FinishedAt), &result, &r.Failure)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, apperr.NotFound("err.store.no_upload")
	} else if err != nil {
		return r, false, fmt.Errorf("store: read import run: %w", err)
	}
	if started == nil || updated == nil {
		return r, false, nil
	}
	r.StartedAt, r.UpdatedAt = *started, *updated
	if result != "" {
		r.Result = &importer.Applied{}
		if err := json.Unmarshal([]byte(result), r.Result); err != nil {
			return r, true, fmt.Errorf("store: decode import result: %w", err)
		}
	}
	return r, true, nil
}
