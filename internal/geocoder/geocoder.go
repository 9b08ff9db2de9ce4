// Package geocoder turns a Norwegian street address into coordinates with
// Kartverket's open address API (Geonorge adresser/v1/sok, no key). Only
// the street address, the postcode and Bergen's municipality number leave
// the service. Nothing outside this package knows the API's format.
package geocoder

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/bergenreparerer/reparerer/internal/extapi"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// DefaultURL is Kartverket's public address API.
const DefaultURL = "https://ws.geonorge.no/adresser/v1"

// Bergen is the municipality every match must lie in.
const Bergen = "4601"

// Geocoder finds addresses.
type Geocoder struct {
	*extapi.Client
}

// New returns a geocoder using the API at baseURL.
func New(baseURL string, log *slog.Logger) *Geocoder {
	return &Geocoder{extapi.New("geocoder", strings.TrimRight(baseURL, "/"), log)}
}

// Locate returns the position of a street address in Bergen. ok is false
// when the API finds no address that matches the street and postcode in
// Bergen, or several that lie apart (ambiguous): the caller falls back to
// the postcode's centre and marks the position approximate. An error is
// an outage (extapi.ErrUnavailable).
func (g *Geocoder) Locate(ctx context.Context, street, postcode string) (listing.Location, bool, error) {
	street = strings.TrimSpace(street)
	if street == "" || len(postcode) != 4 {
		return listing.Location{}, false, nil
	}
	q := url.Values{"sok": {street}, "postnummer": {postcode}, "kommunenummer": {Bergen}, "treffPerSide": {"10"},
		"utkoordsys": {"4258"}}
	var resp struct {
		Addresses []struct {
			Text         string `json:"adressetekst"`
			Postcode     string `json:"postnummer"`
			Municipality string `json:"kommunenummer"`
			Point        *struct {
				Lat float64 `json:"lat"`
				Lon float64 `json:"lon"`
			} `json:"representasjonspunkt"`
		} `json:"adresser"`
	}
	status, err := g.GetJSON(ctx, "/sok?"+q.Encode(), &resp)
	if err != nil || status != http.StatusOK {
		return listing.Location{}, false, err
	}
	var found []listing.Location
	for _, a := range resp.Addresses {
		if a.Point == nil || a.Municipality != Bergen || a.Postcode != postcode || !sameStreet(a.Text, street) {
			continue
		}
		found = append(found, listing.Location{Lat: a.Point.Lat, Lng: a.Point.Lon})
	}
	if len(found) == 0 || apart(found) {
		return listing.Location{}, false, nil
	}
	return found[0], true, nil
}

// sameStreet compares addresses without case, spacing or punctuation.
func sameStreet(a, b string) bool {
	norm := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch r {
			case ' ', ',', '.', '-':
				return -1
			}
			return r
		}, strings.ToLower(s))
	}
	return norm(a) == norm(b)
}

// apart reports whether matches lie more than ~50 m from the first: the
// same text naming different places is not an answer.
func apart(ps []listing.Location) bool {
	for _, p := range ps[1:] {
		if abs(p.Lat-ps[0].Lat) > 0.0005 || abs(p.Lng-ps[0].Lng) > 0.001 {
			return true
		}
	}
	return false
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
