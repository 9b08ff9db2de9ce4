package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Pool sizes of a PostgreSQL store: an instance never holds more than
// maxConns of the server's connections (100 by default), so a handful of
// instances fit beside psql and the backups.
const (
	maxConns     = 16
	maxIdleConns = 8
)

// openPostgres opens the PostgreSQL database at url and applies its
// pending migrations.
func openPostgres(ctx context.Context, url string, opts Options) (*DB, error) {
	if opts.MaxBytes > 0 {
		return nil, errors.New("store: a size limit is SQLite's; limit PostgreSQL with its own means (a tablespace on its own volume)")
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: PostgreSQL URL: %w", err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxIdleConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("store: reach PostgreSQL at %s@%s:%d/%s: %w", cfg.User, cfg.Host, cfg.Port, cfg.Database, err), db.Close())
	}
	s, err := ready(ctx, db, postgresDialect)
	if err != nil || !opts.ReadOnly {
		return s, err
	}
	// Migrated; from now on every transaction is read-only.
	if err := s.db.Close(); err != nil {
		return nil, fmt.Errorf("store: reopen read-only: %w", err)
	}
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	ro := stdlib.OpenDB(*cfg)
	ro.SetMaxOpenConns(maxConns)
	ro.SetMaxIdleConns(maxIdleConns)
	s.db = &conn{DB: ro, dialect: postgresDialect}
	return s, nil
}
