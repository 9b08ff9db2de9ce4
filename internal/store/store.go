// Package store is the system of record: listings, accounts, the audit log
// and the search outbox, in SQLite (embedded, the default) or PostgreSQL.
// SQL lives in each engine's embedded migration files and in the queries of
// this package, written once for both (see dialect.go); every value reaches
// the database as a placeholder argument.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// DB is the store: SQLite, embedded, by default; PostgreSQL when opened
// with a postgres:// URL.
type DB struct {
	db *conn
	// Now stamps outbox rows; tests may pin it.
	Now func() time.Time
	// refusedAt is when a write was last refused as unwritable (unix ns).
	refusedAt atomic.Int64
}

// IsPostgres reports whether target names a PostgreSQL database.
func IsPostgres(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

// Open opens the store at target: a PostgreSQL URL, or the path of a
// SQLite file (created if needed, in WAL mode; "sqlite:" before the path
// is allowed). Pending migrations are applied.
func Open(ctx context.Context, target string) (*DB, error) { return OpenWith(ctx, target, Options{}) }

// Options are how a store is opened.
type Options struct {
	// MaxBytes holds a SQLite file to a size (0: no limit), a quota that
	// keeps a flood of writes from filling the disk the host shares;
	// writes past it are refused as from a full disk. PostgreSQL has its
	// own means (a tablespace on its own volume), so it refuses the option.
	MaxBytes int64
	// ReadOnly serves reads and refuses every write (maintenance: a copy
	// being moved, a disk being replaced), as from a read-only file.
	ReadOnly bool
}

// pageSize is SQLite's default page size, for a size limit in pages.
const pageSize = 4096

// OpenWith is Open with options.
func OpenWith(ctx context.Context, target string, opts Options) (*DB, error) {
	if IsPostgres(target) {
		return openPostgres(ctx, target, opts)
	}
	path := strings.TrimPrefix(target, "sqlite:")
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create folder for %s: %w", path, err)
		}
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	if opts.MaxBytes > 0 {
		dsn += fmt.Sprintf("&_pragma=max_page_count(%d)", max(1, opts.MaxBytes/pageSize))
	}
	s, err := openSQL(ctx, path, "sqlite", dsn, sqliteDialect)
	if err != nil || !opts.ReadOnly {
		return s, err
	}
	// Migrated; from now on every connection refuses writes.
	if err := s.db.Close(); err != nil {
		return nil, fmt.Errorf("store: reopen %s read-only: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		return nil, fmt.Errorf("store: open %s read-only: %w", path, err)
	}
	s.db = &conn{DB: db, dialect: sqliteDialect}
	return s, nil
}

func openSQL(ctx context.Context, name, driver, dsn string, d dialect) (*DB, error) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", name, err)
	}
	return ready(ctx, db, d)
}

// ready migrates a freshly opened database and fills what older versions
// left empty.
func ready(ctx context.Context, db *sql.DB, d dialect) (*DB, error) {
	s := &DB{db: &conn{DB: db, dialect: d}, Now: time.Now}
	if err := s.migrate(ctx); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if err := s.backfillProvenance(ctx); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return s, nil
}

// Close closes the database.
func (s *DB) Close() error { return s.db.Close() }

// Ping checks that the database answers.
func (s *DB) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Postgres reports whether the store is PostgreSQL.
func (s *DB) Postgres() bool { return s.db.dialect == postgresDialect }

// migrator is a database or one connection of it.
type migrator interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// migrate applies, in order and each in its own transaction, the embedded
// migrations of the store's engine not yet recorded in schema_migrations.
// On PostgreSQL an advisory lock makes instances that start together
// migrate one after the other.
func (s *DB) migrate(ctx context.Context) error {
	var m migrator = s.db.DB
	dir := "migrations/sqlite"
	if s.Postgres() {
		c, err := s.db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("store: connect to migrate: %w", err)
		}
		// Closing the connection ends its session, which releases the
		// advisory lock too; unlocking first hands it on at once.
		defer func() { _ = c.Close() }()
		if _, err := c.ExecContext(ctx, `SELECT pg_advisory_lock(`+migrationLock+`)`); err != nil {
			return fmt.Errorf("store: lock migrations: %w", err)
		}
		defer func() {
			_, _ = c.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+migrationLock+`)`)
		}()
		m, dir = c, "migrations/postgres"
	}
	if _, err := m.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return fmt.Errorf("store: list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("store: migration %s has no version number", base)
		}
		if err := s.applyMigration(ctx, m, version, name); err != nil {
			return err
		}
	}
	return nil
}

// migrationLock is the advisory lock key of PostgreSQL migrations.
const migrationLock = "720101"

func (s *DB) applyMigration(ctx context.Context, m migrator, version int, name string) error {
	body, err := migrations.ReadFile(name)
	if err != nil {
		return fmt.Errorf("store: read %s: %w", name, err)
	}
	tx, err := m.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var done int
	d := s.db.dialect
	if err := tx.QueryRowContext(ctx, d.rebind(`SELECT count(*) FROM schema_migrations WHERE version = ?`), version).Scan(&done); err != nil {
		return fmt.Errorf("store: check migration %s: %w", name, err)
	}
	if done > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("store: apply %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, d.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
		version, filepath.Base(name), formatTime(time.Now())); err != nil {
		return fmt.Errorf("store: record %s: %w", name, err)
	}
	return tx.Commit()
}

// collect runs a query and scans every row with scan; what names the
// query in errors.
// querier is a database or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func collect[T any](ctx context.Context, db querier, what string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}

// optionalInt is a nullable INTEGER column as an optional number.
func optionalInt(v sql.NullInt64) *int {
	if !v.Valid {
		return nil
	}
	n := int(v.Int64)
	return &n
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// timeIn scans a TEXT time column straight into a time.Time field, so a
// reader needs no string variable and parse step per column.
func timeIn(into *time.Time) sql.Scanner { return timeColumn{into: into} }

// optionalTimeIn scans a TEXT time column that may be NULL into a
// *time.Time field (nil for NULL).
func optionalTimeIn(into **time.Time) sql.Scanner { return timeColumn{optional: into} }

type timeColumn struct {
	into     *time.Time
	optional **time.Time
}

func (c timeColumn) Scan(v any) error {
	var raw string
	switch v := v.(type) {
	case nil:
		if c.optional == nil {
			return fmt.Errorf("store: NULL in a time column that needs a value")
		}
		*c.optional = nil
		return nil
	case string:
		raw = v
	case []byte:
		raw = string(v)
	default:
		return fmt.Errorf("store: time column holds %T", v)
	}
	t, err := parseTime(raw)
	if err != nil {
		return err
	}
	if c.optional != nil {
		*c.optional = &t
	} else {
		*c.into = t
	}
	return nil
}
