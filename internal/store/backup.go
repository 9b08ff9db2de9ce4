package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the database to path, a SQLite file,
// while the service runs: SQLite's VACUUM INTO (one compacted file, which
// Open reads as it is), or PostgreSQL's record read in one snapshot and
// copied into a new SQLite file with its sums checked. An existing file is
// never overwritten. (pg_dump backs up PostgreSQL too: README, "Backups".)
func (s *DB) Backup(ctx context.Context, path string) (err error) {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s exists; choose a new file", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: backup: %w", err)
	}
	if s.Postgres() {
		file, err := Open(ctx, path)
		if err != nil {
			return fmt.Errorf("store: backup: %w", err)
		}
		defer func() { err = errors.Join(err, file.Close()) }()
		_, err = s.CopyTo(ctx, file)
		return err
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	return nil
}

// Totals are what a backup is checked by: the rows of the tables that
// hold the record, and a checksum of the listings' versions.
type Totals struct {
	Listings, AuditEntries, Users, Owners, Suggestions int
	// Versions sums every listing's version: a copy missing an edit
	// differs even with the same number of listings.
	Versions int64
}

// Totals counts the store's record.
func (s *DB) Totals(ctx context.Context) (Totals, error) {
	var t Totals
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM listings), (SELECT count(*) FROM audit_log), (SELECT count(*) FROM users),
		(SELECT count(*) FROM listing_owners), (SELECT count(*) FROM suggestions),
		(SELECT coalesce(sum(version), 0) FROM listings)`).
		Scan(&t.Listings, &t.AuditEntries, &t.Users, &t.Owners, &t.Suggestions, &t.Versions)
	if err != nil {
		return t, fmt.Errorf("store: count: %w", err)
	}
	return t, nil
}

// Check runs SQLite's integrity check; PostgreSQL checks its pages itself
// (data checksums), so there it checks that the database answers.
func (s *DB) Check(ctx context.Context) error {
	if s.Postgres() {
		return s.Ping(ctx)
	}
	var result string
	if err := s.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	if result != "ok" {
		return fmt.Errorf("store: integrity check: %s", result)
	}
	return nil
}
