// Package register is the adapter for the Central Coordinating Register
// for Legal Entities (Enhetsregisteret, data.brreg.no, NLOD): business
// units by organisation number, and the units in a municipality with given
// activity codes. Only organisation numbers, a municipality number and
// activity codes leave the service. Nothing outside this package knows the
// register's formats.
package register

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bergenreparerer/reparerer/internal/extapi"
	"github.com/bergenreparerer/reparerer/internal/registersync"
)

// DefaultURL is the register's public open-data API.
const DefaultURL = "https://data.brreg.no/enhetsregisteret/api"

// Unit is the directory's view of a register entry.
type Unit = registersync.Unit

// Address is a business address as the register gives it.
type Address = registersync.Address

var _ registersync.Register = (*Client)(nil)

// Client calls the register (see extapi: timeout, retries, log, counts).
type Client struct {
	*extapi.Client
}

// New returns a client of the register at baseURL.
func New(baseURL string, log *slog.Logger) *Client {
	return &Client{extapi.New("register", strings.TrimRight(baseURL, "/"), log)}
}

// ErrNotFound is a number the register does not know.
var ErrNotFound = registersync.ErrNotFound

// ErrUnavailable is a register that did not answer usefully.
var ErrUnavailable = extapi.ErrUnavailable

// Unit looks up a business unit, or the entity with that number when it is
// not a unit, with the entity's bankruptcy and winding-up flags.
func (c *Client) Unit(ctx context.Context, orgnr string) (Unit, error) {
	if !validNumber(orgnr) {
		return Unit{}, ErrNotFound
	}
	var raw unitJSON
	status, err := c.GetJSON(ctx, "/underenheter/"+orgnr, &raw)
	if err == nil && status == http.StatusNotFound {
		status, err = c.GetJSON(ctx, "/enheter/"+orgnr, &raw) // an entity without units
		raw.isEntity = true
	}
	switch {
	case err != nil:
		return Unit{}, err
	case status == http.StatusGone:
		return Unit{OrgNumber: orgnr, Removed: true}, nil
	case status == http.StatusNotFound:
		return Unit{}, ErrNotFound
	}
	u := raw.unit()
	if u.OrgNumber != orgnr {
		return Unit{}, fmt.Errorf("%w: asked for %s, answered %q", ErrUnavailable, orgnr, u.OrgNumber)
	}
	if !raw.isEntity && u.Parent != "" {
		var parent unitJSON
		if status, err := c.GetJSON(ctx, "/enheter/"+u.Parent, &parent); err != nil {
			return Unit{}, err
		} else if status == http.StatusGone {
			u.Removed = true
		} else if status == http.StatusOK {
			u.Bankrupt, u.WindingUp = parent.Konkurs, parent.UnderAvvikling || parent.UnderTvangsavvikling
		}
	}
	return u, nil
}

// maxDepth is the register's bound on page × size.
const maxDepth = 10000

// Search lists the units in a municipality with one of the activity codes.
func (c *Client) Search(ctx context.Context, municipality string, codes []string) ([]Unit, error) {
	var out []Unit
	const size = 100
	for page := 0; (page+1)*size <= maxDepth; page++ {
		q := url.Values{"kommunenummer": {municipality}, "naeringskode": {strings.Join(codes, ",")},
			"size": {strconv.Itoa(size)}, "page": {strconv.Itoa(page)}}
		var resp struct {
			Embedded struct {
				Units []unitJSON `json:"underenheter"`
			} `json:"_embedded"`
			Page struct {
				TotalPages int `json:"totalPages"`
			} `json:"page"`
		}
		status, err := c.GetJSON(ctx, "/underenheter?"+q.Encode(), &resp)
		if err != nil {
			return nil, err
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("%w: search answered %d", ErrUnavailable, status)
		}
		for _, raw := range resp.Embedded.Units {
			out = append(out, raw.unit())
		}
		if page+1 >= resp.Page.TotalPages {
			break
		}
	}
	return out, nil
}

// unitJSON is the register's JSON of a unit or an entity (the fields this
// service reads).
type unitJSON struct {
	OrgNumber string `json:"organisasjonsnummer"`
	Name      string `json:"navn"`
	OrgForm   struct {
		Code string `json:"kode"`
	} `json:"organisasjonsform"`
	Location             *addressJSON `json:"beliggenhetsadresse"` // a unit's
	Business             *addressJSON `json:"forretningsadresse"`  // an entity's
	Code1                *codeJSON    `json:"naeringskode1"`
	Code2                *codeJSON    `json:"naeringskode2"`
	Code3                *codeJSON    `json:"naeringskode3"`
	Website              string       `json:"hjemmeside"`
	Parent               string       `json:"overordnetEnhet"`
	ClosedOn             string       `json:"nedleggelsesdato"`
	DeletedOn            string       `json:"slettedato"`
	Konkurs              bool         `json:"konkurs"`
	UnderAvvikling       bool         `json:"underAvvikling"`
	UnderTvangsavvikling bool         `json:"underTvangsavviklingEllerTvangsopplosning"`
	isEntity             bool
}

type addressJSON struct {
	Lines        []string `json:"adresse"`
	Postcode     string   `json:"postnummer"`
	City         string   `json:"poststed"`
	Municipality string   `json:"kommunenummer"`
}

type codeJSON struct {
	Code string `json:"kode"`
}

func (r unitJSON) unit() Unit {
	u := Unit{OrgNumber: r.OrgNumber, Name: r.Name, OrgForm: r.OrgForm.Code, Website: r.Website, Parent: r.Parent,
		ClosedOn: firstNonEmpty(r.ClosedOn, r.DeletedOn), Bankrupt: r.Konkurs, WindingUp: r.UnderAvvikling || r.UnderTvangsavvikling}
	u.Removed = u.ClosedOn != ""
	a := r.Location
	if a == nil {
		a = r.Business
	}
	if a != nil {
		u.Address = Address{Street: strings.Join(a.Lines, ", "), Postcode: a.Postcode, City: a.City, Municipality: a.Municipality}
	}
	for _, c := range []*codeJSON{r.Code1, r.Code2, r.Code3} {
		if c != nil && c.Code != "" {
			u.Codes = append(u.Codes, c.Code)
		}
	}
	return u
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func validNumber(s string) bool {
	if len(s) != 9 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
