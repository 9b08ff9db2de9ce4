// Package label is the municipality's list of external quality labels and
// certifications a repairer may hold (a trade body's certification, an
// environmental label), each with its issuer, a link, the criteria in
// words, and an optional logo. Which listing holds which is set on the
// listing (listing.Mark) by an editor.
package label

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gosimple/slug"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Label is one quality label.
type Label struct {
	Slug, Name, Issuer, URL string
	CriteriaNB, CriteriaEN  string
	// Logo is a PNG or JPEG image (LogoType its media type); nil: none.
	Logo      []byte
	LogoType  string
	UpdatedAt time.Time
}

// Limits of a label.
const (
	maxName     = 80
	maxCriteria = 1500
	// MaxLogo bounds an uploaded logo.
	MaxLogo = 200 << 10
)

// Store keeps the labels.
type Store interface {
	// Labels returns every label, by name, without logos.
	Labels(ctx context.Context) ([]Label, error)
	// Label returns one label with its logo.
	Label(ctx context.Context, slug string) (Label, error)
	// SaveLabel creates or replaces a label; a nil logo keeps the one
	// stored unless dropLogo.
	SaveLabel(ctx context.Context, l Label, dropLogo bool) error
}

// Prepare checks and tidies a label an editor wrote; a new one (no slug)
// gets its slug from its name.
func Prepare(l *Label) error {
	l.Name, l.Issuer, l.URL = strings.TrimSpace(l.Name), strings.TrimSpace(l.Issuer), strings.TrimSpace(l.URL)
	l.CriteriaNB, l.CriteriaEN = strings.TrimSpace(l.CriteriaNB), strings.TrimSpace(l.CriteriaEN)
	switch {
	case l.Name == "" || utf8.RuneCountInString(l.Name) > maxName || strings.ContainsAny(l.Name, "\r\n"):
		return apperr.Invalid("name", "err.label.name", "max", maxName)
	case l.Issuer == "" || utf8.RuneCountInString(l.Issuer) > maxName || strings.ContainsAny(l.Issuer, "\r\n"):
		return apperr.Invalid("issuer", "err.label.issuer", "max", maxName)
	case utf8.RuneCountInString(l.CriteriaNB) > maxCriteria || utf8.RuneCountInString(l.CriteriaEN) > maxCriteria:
		return apperr.Invalid("criteria_nb", "err.label.criteria", "max", maxCriteria)
	}
	if l.URL != "" {
		u, err := url.Parse(l.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
			return apperr.Invalid("url", "err.label.url")
		}
	}
	if l.Slug == "" {
		l.Slug = slug.Make(l.Name)
		if len(l.Slug) > 40 {
			l.Slug = strings.TrimRight(l.Slug[:40], "-")
		}
	}
	if !listing.ValidLabelSlug(l.Slug) {
		return apperr.Invalid("name", "err.label.name", "max", maxName)
	}
	if l.Logo != nil {
		if len(l.Logo) > MaxLogo {
			return apperr.Invalid("logo", "err.label.logo_size", "max", MaxLogo>>10)
		}
		// Only raster images: an SVG may carry script.
		switch t := http.DetectContentType(l.Logo); t {
		case "image/png", "image/jpeg":
			l.LogoType = t
		default:
			return apperr.Invalid("logo", "err.label.logo_type")
		}
	}
	return nil
}
