// Package registersync keeps the directory in step with the Central
// Coordinating Register for Legal Entities: it finds repair businesses in
// Bergen the directory does not know (discovery), turns one into a pending
// listing for an editor, and checks the listings with an organisation
// number for closures, bankruptcies and changed names or addresses. Every
// finding is a suggestion a person decides; nothing is hidden or changed
// by the register alone. The register itself is behind the Register
// interface (the adapter is package register).
package registersync

import (
	"github.com/bergenreparerer/reparerer/internal/listing"

	"context"
	"errors"
)

// Municipality is Bergen's municipality number.
const Municipality = "4601"

// RepairCodes are the activity codes (SN/NACE) of repair of computers and
// of personal and household goods.
var RepairCodes = []string{"95.11", "95.12", "95.21", "95.22", "95.23", "95.24", "95.25", "95.29"}

// ReuseCodes are the activity codes of second-hand retail and of rental
// to people, with the kind of place and the category their units start
// in; discovery looks for them when the municipality asks
// (REPARERER_REGISTER_REUSE).
var ReuseCodes = map[string]struct{ Kind, Category string }{
	"47.79": {listing.KindSecondHand, "annet"},     // retail sale of second-hand goods in stores
	"77.21": {listing.KindRental, "sport-friluft"}, // renting of recreational and sports goods
	"77.29": {listing.KindRental, "annet"},         // renting of other personal and household goods
	"77.39": {listing.KindRental, "verktoy"},       // renting of other machinery, equipment and tools
}

// Address is a business address as the register gives it.
type Address struct {
	Street       string // the address lines, joined
	Postcode     string
	City         string
	Municipality string // 4-digit municipality number
}

// Unit is one business unit (or an entity without units).
type Unit struct {
	OrgNumber string
	Name      string
	OrgForm   string // "ENK" is a sole proprietorship: its name may be a person's
	Address   Address
	Codes     []string // activity codes, the main one first
	Website   string
	Parent    string
	// Removed: deleted from the register or closed (ClosedOn, when known).
	Removed  bool
	ClosedOn string
	// Bankrupt and WindingUp are the entity's flags.
	Bankrupt, WindingUp bool
}

// ErrNotFound is a number the register does not know.
var ErrNotFound = errors.New("register: no such unit")

// Register answers lookups and searches.
type Register interface {
	Unit(ctx context.Context, orgnr string) (Unit, error)
	Search(ctx context.Context, municipality string, codes []string) ([]Unit, error)
}
