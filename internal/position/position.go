// Package position places a Bergen street address: at the door, through
// the address API (package geocoder), or — when the API has no single
// match or does not answer in time — at the postcode's centre, which the
// listing then marks as an approximate position for the editor.
package position

import (
	"context"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/postcode"
)

// DefaultWait bounds a lookup made while a person waits for a form: the
// address API's own retries may take longer, and a postcode's centre now
// is better than an exact position after half a minute.
const DefaultWait = 4 * time.Second

// Address is one address the address API suggests for what someone is
// typing.
type Address struct {
	Street   string           `json:"street"`
	Postcode string           `json:"postcode"`
	City     string           `json:"city"`
	Location listing.Location `json:"location"`
}

// Geocoder is the address API (package geocoder).
type Geocoder interface {
	listing.Locator
	Suggest(ctx context.Context, text string) ([]Address, error)
}

// Finder places addresses.
type Finder struct {
	// Geocoder finds exact positions; nil places every address at its
	// postcode's centre.
	Geocoder  Geocoder
	Postcodes *postcode.Book
	Wait      time.Duration // 0: DefaultWait
}

// Place returns where the address is: exactly, or at its postcode's centre
// (exact false). ok is false for a postcode that is not Bergen's.
func (f *Finder) Place(ctx context.Context, street, code string) (at listing.Location, exact, ok bool) {
	pc, known := f.Postcodes.Lookup(code)
	if !known {
		return listing.Location{}, false, false
	}
	if f.Geocoder != nil && street != "" {
		wait := f.Wait
		if wait == 0 {
			wait = DefaultWait
		}
		ctx, cancel := context.WithTimeout(ctx, wait)
		defer cancel()
		if found, single, err := f.Geocoder.Locate(ctx, street, code); err == nil && single {
			return found, true, true
		}
	}
	return listing.Location{Lat: pc.Lat, Lng: pc.Lng}, false, true
}

// SuggestWait bounds an address completion: a suggestion that comes later
// than this is no help to someone typing.
const SuggestWait = 2 * time.Second

// Suggest completes a Bergen address being typed; ok is false when the
// address API is switched off.
func (f *Finder) Suggest(ctx context.Context, text string) (out []Address, ok bool, err error) {
	if f.Geocoder == nil {
		return nil, false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, SuggestWait)
	defer cancel()
	out, err = f.Geocoder.Suggest(ctx, text)
	return out, true, err
}
