package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/vocabulary"
)

// AddVocabulary stores the municipality's vocabulary groups, all or none.
func (s *DB) AddVocabulary(ctx context.Context, groups []vocabulary.Group, by string, at time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: add vocabulary: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, g := range groups {
		cats, err := json.Marshal(g.Categories)
		if err != nil {
			return fmt.Errorf("store: add vocabulary: %w", err)
		}
		terms, err := json.Marshal(g.Terms)
		if err != nil {
			return fmt.Errorf("store: add vocabulary: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO vocabulary_groups (id, categories, kind, terms, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)`,
			uuid.NewString(), string(cats), string(g.Kind), string(terms), by, formatTime(at)); err != nil {
			return fmt.Errorf("store: add vocabulary: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: add vocabulary: %w", err)
	}
	return nil
}

// VocabularyAdditions returns the municipality's groups, oldest first.
func (s *DB) VocabularyAdditions(ctx context.Context) ([]vocabulary.Addition, error) {
	return collect(ctx, s.db, "vocabulary", func(row scanner) (vocabulary.Addition, error) {
		var a vocabulary.Addition
		var cats, terms, kind string
		if err := row.Scan(&a.ID, &cats, &kind, &terms, &a.AddedBy, timeIn(&a.AddedAt)); err != nil {
			return a, err
		}
		a.Group.Kind = vocabulary.Kind(kind)
		if err := json.Unmarshal([]byte(cats), &a.Group.Categories); err != nil {
			return a, err
		}
		return a, json.Unmarshal([]byte(terms), &a.Group.Terms)
	}, `SELECT id, categories, kind, terms, added_by, added_at FROM vocabulary_groups ORDER BY added_at, id`)
}

// DeleteVocabulary removes one of the municipality's groups.
func (s *DB) DeleteVocabulary(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM vocabulary_groups WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete vocabulary %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return apperr.NotFound("err.vocabulary.not_found")
	}
	return nil
}
