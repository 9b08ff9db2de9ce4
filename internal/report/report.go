// Package report holds what the public tells the municipality is wrong
// with a listing ("Meld fra om feil"). Reports are anonymous; the
// municipality reads them in its review queue.
package report

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Reasons a report may give, in the order the form offers them.
var Reasons = []string{"closed", "hours", "address", "contact", "services", "other"}

// MaxMessage bounds the free text of a report, in characters.
const MaxMessage = 2000

// Report is one error report about a listing.
type Report struct {
	ID        string
	ListingID string
	Reason    string
	Message   string
	// Email is where the reporter may be answered; optional.
	Email string
	// CorrectionField and Correction, optional, propose the right value
	// of one field; it becomes a suggestion for an editor.
	CorrectionField, Correction string
	CreatedAt                   time.Time
}

// Store keeps reports.
type Store interface {
	CreateReport(ctx context.Context, r *Report) error
	// OpenReports returns the reports nobody has handled, oldest first.
	OpenReports(ctx context.Context) ([]Report, error)
	// CloseReport marks an open report handled and returns it; a handled
	// or unknown one is apperr not found.
	CloseReport(ctx context.Context, id, by string, at time.Time) (Report, error)
}

// CorrectionFields are the fields a report may propose a value for.
var CorrectionFields = []string{"name", "phone", "email", "website", "address.street"}

// MaxCorrection bounds a proposed value, in characters.
const MaxCorrection = 200

// Normalize trims the report and checks every field; the error names the
// first bad field.
func (r *Report) Normalize() error {
	r.CorrectionField, r.Correction = strings.TrimSpace(r.CorrectionField), strings.TrimSpace(r.Correction)
	switch {
	case r.Correction == "":
		r.CorrectionField = ""
	case !slices.Contains(CorrectionFields, r.CorrectionField):
		return apperr.Invalid("correction_field", "err.report.correction_field")
	case !utf8.ValidString(r.Correction) || utf8.RuneCountInString(r.Correction) > MaxCorrection ||
		strings.ContainsFunc(r.Correction, unicode.IsControl):
		return apperr.Invalid("correction", "err.report.correction", "max", MaxCorrection)
	}
	r.Message = strings.TrimSpace(r.Message)
	r.Email = strings.TrimSpace(r.Email)
	if !slices.Contains(Reasons, r.Reason) {
		return apperr.Invalid("reason", "err.report.reason_missing")
	}
	if r.Message == "" {
		return apperr.Invalid("message", "err.report.message_missing")
	}
	if !utf8.ValidString(r.Message) || utf8.RuneCountInString(r.Message) > MaxMessage {
		return apperr.Invalid("message", "err.report.message_too_long", "max", MaxMessage)
	}
	if strings.ContainsFunc(r.Message, func(c rune) bool { return unicode.IsControl(c) && c != '\n' && c != '\r' && c != '\t' }) {
		return apperr.Invalid("message", "err.report.message_control_characters")
	}
	if r.Email != "" {
		email, ok := listing.NormalizeEmail(r.Email)
		if !ok {
			return apperr.Invalid("email", "err.report.email_invalid")
		}
		r.Email = email
	}
	return nil
}
