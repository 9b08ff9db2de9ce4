package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
)

const adminUsage = `usage: reparerer admin add EMAIL      make EMAIL a municipal editor (role admin)
       reparerer admin remove EMAIL   make EMAIL an ordinary account again
       reparerer admin list`

// admin manages the municipality's accounts. They sign in like repairers,
// with a link sent to their address; the role is what opens /admin.
func admin(ctx context.Context, args, env []string, stdout, stderr io.Writer) (err error) {
	cfg, rest, _, db, err := openStore(ctx, "admin", args, env, stderr, nil)
	if err != nil {
		return err
	}
	defer closeWith(&err, db)
	switch {
	case len(rest) == 1 && rest[0] == "list":
		admins, err := db.UsersWithRole(ctx, auth.RoleAdmin)
		if err != nil {
			return err
		}
		for _, u := range admins {
			fmt.Fprintf(stdout, "%s\tsince %s\n", u.Email, u.CreatedAt.Format(time.DateOnly))
		}
		return nil
	case len(rest) == 2 && (rest[0] == "add" || rest[0] == "remove"):
		email, ok := listing.NormalizeEmail(rest[1])
		if !ok {
			return fmt.Errorf("%q is not an e-mail address", rest[1])
		}
		role := auth.RoleAdmin
		if rest[0] == "remove" {
			role = auth.RoleOwner
		}
		u, err := db.EnsureUser(ctx, email, role, time.Now())
		if err != nil {
			return err
		}
		if err := db.SetRole(ctx, u.ID, role); err != nil {
			return err
		}
		newLogger(cfg, stderr).Info("admin: role set", "email", email, "role", role)
		fmt.Fprintf(stdout, "%s is now %s; they sign in at %s\n", email, role, paths.Absolute(cfg.BaseURL, paths.SignIn))
		return nil
	}
	return errors.New(adminUsage)
}
