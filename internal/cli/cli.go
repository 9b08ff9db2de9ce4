// Package cli is the reparerer command: one file per subcommand.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/bergenreparerer/reparerer/internal/config"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/store"
)

const usage = `reparerer — Bergen Reparerer

Usage:
  reparerer serve   [flags]                      run the service
  reparerer reindex [flags]                      rebuild the search index from the store (zero downtime)
  reparerer import  [flags] [--addresses F] [--dry-run] FILE
                                                 import repair places from OpenStreetMap GeoJSON
  reparerer claims  [flags] list | approve ID | reject ID
                                                 list and decide claims on listings ("Er dette din bedrift?")
  reparerer admin   [flags] add EMAIL | remove EMAIL | list
                                                 the municipality's editors (role admin, sign in at /min-side/logg-inn)
  reparerer register [flags] discover | add ORGNR | check
                                                 the business register (Enhetsregisteret): repair businesses in Bergen
                                                 not listed yet; add one as a pending listing; check every listing's
                                                 organisation number (closures, bankruptcies, new names and addresses
                                                 become suggestions in the console)

  reparerer backup  [flags] FILE                 a consistent copy of the store while the service runs
  reparerer restore [flags] [--force] FILE       make a backup the store (service stopped); then reindex
  reparerer migrate-store --from STORE --to STORE
                                                 copy everything into an empty store (e.g. sqlite:./data/reparerer.db
                                                 to postgres://…), checked table by table by counts and checksums

Every flag has an environment variable; "reparerer serve -h" lists them.
`

// Main runs the command line and returns the exit code.
func Main(args []string, env []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], env, stderr)
	case "reindex":
		err = reindex(ctx, args[1:], env, stdout, stderr)
	case "import":
		err = importCmd(ctx, args[1:], env, stdout, stderr)
	case "claims":
		err = claims(ctx, args[1:], env, stdout, stderr)
	case "admin":
		err = admin(ctx, args[1:], env, stdout, stderr)
	case "register":
		err = registerCmd(ctx, args[1:], env, stdout, stderr)
	case "backup":
		err = backup(ctx, args[1:], env, stdout, stderr)
	case "restore":
		err = restore(ctx, args[1:], env, stdout, stderr)
	case "migrate-store":
		err = migrateStore(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "reparerer: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "reparerer %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// openStore loads the configuration and the districts and opens the
// store: what every command that reads or writes listings outside the
// service needs. The caller closes the store.
func openStore(ctx context.Context, name string, args, env []string, stderr io.Writer, extra func(*flag.FlagSet)) (config.Config, []string, *district.Map, *store.DB, error) {
	cfg, rest, err := config.Load(env, args, name, stderr, extra)
	if err != nil {
		return cfg, nil, nil, nil, err
	}
	districts, err := district.Load()
	if err != nil {
		return cfg, nil, nil, nil, err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return cfg, nil, nil, nil, err
	}
	return cfg, rest, districts, db, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel)) // validated by config
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// closeWith closes c when a command ends and adds a failed close to the
// command's error: a store that could not close cleanly is worth saying.
func closeWith(err *error, c io.Closer) {
	*err = errors.Join(*err, c.Close())
}
