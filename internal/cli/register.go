package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/geocoder"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/position"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/register"
	"github.com/bergenreparerer/reparerer/internal/registersync"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
)

// registerCmd is `reparerer register discover | add ORGNR | check`: the
// business register, for discovery and for change. Only organisation
// numbers, Bergen's municipality number and activity codes are sent to it.
func registerCmd(ctx context.Context, args, env []string, stdout, stderr io.Writer) (err error) {
	cfg, rest, districts, db, err := openStore(ctx, "register", args, env, stderr, nil)
	if err != nil {
		return err
	}
	defer closeWith(&err, db)
	if cfg.RegisterURL == "" {
		return errors.New("REPARERER_REGISTER_URL is empty: the register is switched off")
	}
	if len(rest) == 0 {
		return errors.New("want discover, add ORGNR or check")
	}
	postcodes, err := postcode.Load()
	if err != nil {
		return err
	}
	positions := &position.Finder{Postcodes: postcodes}
	if cfg.GeocoderURL != "" {
		positions.Geocoder = geocoder.New(cfg.GeocoderURL, newLogger(cfg, stderr))
	}
	listings := &listing.Service{Store: db, Districts: districts, Now: time.Now, Placer: positions}
	s := &registersync.Service{Register: register.New(cfg.RegisterURL, newLogger(cfg, stderr)), Listings: listings,
		Suggestions: &suggestion.Service{Store: db, Listings: listings, Owners: db, Now: time.Now}, Postcodes: postcodes,
		ExtraCodes: strings.Split(cfg.RegisterCodes, ","), Now: time.Now, Placer: positions, Matches: db}
	switch {
	case rest[0] == "discover" && len(rest) == 1:
		candidates, err := s.Discover(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d repair businesses in Bergen the directory does not know (activity codes %s):\n", len(candidates), strings.Join(s.Codes(), ", "))
		for _, c := range candidates {
			note := ""
			if c.PersonalName {
				note = "  [sole proprietorship: the name may be a person's; publish only with consent]"
			}
			fmt.Fprintf(stdout, "%s  %s, %s %s  %s%s\n", c.OrgNumber, c.Name, c.Address.Street, c.Address.Postcode, strings.Join(c.Categories, ","), note)
		}
	case rest[0] == "add" && len(rest) == 2:
		l, err := s.Add(ctx, rest[1], "cli")
		if err != nil {
			return err
		}
		where := "at its address"
		if l.ApproximatePosition {
			where = "at its postcode's centre (no exact match for the address: set the position)"
		}
		fmt.Fprintf(stdout, "added %s (%s) as a pending listing %s, %s: complete and verify it in the console\n", l.Name, l.OrgNumber, l.ID, where)
	case rest[0] == "check" && len(rest) == 1:
		r, err := s.Check(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "checked %d listings against the register: %d new suggestions for an editor\n", r.Checked, r.Suggested)
	default:
		return fmt.Errorf("unknown register command %q: want discover, add ORGNR or check", strings.Join(rest, " "))
	}
	return nil
}
