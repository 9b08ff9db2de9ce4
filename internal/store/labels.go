package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/label"
)

var _ label.Store = (*DB)(nil)

// Labels returns every quality label, by name, without logos.
func (s *DB) Labels(ctx context.Context) ([]label.Label, error) {
	return collect(ctx, s.db, "labels", func(row scanner) (label.Label, error) {
		var l label.Label
		err := row.Scan(&l.Slug, &l.Name, &l.Issuer, &l.URL, &l.CriteriaNB, &l.CriteriaEN, &l.LogoType, timeIn(&l.UpdatedAt))
		return l, err
	}, `SELECT slug, name, issuer, url, criteria_nb, criteria_en, logo_type, updated_at FROM labels ORDER BY name`)
}

// Label returns one label with its logo.
func (s *DB) Label(ctx context.Context, slug string) (label.Label, error) {
	var l label.Label
	err := s.db.QueryRowContext(ctx, `SELECT slug, name, issuer, url, criteria_nb, criteria_en, logo, logo_type, updated_at
		FROM labels WHERE slug = ?`, slug).Scan(&l.Slug, &l.Name, &l.Issuer, &l.URL, &l.CriteriaNB, &l.CriteriaEN, &l.Logo, &l.LogoType, timeIn(&l.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return l, apperr.NotFound("err.label.not_found")
	} else if err != nil {
		return l, fmt.Errorf("store: label %s: %w", slug, err)
	}
	return l, nil
}

// SaveLabel creates or replaces a label; a nil logo keeps the stored one
// unless dropLogo.
func (s *DB) SaveLabel(ctx context.Context, l label.Label, dropLogo bool) error {
	logo, logoType, keep := any(l.Logo), l.LogoType, l.Logo == nil && !dropLogo
	if l.Logo == nil {
		logo, logoType = nil, ""
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO labels (slug, name, issuer, url, criteria_nb, criteria_en, logo, logo_type, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET name = excluded.name, issuer = excluded.issuer, url = excluded.url,
		criteria_nb = excluded.criteria_nb, criteria_en = excluded.criteria_en, updated_at = excluded.updated_at,
		logo = CASE WHEN ? = 1 THEN labels.logo ELSE excluded.logo END,
		logo_type = CASE WHEN ? = 1 THEN labels.logo_type ELSE excluded.logo_type END`,
		l.Slug, l.Name, l.Issuer, l.URL, l.CriteriaNB, l.CriteriaEN, logo, logoType, formatTime(l.UpdatedAt), keep, keep)
	if err != nil {
		return fmt.Errorf("store: save label %s: %w", l.Slug, err)
	}
	return nil
}
