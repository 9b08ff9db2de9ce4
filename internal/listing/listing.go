// Package listing is the repair-service listing: its fields, their
// validation, the store it lives in, and the service that writes it.
package listing

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

// Status of a listing. Only published listings are visible to the public.
type Status string

// The statuses a listing can have.
const (
	StatusPending   Status = "pending"
	StatusPublished Status = "published"
	StatusHidden    Status = "hidden"
)

// Wheelchair access values.
const (
	WheelchairYes     = "yes"
	WheelchairNo      = "no"
	WheelchairUnknown = "unknown"
)

// Source kinds: where a listing came from, kept for attribution and re-import.
const (
	SourceOSM          = "osm"
	SourceOwner        = "owner"
	SourceMunicipality = "municipality"
	SourceImport       = "import"
)

// OSMAttribution is the ODbL credit every OSM-derived listing carries.
const OSMAttribution = "© OpenStreetMap contributors, ODbL 1.0"

// Address is a postal address.
type Address struct {
	Street   string `json:"street"`
	Postcode string `json:"postcode"`
	City     string `json:"city"`
}

// Location is a WGS84 coordinate.
type Location struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// Source says where a listing came from.
type Source struct {
	Kind        string `json:"kind"`
	Ref         string `json:"ref,omitempty"` // e.g. "node/3962005408" for OSM
	Attribution string `json:"attribution,omitempty"`
}

// Kinds of place, repair first: a repair business, a repair café
// (community, free, volunteers), a second-hand shop, a place that rents or
// lends things (tool libraries), a seller of refurbished goods.
var Kinds = []string{KindRepair, KindRepairCafe, KindSecondHand, KindRental, KindRefurbished}

// The kinds of place. KindRepair is a repair business, the kind a listing
// has unless it says otherwise.
const (
	KindRepair      = "repair"
	KindRepairCafe  = "repair_cafe"
	KindSecondHand  = "second_hand"
	KindRental      = "rental"
	KindRefurbished = "refurbished"
)

// RepairKinds are the kinds a search shows unless it asks for others: the
// places where things get repaired. The others are offered beside them
// ("no repairer has prams – 3 second-hand shops have").
var RepairKinds = []string{KindRepair, KindRepairCafe}

// ReuseKinds are the other kinds, in the order they are offered.
var ReuseKinds = []string{KindSecondHand, KindRental, KindRefurbished}

// KindOf is a kind as read back: none (a listing or an index document
// from before kinds) is a repair business.
func KindOf(kind string) string { return cmp.Or(kind, KindRepair) }

// Repairs reports whether a kind of place is one where things get
// repaired (RepairKinds).
func Repairs(kind string) bool { return slices.Contains(RepairKinds, KindOf(kind)) }

// Session is a dated opening beyond a listing's hours: a repair café's
// session. Sessions are not part of the listing; the index is given the
// coming ones with it.
type Session struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Listing is one repair service.
type Listing struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
	// Kind is the kind of place (Kinds).
	Kind          string   `json:"kind"`
	OrgNumber     string   `json:"org_number,omitempty"`
	Categories    []string `json:"categories"`
	Services      []string `json:"services"`
	DescriptionNB string   `json:"description_nb,omitempty"`
	DescriptionEN string   `json:"description_en,omitempty"`
	Address       Address  `json:"address"`
	Location      Location `json:"location"`
	// ApproximatePosition: the location is a postcode's centre (no exact
	// match for the address yet), for the editor to set.
	ApproximatePosition  bool                  `json:"approximate_position"`
	District             string                `json:"district"`
	Phone                string                `json:"phone,omitempty"`
	Email                string                `json:"email,omitempty"`
	Website              string                `json:"website,omitempty"`
	OpeningHours         openinghours.Schedule `json:"opening_hours"`
	PriceInfo            string                `json:"price_info,omitempty"`
	PriceFromNOK         *int                  `json:"price_from_nok,omitempty"`
	AcceptsRepairVoucher bool                  `json:"accepts_repair_voucher"`
	// AcceptsGiftCard: the repair gift card is taken (set by the
	// municipality, like the voucher).
	AcceptsGiftCard bool `json:"accepts_gift_card"`
	// Marks are the external quality labels the municipality set.
	Marks                []Mark `json:"marks,omitempty"`
	WheelchairAccessible string `json:"wheelchair_accessible"`
	// Conditions are the repair conditions (turnaround, loaner, where,
	// warranty, fees, brands, languages); unknown stays unknown.
	Conditions  Conditions `json:"conditions"`
	Status      Status     `json:"status"`
	HideReason  string     `json:"hide_reason,omitempty"`
	VerifiedAt  *time.Time `json:"verified_at"`
	VerifiedBy  string     `json:"verified_by,omitempty"`
	ConfirmedAt *time.Time `json:"confirmed_at"`
	Source      Source     `json:"source"`
	// Provenance is where each public field's value came from; it names
	// editors, so it is for the console, never the public.
	Provenance Provenance `json:"-"`
	// VerifiedFields are the values the municipality checked at
	// VerifiedAt, by field name (see VerifiableFields).
	VerifiedFields map[string]string `json:"-"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	// Version increases with every write; a write carrying an older version
	// is refused, so no edit silently overwrites another.
	Version int `json:"version"`
	// Sessions are the coming sessions (events), set only on the way to
	// the index.
	Sessions []Session `json:"-"`
}

// Published reports whether the public may see the listing.
func (l *Listing) Published() bool { return l.Status == StatusPublished }

// Counts are published listings per district and per category.
type Counts struct {
	ByDistrict map[string]int
	ByCategory map[string]int
}

// Store is the system of record. Every Create and Update also records an
// audit entry and queues the listing for the search index, in the same
// transaction.
type Store interface {
	// Create inserts l; l.ID, l.Slug and timestamps must be set.
	Create(ctx context.Context, l *Listing, ch Change) error
	// Update replaces the listing whose ID and Version match l and
	// increments l.Version; a stale version is an apperr conflict.
	Update(ctx context.Context, l *Listing, ch Change) error
	Get(ctx context.Context, id string) (*Listing, error)
	GetBySlug(ctx context.Context, slug string) (*Listing, error)
	// GetBySource finds the listing imported from a source record.
	GetBySource(ctx context.Context, kind, ref string) (*Listing, error)
	// GetMany returns the listings of ids by id, in one read; unknown ids
	// are left out.
	GetMany(ctx context.Context, ids []string) (map[string]*Listing, error)
	SlugTaken(ctx context.Context, slug string) (bool, error)
	// LastSlugNumber is the highest n of the slugs "prefix-n" (0: none).
	LastSlugNumber(ctx context.Context, prefix string) (int, error)
	// Published returns all published listings ordered by slug.
	Published(ctx context.Context) ([]*Listing, error)
	// WithStatus returns the listings in one status, newest first.
	WithStatus(ctx context.Context, status Status) ([]*Listing, error)
	// All returns every listing in any status, ordered by slug.
	All(ctx context.Context) ([]*Listing, error)
	// ChangedSince returns the listings written at or after t, in any status.
	ChangedSince(ctx context.Context, t time.Time) ([]*Listing, error)
	CountPublished(ctx context.Context) (Counts, error)
	// Names returns the names of the listings of ids (in any status) by
	// id; unknown ids are left out.
	Names(ctx context.Context, ids []string) (map[string]string, error)
}

// AttributionSoleProprietorship marks a listing the register gave for a
// sole proprietorship, whose name is often its owner's own: personal
// data, published only with the owner's or an editor's consent.
const AttributionSoleProprietorship = "Enhetsregisteret, NLOD; enkeltpersonforetak"

// NeedsNameConsent reports whether publishing l waits for consent to
// show its name (see AttributionSoleProprietorship).
func (l *Listing) NeedsNameConsent() bool {
	return l.Source.Kind == SourceRegister && l.Source.Attribution == AttributionSoleProprietorship
}

// ParseDecimal reads a coordinate or other decimal number as people and
// forms write it: digits with an optional sign and decimal point. Unlike
// strconv.ParseFloat it refuses hex floats ("0x1.ep5"), exponents, "Inf"
// and "NaN", which no one means.
func ParseDecimal(s string) (float64, error) {
	digits, point := 0, false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.' && !point:
			point = true
		case (r == '-' || r == '+') && i == 0:
		default:
			return 0, fmt.Errorf("listing: %q is not a decimal number", s)
		}
	}
	if digits == 0 || len(s) > 40 {
		return 0, fmt.Errorf("listing: %q is not a decimal number", s)
	}
	return strconv.ParseFloat(s, 64)
}
