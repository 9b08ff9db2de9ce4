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
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"github.com/bergenreparerer/reparerer/internal/extapi"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/position"
)

// DefaultURL is Kartverket's public address API.
const DefaultURL = "https://ws.geonorge.no/adresser/v1"

// Bergen is the municipality every match must lie in.
const Bergen = "4601"

// Geocoder finds addresses.
type Geocoder struct {
	*extapi.Client
	recent *expirable.LRU[string, located]
}

// New returns a geocoder using the API at baseURL.
func New(baseURL string, log *slog.Logger) *Geocoder {
	return &Geocoder{Client: extapi.New("geocoder", strings.TrimRight(baseURL, "/"), log),
		recent: expirable.NewLRU[string, located](recentSize, nil, recentFor)}
}

// An address is asked for once in a while, not at every step that needs
// it: an import's preview, its confirmation and the writes of its rows
// all place the same addresses within minutes. Answers (a door or no
// single match) are kept recentFor; an outage is not kept.
const (
	recentSize = 5000
	recentFor  = 10 * time.Minute
)

type located struct {
	at    listing.Location
	found bool
}

// MaxSuggestions bounds the addresses Suggest returns.
const MaxSuggestions = 6

// Suggest returns up to MaxSuggestions addresses in Bergen that begin with
// text (the API's wildcard search), for a form's address completion. An
// error is an outage; the form then works as it does without a script.
func (g *Geocoder) Suggest(ctx context.Context, text string) ([]position.Address, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "*", ""))
	if len([]rune(text)) < 3 {
		return nil, nil
	}
	q := url.Values{"sok": {text + "*"}, "kommunenummer": {Bergen}, "treffPerSide": {strconv.Itoa(MaxSuggestions)},
		"utkoordsys": {"4258"}}
	var resp answer
	status, err := g.GetJSON(ctx, "/sok?"+q.Encode(), &resp)
	if err != nil || status != http.StatusOK {
		return nil, err
	}
	out := []position.Address{}
	for _, a := range resp.Addresses {
		if a.Point == nil || a.Municipality != Bergen || len(out) == MaxSuggestions {
			continue
		}
		out = append(out, position.Address{Street: a.Text, Postcode: a.Postcode, City: titleCase(a.City),
			Location: listing.Location{Lat: a.Point.Lat, Lng: a.Point.Lon}})
	}
	return out, nil
}

// answer is the part of the API's answer the service reads.
type answer struct {
	Addresses []struct {
		Text         string `json:"adressetekst"`
		Postcode     string `json:"postnummer"`
		City         string `json:"poststed"`
		Municipality string `json:"kommunenummer"`
		Point        *struct {
			Lat float64 `json:"lat"`
			Lon float64 `json:"lon"`
		} `json:"representasjonspunkt"`
	} `json:"adresser"`
}

// titleCase writes the register's "BERGEN" as "Bergen".
func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
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
	key := strings.ToLower(street) + "|" + postcode
	if r, ok := g.recent.Get(key); ok {
		return r.at, r.found, nil
	}
	at, found, err := g.locate(ctx, street, postcode)
	if err == nil {
		g.recent.Add(key, located{at, found})
	}
	return at, found, err
}

func (g *Geocoder) locate(ctx context.Context, street, postcode string) (listing.Location, bool, error) {
	q := url.Values{"sok": {street}, "postnummer": {postcode}, "kommunenummer": {Bergen}, "treffPerSide": {"10"},
		"utkoordsys": {"4258"}}
	var resp answer
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
