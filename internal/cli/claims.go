package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/owner"
)

const claimsUsage = `usage: reparerer claims list
       reparerer claims approve ID
       reparerer claims reject ID`

// claims lists and decides claims ("Er dette din bedrift?") from the command
// line; the console at /admin does the same and e-mails the claimant.
func claims(ctx context.Context, args, env []string, stdout, stderr io.Writer) (err error) {
	cfg, rest, districts, db, err := openStore(ctx, "claims", args, env, stderr, nil)
	if err != nil {
		return err
	}
	defer closeWith(&err, db)
	svc := &owner.Service{Store: db, Now: time.Now, Log: newLogger(cfg, stderr),
		Numbers: &listing.Service{Store: db, Districts: districts, Now: time.Now}}
	switch {
	case len(rest) == 1 && rest[0] == "list":
		pending, err := db.PendingClaims(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tLISTING\tNAME\tROLE\tE-MAIL\tSINCE")
		for _, c := range pending {
			l, err := db.Get(ctx, c.ListingID)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, l.Name, c.Name, c.Role, c.Email, c.CreatedAt.Format(time.DateOnly))
		}
		return w.Flush()
	case len(rest) == 2 && (rest[0] == "approve" || rest[0] == "reject"):
		c, err := svc.Decide(ctx, rest[1], rest[0] == "approve", "cli")
		if err != nil {
			return err
		}
		l, err := db.Get(ctx, c.ListingID)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "claim %s %s: %s (%s) for %q\n", c.ID, c.Status, c.Name, c.Email, l.Name)
		return nil
	}
	return errors.New(claimsUsage)
}
