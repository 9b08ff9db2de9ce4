package listing

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

// Mark is an external quality label on a listing, set by the
// municipality, valid through Until (a date, YYYY-MM-DD; "" for no end).
type Mark struct {
	Label string `json:"label"`
	Until string `json:"until,omitempty"`
}

// maxMarks bounds the labels on one listing.
const maxMarks = 20

var labelSlugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// ValidLabelSlug reports whether s can name a label.
func ValidLabelSlug(s string) bool { return labelSlugPattern.MatchString(s) }

// Valid reports whether the mark holds on the local date of now.
func (m Mark) Valid(now time.Time) bool {
	return m.Until == "" || m.Until >= now.In(openinghours.Oslo).Format(time.DateOnly)
}

// ValidMarks are the listing's marks that hold at now.
func (l *Listing) ValidMarks(now time.Time) []Mark {
	var out []Mark
	for _, m := range l.Marks {
		if m.Valid(now) {
			out = append(out, m)
		}
	}
	return out
}

// normalizeMarks sorts the marks by label and names every problem.
func normalizeMarks(l *Listing) []error {
	var errs []error
	seen := map[string]bool{}
	for _, m := range l.Marks {
		if !ValidLabelSlug(m.Label) || seen[m.Label] {
			errs = append(errs, apperr.Invalid("marks", "err.listing.mark_invalid", "label", m.Label))
		}
		seen[m.Label] = true
		if _, err := time.Parse(time.DateOnly, m.Until); m.Until != "" && err != nil {
			errs = append(errs, apperr.Invalid("marks", "err.listing.mark_until_invalid", "label", m.Label))
		}
	}
	if len(l.Marks) > maxMarks {
		errs = append(errs, apperr.Invalid("marks", "err.listing.too_many", "max", maxMarks))
	}
	slices.SortFunc(l.Marks, func(a, b Mark) int { return strings.Compare(a.Label, b.Label) })
	if len(l.Marks) == 0 {
		l.Marks = nil
	}
	return errs
}
