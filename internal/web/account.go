package web

import (
	"github.com/bergenreparerer/reparerer/internal/registersync"
	"log/slog"
	"time"

	"github.com/bergenreparerer/reparerer/internal/audit"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/owner"
	"github.com/bergenreparerer/reparerer/internal/position"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/reminder"
)

// account serves repairers: signing in, Min side, claims, registering
// and editing their listings, and the "still correct?" answer.
type account struct {
	*renderer
	mw        *middleware
	listings  ListingReader
	writes    *listing.Service
	history   audit.Store
	auth      *auth.Service
	owners    *owner.Service
	reminders *reminder.Service
	postcodes *postcode.Book
	// register fills forms from Enhetsregisteret; nil when switched off.
	register *registersync.Service
	// positions completes addresses on the form.
	positions *position.Finder
	now       func() time.Time
	log       *slog.Logger
}

// editor is the signed-in user as the listing service knows editors.
func editor(u *auth.User) listing.Editor {
	return listing.Editor{UserID: u.ID, Email: u.Email, Admin: u.Admin()}
}
