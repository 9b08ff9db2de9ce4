package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/bergenreparerer/reparerer/internal/config"
	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// importCmd writes to the store only; a running (or the next) `serve`
// drains the outbox into the search index.
func importCmd(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	var addressFile string
	var dryRun bool
	cfg, rest, err := config.Load(env, args, "import", stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&addressFile, "addresses", "", "JSON address cache: OSM id → {street, postcode, city}")
		fs.BoolVar(&dryRun, "dry-run", false, "print what would change and write nothing")
	})
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errors.New("want exactly one FILE (OSM GeoJSON)")
	}
	data, err := os.ReadFile(rest[0])
	if err != nil {
		return err
	}
	var addresses map[string]importer.Address
	if addressFile != "" {
		raw, err := os.ReadFile(addressFile)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(raw, &addresses); err != nil {
			return fmt.Errorf("%s: %w", addressFile, err)
		}
	}
	districts, db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	im := &importer.Importer{
		Listings:  &listing.Service{Store: db, Districts: districts, Now: time.Now},
		Districts: districts,
		DryRun:    dryRun,
	}
	report, err := im.ImportOSM(ctx, data, addresses)
	printReport(stdout, rest[0], report)
	return err
}

func printReport(w io.Writer, file string, r importer.Report) {
	if r.DryRun {
		fmt.Fprintf(w, "%s (dry run, nothing written): would import %d, update %d, leave %d unchanged, skip %d\n",
			file, r.Imported, r.Updated, r.Unchanged, len(r.Skipped))
	} else {
		fmt.Fprintf(w, "%s: imported %d, updated %d, unchanged %d, skipped %d\n",
			file, r.Imported, r.Updated, r.Unchanged, len(r.Skipped))
	}
	reasons := map[string]int{}
	var order []string
	for _, s := range r.Skipped {
		if reasons[s.Reason] == 0 {
			order = append(order, s.Reason)
		}
		reasons[s.Reason]++
	}
	for _, reason := range order {
		fmt.Fprintf(w, "  skipped %3d: %s\n", reasons[reason], reason)
	}
	if len(r.NotUnderstood) > 0 {
		fmt.Fprintf(w, "fields not understood (%d):\n", len(r.NotUnderstood))
		for _, n := range r.NotUnderstood {
			fmt.Fprintf(w, "  %s %q %s=%q: %s\n", n.Ref, n.Name, n.Field, n.Value, n.Problem)
		}
	}
}
