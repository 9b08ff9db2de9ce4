package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"sort"
	"strconv"
	"strings"
)

// copied are the tables that hold the record, parents before children,
// each with the key it is read in order of. Left out: schema_migrations
// (each engine's own), leases and health_probe (the running instances'
// state, not the record's).
var copied = []struct{ table, order string }{
	{"users", "id"},
	{"listings", "id"},
	{"listing_owners", "listing_id, user_id"},
	{"claims", "id"},
	{"audit_log", "id"},
	{"edits_seen", "user_id, entry_id"},
	{"reports", "id"},
	{"login_tokens", "token_hash"},
	{"sessions", "id_hash"},
	{"reminders", "id"},
	{"secrets", "name"},
	{"imports", "id"},
	{"qr_scans", "listing_id, day"},
	{"missed_searches", "day, query, district, category, cause"},
	{"tips", "id"},
	{"vocabulary_groups", "id"},
	{"suggestions", "id"},
	{"link_checks", "listing_id"},
	{"register_matches", "listing_id"},
	{"outbox", "id"},
	{"index_state", "name"},
	{"labels", "slug"},
	{"quote_requests", "id"},
	{"quote_outcomes", "id"},
	{"events", "id"},
	{"bus_routes", "id"},
	{"follows", "id"},
}

// TableSum is a table's row count and a SHA-256 over its rows in key
// order, every value in one canonical text whatever the engine.
type TableSum struct {
	Table string
	Rows  int
	Sum   string
}

// CopyTo copies the whole record of s into to, an empty store of either
// engine, in one transaction there; s is read in one snapshot, so it may
// be in use meanwhile. It returns the sums of what it read, checked
// against what the target then holds: a copy that differs fails.
func (s *DB) CopyTo(ctx context.Context, to *DB) ([]TableSum, error) {
	if n, err := to.recordRows(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, fmt.Errorf("store: copy: the target already holds %d rows; copy into an empty store", n)
	}
	src, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: s.snapshot()})
	if err != nil {
		return nil, fmt.Errorf("store: copy: begin reading: %w", err)
	}
	defer src.Rollback()
	want, err := copyRecord(ctx, src, to)
	if err != nil {
		return nil, err
	}
	got, err := to.Sums(ctx)
	if err != nil {
		return nil, err
	}
	for i := range want {
		if want[i] != got[i] {
			return nil, fmt.Errorf("store: copy of %s differs: read %d rows (sum %s), the target holds %d (sum %s)",
				want[i].Table, want[i].Rows, want[i].Sum[:12], got[i].Rows, got[i].Sum[:12])
		}
	}
	return want, nil
}

// snapshot is the isolation that reads one consistent state: SQLite's
// read transaction is one already.
func (s *DB) snapshot() sql.IsolationLevel {
	if s.Postgres() {
		return sql.LevelRepeatableRead
	}
	return sql.LevelDefault
}

func copyRecord(ctx context.Context, src *txn, to *DB) ([]TableSum, error) {
	var sums []TableSum
	err := to.inTx(ctx, func(dst *txn) error {
		for _, t := range copied {
			sum, err := copyTable(ctx, src, dst, t.table, t.order)
			if err != nil {
				return err
			}
			sums = append(sums, sum)
		}
		if to.Postgres() { // identities go on after the copied ids
			for _, table := range []string{"audit_log", "outbox", "quote_outcomes"} {
				if _, err := dst.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'),
					coalesce((SELECT max(id) FROM `+table+`), 0) + 1, false)`); err != nil {
					return fmt.Errorf("store: copy: continue the ids of %s: %w", table, err)
				}
			}
		}
		return nil
	})
	return sums, err
}

func copyTable(ctx context.Context, src, dst *txn, table, order string) (TableSum, error) {
	insert := ""
	return readTable(ctx, src, table, order, func(cols []string, values []any) error {
		if insert == "" {
			insert = `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES (` +
				strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + `)`
		}
		if _, err := dst.ExecContext(ctx, insert, values...); err != nil {
			return fmt.Errorf("store: copy: write %s: %w", table, err)
		}
		return nil
	})
}

// Sums counts and checksums every table of the record.
func (s *DB) Sums(ctx context.Context) ([]TableSum, error) {
	var sums []TableSum
	for _, t := range copied {
		sum, err := readTable(ctx, s.db, t.table, t.order, nil)
		if err != nil {
			return nil, err
		}
		sums = append(sums, sum)
	}
	return sums, nil
}

// readTable reads a table's rows in key order and sums them, handing each
// row to each (when set) as it goes.
func readTable(ctx context.Context, q querier, table, order string, each func(cols []string, values []any) error) (TableSum, error) {
	sum := TableSum{Table: table}
	rows, err := q.QueryContext(ctx, `SELECT * FROM `+table+` ORDER BY `+order)
	if err != nil {
		return sum, fmt.Errorf("store: read %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return sum, fmt.Errorf("store: read %s: %w", table, err)
	}
	h, byColumn := sha256.New(), byName(cols)
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return sum, fmt.Errorf("store: read %s: %w", table, err)
		}
		hashRow(h, values, byColumn)
		sum.Rows++
		if each != nil {
			if err := each(cols, values); err != nil {
				return sum, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return sum, fmt.Errorf("store: read %s: %w", table, err)
	}
	sum.Sum = hex.EncodeToString(h.Sum(nil))
	return sum, nil
}

// byName is the order of cols by name: a row is summed in that order, so
// that engines whose tables list the columns in another order agree.
func byName(cols []string) []int {
	order := make([]int, len(cols))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return cols[order[a]] < cols[order[b]] })
	return order
}

// hashRow writes a row in a text both engines' values give alike: a
// number in its shortest decimal form, bytes in hex, NULL as a mark no
// text takes, each value with its length so that no two rows run together.
func hashRow(h hash.Hash, values []any, order []int) {
	for _, i := range order {
		v := values[i]
		var text string
		switch v := v.(type) {
		case nil:
			text = "\x00NULL"
		case int64:
			text = strconv.FormatInt(v, 10)
		case float64:
			text = strconv.FormatFloat(v, 'g', -1, 64)
		case []byte:
			text = "\x00bytes:" + hex.EncodeToString(v)
		case string:
			text = v
		default:
			text = fmt.Sprintf("\x00%T:%v", v, v)
		}
		fmt.Fprintf(h, "%d:%s;", len(text), text)
	}
	h.Write([]byte{'\n'})
}

// recordRows counts the rows of the record's main tables.
func (s *DB) recordRows(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM listings) + (SELECT count(*) FROM users) +
		(SELECT count(*) FROM audit_log) + (SELECT count(*) FROM secrets)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count the target: %w", err)
	}
	return n, nil
}
