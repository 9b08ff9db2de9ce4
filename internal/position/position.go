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

// Finder places addresses.
type Finder struct {
	// Geocoder finds exact positions; nil places every address at its
	// postcode's centre.
	Geocoder  listing.Locator
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
