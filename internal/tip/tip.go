// Package tip holds what residents tell the municipality about a repairer
// the directory does not know yet ("Tips oss"). Tips are anonymous unless
// the sender leaves an address; the municipality reads them in its queue.
package tip

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
)

// Bounds of a tip's fields, in characters.
const (
	MaxName    = 200
	MaxWhere   = 200
	MaxMessage = 2000
	MaxEmail   = 254
)

// Tip is one resident's tip about a repairer.
type Tip struct {
	ID       string
	Category string // optional: what the resident searched for
	Name     string // the repairer's name
	Where    string // address, area or website
	Message  string // optional
	Email    string // optional: where the sender may be answered
	// CreatedAt is when it arrived.
	CreatedAt time.Time
}

// Store keeps tips.
type Store interface {
	CreateTip(ctx context.Context, t *Tip) error
	// OpenTips returns the tips nobody has handled, oldest first.
	OpenTips(ctx context.Context) ([]Tip, error)
	// CloseTip marks an open tip handled; a handled or unknown one is
	// apperr not found.
	CloseTip(ctx context.Context, id, by string, at time.Time) error
}

// Normalize trims the tip and checks every field; the error names the
// first bad field.
func (t *Tip) Normalize() error {
	t.Category, t.Name, t.Where = strings.TrimSpace(t.Category), strings.TrimSpace(t.Name), strings.TrimSpace(t.Where)
	t.Message, t.Email = strings.TrimSpace(t.Message), strings.TrimSpace(t.Email)
	if t.Category != "" && !category.Valid(t.Category) {
		return apperr.Invalid("category", "err.tip.category")
	}
	for _, f := range []struct {
		field, value string
		max          int
		required     bool
	}{{"name", t.Name, MaxName, true}, {"where", t.Where, MaxWhere, true}, {"message", t.Message, MaxMessage, false}} {
		switch {
		case f.required && f.value == "":
			return apperr.Invalid(f.field, "err.tip."+f.field+"_missing")
		case !utf8.ValidString(f.value) || utf8.RuneCountInString(f.value) > f.max:
			return apperr.Invalid(f.field, "err.tip.too_long", "max", f.max)
		case strings.ContainsFunc(f.value, func(c rune) bool { return unicode.IsControl(c) && c != '\n' && c != '\r' && c != '\t' }):
			return apperr.Invalid(f.field, "err.tip.control_characters")
		}
	}
	if t.Email != "" {
		a, err := mail.ParseAddress(t.Email)
		if err != nil || a.Address != t.Email || len(t.Email) > MaxEmail {
			return apperr.Invalid("email", "err.tip.email")
		}
	}
	return nil
}
