package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bergenreparerer/reparerer/internal/config"
	"github.com/bergenreparerer/reparerer/internal/store"
)

// backup writes a consistent copy of the store while the service runs, and
// checks the copy by its totals.
func backup(ctx context.Context, args, env []string, stdout, stderr io.Writer) (err error) {
	_, rest, _, db, err := openStore(ctx, "backup", args, env, stderr, nil)
	if err != nil {
		return err
	}
	defer closeWith(&err, db)
	if len(rest) != 1 {
		return errors.New("want the backup file: reparerer backup FILE")
	}
	want, err := db.Totals(ctx)
	if err != nil {
		return err
	}
	if err := db.Backup(ctx, rest[0]); err != nil {
		return err
	}
	got, err := totalsOf(ctx, rest[0])
	if err != nil {
		return err
	}
	if got.Listings < want.Listings || got.AuditEntries < want.AuditEntries {
		return fmt.Errorf("the backup %s holds %+v, the store %+v", rest[0], got, want)
	}
	fmt.Fprintf(stdout, "backup %s: %d listings, %d audit entries, %d accounts\n", rest[0], got.Listings, got.AuditEntries, got.Users)
	return nil
}

// restore makes a backup the store: the service must be stopped, and an
// existing SQLite store is replaced only with --force; a PostgreSQL store
// must be an empty database. The backup file itself is only read; a copy
// of it is migrated if it is older, checked for integrity, and counted.
// Search is then rebuilt with "reparerer reindex".
func restore(ctx context.Context, args, env []string, stdout, stderr io.Writer) (err error) {
	var force bool
	cfg, rest, err := config.Load(env, args, "restore", stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&force, "force", false, "replace an existing SQLite store (stop the service first)")
	})
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errors.New("want the backup file: reparerer restore [--force] FILE")
	}
	var db *store.DB
	if store.IsPostgres(cfg.DB) {
		db, err = restoreInto(ctx, rest[0], cfg.DB)
	} else {
		db, err = restoreFile(ctx, rest[0], cfg.DB, force)
	}
	if err != nil {
		return err
	}
	defer closeWith(&err, db)
	if err := db.Check(ctx); err != nil {
		return err
	}
	got, err := db.Totals(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s: %d listings, %d audit entries, %d accounts; now run \"reparerer reindex\"\n",
		rest[0], config.Redact(cfg.DB), got.Listings, got.AuditEntries, got.Users)
	return nil
}

// restoreFile makes a copy of the backup file the SQLite store.
func restoreFile(ctx context.Context, backupFile, path string, force bool) (*store.DB, error) {
	if _, err := os.Stat(path); err == nil {
		if !force {
			return nil, fmt.Errorf("%s exists; stop the service and add --force to replace it", path)
		}
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, err
			}
		}
	}
	if err := copyFile(backupFile, path); err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("%s is not a backup of the store: %w", backupFile, err)
	}
	return db, nil
}

// restoreInto copies the backup file's record into an empty PostgreSQL
// database, checked by every table's sums; the file is read from a copy,
// which is migrated if it is older.
func restoreInto(ctx context.Context, backupFile, url string) (db *store.DB, err error) {
	tmp, err := os.MkdirTemp("", "reparerer-restore-")
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(tmp)) }()
	copied := filepath.Join(tmp, "backup.db")
	if err := copyFile(backupFile, copied); err != nil {
		return nil, err
	}
	from, err := store.Open(ctx, copied)
	if err != nil {
		return nil, fmt.Errorf("%s is not a backup of the store: %w", backupFile, err)
	}
	defer closeWith(&err, from)
	if db, err = store.Open(ctx, url); err != nil {
		return nil, err
	}
	if _, err := from.CopyTo(ctx, db); err != nil {
		return nil, errors.Join(fmt.Errorf("%w (--force replaces only a SQLite file: create an empty database)", err), db.Close())
	}
	return db, nil
}

func copyFile(from, to string) (err error) {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer closeWith(&err, in)
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer closeWith(&err, out)
	_, err = io.Copy(out, in)
	return err
}

// totalsOf opens a store file (migrating an older one) and counts it.
func totalsOf(ctx context.Context, path string) (t store.Totals, err error) {
	db, err := store.Open(ctx, path)
	if err != nil {
		return t, err
	}
	defer closeWith(&err, db)
	return db.Totals(ctx)
}
