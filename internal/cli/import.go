package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/geocoder"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
)

// importCmd writes to the store only; a running (or the next) `serve`
// drains the outbox into the search index.
func importCmd(ctx context.Context, args, env []string, stdout, stderr io.Writer) (err error) {
	var addressFile string
	var dryRun bool
	cfg, rest, districts, db, err := openStore(ctx, "import", args, env, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&addressFile, "addresses", "", "JSON address cache: OSM id → {street, postcode, city}")
		fs.BoolVar(&dryRun, "dry-run", false, "print what would change and write nothing")
	})
	if err != nil {
		return err
	}
	defer closeWith(&err, db)
	if len(rest) != 1 {
		return errors.New("want exactly one FILE (OSM GeoJSON or CSV)")
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
	svc := &listing.Service{Store: db, Districts: districts, Now: time.Now}
	if strings.EqualFold(filepath.Ext(rest[0]), ".csv") {
		var locator listing.Locator
		if cfg.GeocoderURL != "" {
			locator = geocoder.New(cfg.GeocoderURL, newLogger(cfg, stderr))
		}
		return importCSV(ctx, svc, db, locator, data, rest[0], dryRun, stdout)
	}
	im := &importer.Importer{
		Listings:    svc,
		Districts:   districts,
		Suggestions: db,
		DryRun:      dryRun,
	}
	if !dryRun {
		im.Progress = progress(stdout, time.Now, 2*time.Second)
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
		fmt.Fprintf(w, "%s: imported %d, updated %d, unchanged %d, skipped %d, suggested %d (values that differ from ones people set, for an editor)\n",
			file, r.Imported, r.Updated, r.Unchanged, len(r.Skipped), r.Suggested)
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

// importCSV imports a CSV as the console does (see README, "Import CSV"),
// merging possible duplicates into the listings they match.
func importCSV(ctx context.Context, svc *listing.Service, suggestions suggestion.Store, locator listing.Locator, data []byte, file string, dryRun bool, w io.Writer) error {
	postcodes, err := postcode.Load()
	if err != nil {
		return err
	}
	p := &importer.Planner{Listings: svc, Districts: svc.Districts, Postcodes: postcodes, Suggestions: suggestions, Geocoder: locator}
	rows, err := p.ReadCSV(data)
	if err != nil {
		return err
	}
	plan, err := p.Plan(ctx, rows)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d new, %d to update, %d unchanged, %d duplicates (merged), %d with errors\n", file,
		plan.Count(importer.Create), plan.Count(importer.Update), plan.Count(importer.Unchanged),
		plan.Count(importer.Duplicate), plan.Count(importer.Invalid))
	messages, err := i18n.Load()
	if err != nil {
		return err
	}
	nb := messages.For(i18n.NB) // the municipality's language
	for _, st := range plan.Steps {
		for _, pr := range st.Problems {
			detail := ""
			if pr.Err != nil {
				detail = nb.T(pr.Err.Key, pr.Err.Args...)
			}
			fmt.Fprintf(w, "  line %d: %s %q %s\n", st.Line, pr.Code, pr.Value, detail)
		}
	}
	if dryRun {
		fmt.Fprintln(w, "dry run: nothing written")
		return nil
	}
	p.Progress = progress(w, time.Now, 2*time.Second)
	_, err = p.Apply(ctx, plan, nil, listing.Change{Actor: "cli", Action: listing.ActionImport, Note: "import " + filepath.Base(file)})
	return err
}

// progress reports, at most every interval, how many rows are written,
// at what rate, and about how long the rest takes.
func progress(w io.Writer, now func() time.Time, interval time.Duration) func(done, total int) {
	return importer.Reporter(now, interval, func(p importer.Progress) {
		if left, ok := p.Left(); ok {
			fmt.Fprintf(w, "import: %d of %d rows written, %.0f rows/s, about %s left\n", p.Done, p.Total, p.Rate(), left)
		}
	})
}
