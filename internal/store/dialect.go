package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is the SQL engine behind a store. The queries are written once,
// in the SQL both engines share, with ? placeholders; the few statements
// that differ branch on the dialect where they are written.
type dialect int

const (
	sqliteDialect dialect = iota
	postgresDialect
)

// conn is the database with the store's dialect: it turns ? placeholders
// into PostgreSQL's $n and arguments into the types its columns take.
type conn struct {
	*sql.DB
	dialect dialect
}

func (c *conn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.DB.ExecContext(ctx, c.dialect.rebind(query), c.dialect.args(args)...)
}

func (c *conn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.DB.QueryContext(ctx, c.dialect.rebind(query), c.dialect.args(args)...)
}

func (c *conn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return c.DB.QueryRowContext(ctx, c.dialect.rebind(query), c.dialect.args(args)...)
}

func (c *conn) BeginTx(ctx context.Context, opts *sql.TxOptions) (*txn, error) {
	tx, err := c.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &txn{Tx: tx, dialect: c.dialect}, nil
}

// txn is a transaction with the store's dialect.
type txn struct {
	*sql.Tx
	dialect dialect
}

func (t *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(ctx, t.dialect.rebind(query), t.dialect.args(args)...)
}

func (t *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(ctx, t.dialect.rebind(query), t.dialect.args(args)...)
}

func (t *txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(ctx, t.dialect.rebind(query), t.dialect.args(args)...)
}

// rebind numbers the ? placeholders outside quoted text for PostgreSQL.
func (d dialect) rebind(query string) string {
	if d != postgresDialect || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, quote := 0, byte(0)
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// args gives PostgreSQL's integer flag columns 0 and 1 for Go's booleans,
// as SQLite's driver does.
func (d dialect) args(args []any) []any {
	if d != postgresDialect {
		return args
	}
	var out []any // a copy once a boolean is found: the caller's slice stays as it was
	for i, a := range args {
		v, ok := a.(bool)
		if !ok {
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = int64(0)
		if v {
			out[i] = int64(1)
		}
	}
	if out == nil {
		return args
	}
	return out
}

// isUniqueViolation reports whether err is a unique constraint refusing a
// row.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// isUniqueViolationOf reports whether err is the unique constraint on
// table.column refusing a row. The PostgreSQL schema names its
// constraints table_column_key, PostgreSQL's own default.
func isUniqueViolationOf(err error, table, column string) bool {
	if !isUniqueViolation(err) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.ConstraintName == table+"_"+column+"_key"
	}
	return strings.Contains(err.Error(), table+"."+column)
}

// refusesWrites reports whether err is the engine refusing to write: a
// full disk or quota, a read-only database, an I/O error, a server
// shutting down or out of reach.
func refusesWrites(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
			return true
		}
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// 53: insufficient resources (disk full, out of memory, too many
		// connections); 25006: read-only transaction (a standby, or
		// default_transaction_read_only); 57P0x: the server shutting down.
		return strings.HasPrefix(pe.Code, "53") || pe.Code == "25006" || strings.HasPrefix(pe.Code, "57P0")
	}
	var ce *pgconn.ConnectError
	return errors.As(err, &ce)
}
