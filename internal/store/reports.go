package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/report"
)

var _ report.Store = (*DB)(nil)

// CreateReport stores a new error report, giving it an id and a time.
func (s *DB) CreateReport(ctx context.Context, r *report.Report) error {
	r.ID = uuid.NewString()
	r.CreatedAt = s.Now().UTC()
	_, err := s.db.ExecContext(ctx,
		`INSERT INTO reports (id, listing_id, reason, message, email, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		r.ID, r.ListingID, r.Reason, r.Message, r.Email, formatTime(r.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: create report for %s: %w", r.ListingID, err)
	}
	return nil
}

// OpenReports returns the reports not yet handled, oldest first.
func (s *DB) OpenReports(ctx context.Context) ([]report.Report, error) {
	return collect(ctx, s.db, "open reports", func(row scanner) (report.Report, error) {
		var r report.Report
		err := row.Scan(&r.ID, &r.ListingID, &r.Reason, &r.Message, &r.Email, timeIn(&r.CreatedAt))
		return r, err
	}, `SELECT id, listing_id, reason, message, email, created_at FROM reports WHERE handled_at IS NULL ORDER BY created_at`)
}

// CloseReport marks an open report handled by someone and returns it.
func (s *DB) CloseReport(ctx context.Context, id, by string, at time.Time) (report.Report, error) {
	var r report.Report
	err := s.db.QueryRowContext(ctx, `UPDATE reports SET handled_at = ?, handled_by = ? WHERE id = ? AND handled_at IS NULL
		RETURNING id, listing_id, reason, message, email, created_at`, formatTime(at), by, id).
		Scan(&r.ID, &r.ListingID, &r.Reason, &r.Message, &r.Email, timeIn(&r.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.NotFound("err.store.no_open_report")
	} else if err != nil {
		return r, fmt.Errorf("store: close report %s: %w", id, err)
	}
	return r, nil
}
