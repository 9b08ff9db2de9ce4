package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresEnv names the PostgreSQL server tests create their databases on
// (a URL whose user may CREATE DATABASE); the machine's and CI's is the
// default. Tests never touch a database they did not create.
const PostgresEnv = "REPARERER_TEST_POSTGRES"

const defaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// testDatabasePrefix starts the name of every database tests create; the
// creating process's id follows, so that a run can drop what an earlier,
// killed run left behind.
const testDatabasePrefix = "reparerer_test_"

var sweepOnce sync.Once

// PostgresURL creates an empty database for this test and returns its URL;
// the database is dropped when the test ends.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(PostgresEnv)
	if admin == "" {
		admin = defaultPostgres
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatalf("PostgreSQL for tests at %s (set %s): %v", admin, PostgresEnv, err)
	}
	defer c.Close(ctx)
	sweepOnce.Do(func() { sweepLeftovers(ctx, c) })
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	name := testDatabasePrefix + strconv.Itoa(os.Getpid()) + "_" + hex.EncodeToString(suffix)
	if _, err := c.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() { dropDatabase(admin, name, tb) })
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func dropDatabase(admin, name string, tb testing.TB) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Errorf("drop test database %s: %v", name, err)
		return
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
		tb.Errorf("drop test database %s: %v", name, err)
	}
}

// sweepLeftovers drops the test databases of processes that no longer run
// (a run killed before its clean-up).
func sweepLeftovers(ctx context.Context, c *pgx.Conn) {
	rows, err := c.Query(ctx, `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, testDatabasePrefix)
	if err != nil {
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	for _, name := range names {
		pid, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, testDatabasePrefix), "_", 2)[0])
		if err != nil || processAlive(pid) {
			continue
		}
		_, _ = c.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`)
	}
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}

// StoreEnv selects the engine testenv.Store opens: "postgres" for a
// PostgreSQL database of the test's own, else SQLite. The test command
// runs the store's users once on each, as the stores' shared contract.
const StoreEnv = "REPARERER_TEST_STORE"

// StoreTarget is where a test's store lives on the engine StoreEnv selects:
// a new PostgreSQL database or a SQLite file in the test's folder.
func StoreTarget(tb testing.TB) string {
	tb.Helper()
	if os.Getenv(StoreEnv) == "postgres" {
		return PostgresURL(tb)
	}
	return fmt.Sprintf("%s/test.db", tb.TempDir())
}
