package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/bergenreparerer/reparerer/internal/config"
	"github.com/bergenreparerer/reparerer/internal/store"
)

// migrateStore copies the whole record from one store to another, empty
// one — typically the SQLite file to PostgreSQL — and checks every table
// of the copy by its row count and checksum. The source is read in one
// snapshot; stop the service, or set REPARERER_READ_ONLY=on, so that no
// write lands after it.
func migrateStore(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fs := flag.NewFlagSet("migrate-store", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "the store to copy: sqlite:FILE (or a path) or postgres://…")
	to := fs.String("to", "", "the empty store to copy into: postgres://… or sqlite:FILE")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		return errors.New("want both stores: reparerer migrate-store --from sqlite:FILE --to postgres://…")
	}
	src, err := store.Open(ctx, *from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	defer closeWith(&err, src)
	dst, err := store.Open(ctx, *to)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	defer closeWith(&err, dst)
	sums, err := src.CopyTo(ctx, dst)
	if err != nil {
		return err
	}
	for _, s := range sums {
		fmt.Fprintf(stdout, "%-18s %7d rows  sha256 %s  same on both\n", s.Table, s.Rows, s.Sum[:16])
	}
	fmt.Fprintf(stdout, "copied %s into %s; point REPARERER_DB at it and run \"reparerer reindex\" if the index is new\n", config.Redact(*from), config.Redact(*to))
	return nil
}
