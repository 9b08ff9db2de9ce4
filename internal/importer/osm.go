// Package importer brings listings in from OpenStreetMap GeoJSON exports.
// It is idempotent by OSM id, never guesses what it cannot read, and says
// what it did and what it did not understand.
package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
)

// Address is one entry of an address cache file: OSM id → postal address.
type Address struct {
	Street   string `json:"street"`
	Postcode string `json:"postcode"`
	City     string `json:"city"`
}

// Skip is a feature that was not imported, and why.
type Skip struct {
	Ref, Name, Reason string
}

// Note is a field that was not understood; the listing was imported
// without it (or, for opening hours, with the text kept as unparsed).
type Note struct {
	Ref, Name, Field, Value, Problem string
}

// Report says what an import did (or, in a dry run, would do).
type Report struct {
	DryRun                       bool
	Imported, Updated, Unchanged int
	// Suggested counts new suggestions: values that differ from ones
	// people set, left for an editor to decide.
	Suggested     int
	Skipped       []Skip
	NotUnderstood []Note
}

// Importer writes imported listings through the listing service.
type Importer struct {
	Listings  *listing.Service
	Districts *district.Map
	// Suggestions takes the values that differ from ones people set.
	Suggestions suggestion.Store
	DryRun      bool
	// Progress, when set, hears after each feature how many are done.
	Progress func(done, total int)
}

type feature struct {
	ID       string         `json:"id"`
	Props    map[string]any `json:"properties"`
	Geometry struct {
		Type        string    `json:"type"`
		Coordinates []float64 `json:"coordinates"`
	} `json:"geometry"`
}

// ImportOSM imports the repair places of an OSM GeoJSON FeatureCollection.
// addresses may be nil.
func (im *Importer) ImportOSM(ctx context.Context, data []byte, addresses map[string]Address) (Report, error) {
	features, err := readFeatures(data)
	if err != nil {
		return Report{}, err
	}
	r := Report{DryRun: im.DryRun}
	for i, f := range features {
		if err := im.importFeature(ctx, f, addresses, &r); err != nil {
			return r, err
		}
		if im.Progress != nil {
			im.Progress(i+1, len(features))
		}
	}
	return r, nil
}

func readFeatures(data []byte) ([]feature, error) {
	var fc struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, errors.New(jsonProblem(err))
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("importer: want a GeoJSON FeatureCollection, got %q", fc.Type)
	}
	return fc.Features, nil
}

func (im *Importer) importFeature(ctx context.Context, f feature, addresses map[string]Address, r *Report) error {
	cand, notes, reason := featureListing(f, addresses)
	if reason != "" {
		r.Skipped = append(r.Skipped, Skip{Ref: cand.Source.Ref, Name: cand.Name, Reason: reason})
		return nil
	}
	if err := listing.Normalize(cand, im.Districts); err != nil {
		if apperr.Is(err, apperr.CodeInvalidParameter) {
			r.Skipped = append(r.Skipped, Skip{Ref: cand.Source.Ref, Name: cand.Name, Reason: "invalid: " + err.Error()})
			return nil
		}
		return err
	}
	ref := cand.Source.Ref
	r.NotUnderstood = append(r.NotUnderstood, notes...)

	existing, err := im.Listings.Store.GetBySource(ctx, listing.SourceOSM, ref)
	switch {
	case apperr.Is(err, apperr.CodeNotFound):
		r.Imported++
		if im.DryRun {
			return nil
		}
		return im.Listings.Create(ctx, cand, importChange)
	case err != nil:
		return err
	}
	merged, suggested := feed(existing, cand, "OpenStreetMap "+ref)
	if len(suggested) > 0 && !im.DryRun {
		n, err := im.Suggestions.RaiseSuggestions(ctx, suggested)
		if err != nil {
			return err
		}
		r.Suggested += n
	}
	if len(listing.Diff(existing, merged)) == 0 {
		r.Unchanged++
		return nil
	}
	r.Updated++
	if im.DryRun {
		return nil
	}
	return im.Listings.Update(ctx, merged, importChange)
}

var importChange = listing.Change{Actor: "import:osm", Action: listing.ActionImport}

// featureListing reads one feature: the listing it describes (not yet
// normalised) and what was not understood, or why it is not imported.
// The listing always carries the name and the OSM id that were found.
func featureListing(f feature, addresses map[string]Address) (*listing.Listing, []Note, string) {
	tags := map[string]string{}
	for k, v := range f.Props {
		if s, ok := v.(string); ok {
			tags[k] = s
		}
	}
	ref := f.ID
	if ref == "" {
		ref = tags["id"]
	}
	name := strings.TrimSpace(tags["name"])
	found := &listing.Listing{Name: name, Source: listing.Source{Kind: listing.SourceOSM, Ref: ref}}
	kind, ok := placeKind(tags)
	if !ok {
		return found, nil, fmt.Sprintf("not a repair, second-hand or rental place (fivh:category %q)", tags["fivh:category"])
	}
	switch {
	case ref == "":
		return found, nil, "no OSM id"
	case name == "":
		return found, nil, "no name"
	case f.Geometry.Type != "Point" || len(f.Geometry.Coordinates) != 2:
		return found, nil, "geometry is not a point"
	}
	cand, notes := fromTags(ref, name, kind, tags, addresses[ref])
	// GeoJSON coordinates are [lon, lat].
	cand.Location = listing.Location{Lat: f.Geometry.Coordinates[1], Lng: f.Geometry.Coordinates[0]}
	return cand, notes, ""
}

// fromTags maps OSM tags to a listing, with a note for every value it
// could not use.
func fromTags(ref, name, kind string, tags map[string]string, cached Address) (*listing.Listing, []Note) {
	var notes []Note
	note := func(field, value, problem string) {
		notes = append(notes, Note{Ref: ref, Name: name, Field: field, Value: value, Problem: problem})
	}
	l := &listing.Listing{
		Name: name, Kind: kind, Status: listing.StatusPublished, Services: servicesFor(tags),
		Source:        listing.Source{Kind: listing.SourceOSM, Ref: ref, Attribution: listing.OSMAttribution},
		DescriptionNB: tags["description"],
	}
	if kind == listing.KindRepair {
		l.Categories = categoriesFor(tags, name)
	} else {
		l.Categories = goodsCategories(tags, name)
	}
	if len(l.Categories) == 0 {
		l.Categories = []string{"annet"}
		note("categories", describeTags(tags), "no known tag for what it repairs, sells or rents; filed under annet")
	}
	l.Address = addressFor(tags, cached)
	if v := first(tags, "ref:NO:orgnr", "no:orgnr"); v != "" {
		if listing.ValidOrgNumber(v) {
			l.OrgNumber = v
		} else {
			note("org_number", v, "not a valid organisasjonsnummer")
		}
	}
	if v := first(tags, "phone", "contact:phone"); v != "" {
		if p, ok := listing.NormalizePhone(strings.Split(v, ";")[0]); ok {
			l.Phone = p
		} else {
			note("phone", v, "not a valid phone number")
		}
	}
	if v := first(tags, "email", "contact:email"); v != "" {
		parts := strings.Split(v, ";")
		if e, ok := listing.NormalizeEmail(strings.TrimSpace(parts[0])); ok {
			l.Email = e
			if len(parts) > 1 {
				note("email", v, "several addresses; kept the first")
			}
		} else {
			note("email", v, "not a valid e-mail address")
		}
	}
	if v := first(tags, "website", "contact:website"); v != "" {
		if w, ok := listing.NormalizeWebsite(v); ok {
			l.Website = w
		} else {
			note("website", v, "not a valid web address")
		}
	}
	if v := tags["opening_hours"]; v != "" {
		s, err := openinghours.ParseOSM(v)
		if err != nil {
			s = openinghours.Schedule{Text: v, Unparsed: true}
			note("opening_hours", v, err.Error())
		}
		l.OpeningHours = s
	}
	switch v := tags["wheelchair"]; v {
	case "yes", "no":
		l.WheelchairAccessible = v
	case "":
		l.WheelchairAccessible = listing.WheelchairUnknown
	default:
		l.WheelchairAccessible = listing.WheelchairUnknown
		note("wheelchair", v, "only yes and no are used; kept as unknown")
	}
	return l, notes
}

func first(tags map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(tags[k]); v != "" {
			return v
		}
	}
	return ""
}

func addressFor(tags map[string]string, cached Address) listing.Address {
	if street := tags["addr:street"]; street != "" {
		if n := tags["addr:housenumber"]; n != "" {
			street += " " + n
		}
		return listing.Address{Street: street, Postcode: tags["addr:postcode"], City: tags["addr:city"]}
	}
	return listing.Address{Street: cached.Street, Postcode: cached.Postcode, City: cached.City}
}

var (
	phoneNames = regexp.MustCompile(`(?i)mobil|\bpc\b|data|phone|iphone|tablet`)
	shoeNames  = regexp.MustCompile(`(?i)skomaker`)
	bikeNames  = regexp.MustCompile(`(?i)sykkel|bike|cycle`)
	sewNames   = regexp.MustCompile(`(?i)skredder|systue|søm|syerske`)
	cafeNames  = regexp.MustCompile(`(?i)kaf[eé]|caf[eé]`)
)

// placeKind is the kind of place a feature is, by the FIVH category of
// the export or else by its tags; not ok: none the directory lists.
func placeKind(tags map[string]string) (string, bool) {
	t := osmTags(tags)
	rental := strings.HasSuffix(t["amenity"], "_rental") || t["amenity"] == "public_bookcase" || t["shop"] == "rental" ||
		t["amenity"] == "toy_library" || t["amenity"] == "tool_library"
	secondHand := t.yes("second_hand") || t["shop"] == "second_hand" || t["shop"] == "charity" || t["shop"] == "antiques"
	refurbished := secondHand && (t["shop"] == "computer" || t["shop"] == "mobile_phone" || t["shop"] == "electronics")
	switch category := t["fivh:category"]; {
	case category == "repair":
		return listing.KindRepair, true
	case rental:
		return listing.KindRental, true
	case refurbished:
		return listing.KindRefurbished, true
	case secondHand || category == "reuse" || category == "second-hand":
		return listing.KindSecondHand, true
	case category == "rental":
		return listing.KindRental, true
	case isRepairPlace(tags):
		return listing.KindRepair, true
	}
	return "", false
}

// goodsRules place a second-hand, rental or refurbished place in the
// categories of the goods it sells or rents out.
var goodsRules = []struct {
	category string
	applies  func(t osmTags) bool
}{
	{"klaer", func(t osmTags) bool { return t["shop"] == "clothes" || t["clothes"] != "" || t.has("sells", "clothes") }},
	{"sko", func(t osmTags) bool { return t["shop"] == "shoes" || t.has("sells", "shoes") }},
	{"elektronikk", func(t osmTags) bool { return t["shop"] == "electronics" || t.has("sells", "electronics") }},
	{"mobil-data", func(t osmTags) bool { return t["shop"] == "computer" || t["shop"] == "mobile_phone" }},
	{"hvitevarer", func(t osmTags) bool { return t["shop"] == "appliance" || t.has("sells", "appliances") }},
	{"mobler", func(t osmTags) bool {
		return t["shop"] == "antiques" || t["shop"] == "furniture" || t.has("sells", "furniture")
	}},
	{"ur-smykker", func(t osmTags) bool { return t.has("sells", "jewellery") }},
	{"sykkel", func(t osmTags) bool {
		return t["amenity"] == "bicycle_rental" || t.has("rental", "bicycle") || t.has("rental", "ebike")
	}},
	{"sport-friluft", func(t osmTags) bool {
		return t["amenity"] == "boat_rental" || t.has("rental", "ski") || t.has("rental", "ice_skates") || t["shop"] == "sports"
	}},
	{"instrumenter", func(t osmTags) bool {
		return t["shop"] == "musical_instrument" || t.has("sells", "musical_instruments")
	}},
	{"verktoy", func(t osmTags) bool { return t.has("rental", "tools") || t["amenity"] == "tool_library" }},
}

var (
	leisureLenders = regexp.MustCompile(`(?i)\bbua\b`)               // BUA lends sports and leisure gear
	toolLenders    = regexp.MustCompile(`(?i)tingotek|verktøy`)      // libraries of things
	goodsNames     = regexp.MustCompile(`(?i)elektronikk|hvitevare`) // "Bruktelektronikk"
)

// goodsCategories maps the tags of a place that sells or rents things to
// the categories of those things; the name helps where OSM says nothing.
func goodsCategories(tags map[string]string, name string) []string {
	set := map[string]bool{}
	for _, r := range goodsRules {
		if r.applies(tags) {
			set[r.category] = true
		}
	}
	if leisureLenders.MatchString(name) {
		set["sport-friluft"] = true
	}
	if toolLenders.MatchString(name) {
		set["verktoy"] = true
	}
	if goodsNames.MatchString(name + " " + tags["description"]) {
		set["elektronikk"] = true
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func isRepairPlace(tags map[string]string) bool {
	return tags["repair"] == "yes" || tags["repair"] == "only" || tags["shop"] == "repair" ||
		len(categoriesFor(tags, "")) > 0
}

// osmTags are a feature's tags.
type osmTags map[string]string

// has reports whether the list tag k ("a;b;c") holds v.
func (t osmTags) has(k, v string) bool { return slices.Contains(strings.Split(t[k], ";"), v) }

// yes reports whether tag k says yes (or only).
func (t osmTags) yes(k string) bool { return t[k] == "yes" || t[k] == "only" }

// tagRules place a feature in a category by its tags alone.
var tagRules = []struct {
	category string
	applies  func(t osmTags) bool
}{
	{"sko", func(t osmTags) bool {
		return t["craft"] == "shoemaker" || t["shop"] == "shoe_repair" || t.yes("shoes:repair") || t["craft"] == "saddler"
	}},
	{"klaer", func(t osmTags) bool {
		return t["craft"] == "tailor" || t["craft"] == "dressmaker" || t["shop"] == "tailor" || t.yes("clothes:repair")
	}},
	{"sykkel", func(t osmTags) bool {
		return t.yes("service:bicycle:repair") || t["community_centre"] == "bicycle_maintenance" ||
			t["amenity"] == "bicycle_repair_station" || (t["shop"] == "bicycle" && t.yes("repair"))
	}},
	{"elektronikk", func(t osmTags) bool { return t["craft"] == "electronics_repair" || t["shop"] == "electronics_repair" }},
	{"mobil-data", func(t osmTags) bool { return t.yes("service:mobile_phone:repair") || t.yes("service:computer:repair") }},
	{"ur-smykker", func(t osmTags) bool {
		return t["craft"] == "watchmaker" || t["craft"] == "clockmaker" ||
			((t["shop"] == "watches" || t["shop"] == "jewelry") && t.yes("repair"))
	}},
	{"mobler", func(t osmTags) bool { return t["craft"] == "upholsterer" }},
	{"instrumenter", func(t osmTags) bool { return t["shop"] == "musical_instrument" && t.yes("repair") }},
	{"hvitevarer", func(t osmTags) bool {
		return t.yes("service:appliance:repair") || (t["shop"] == "appliance" && t.yes("repair"))
	}},
}

// categoriesFor maps OSM tags to categories. Only a generic repair shop
// (shop=repair) is placed by words in its name, as OSM says no more; an
// electronics repairer whose name speaks of phones also mends phones.
func categoriesFor(tags map[string]string, name string) []string {
	set := map[string]bool{}
	for _, r := range tagRules {
		if r.applies(tags) {
			set[r.category] = true
		}
	}
	if set["elektronikk"] && phoneNames.MatchString(name) {
		set["mobil-data"] = true
	}
	if tags["shop"] == "repair" {
		if len(set) == 0 {
			for re, c := range map[*regexp.Regexp]string{shoeNames: "sko", bikeNames: "sykkel", sewNames: "klaer"} {
				if re.MatchString(name) {
					set[c] = true
				}
			}
		}
		if cafeNames.MatchString(name) {
			set["reparasjonskafe"] = true
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func servicesFor(tags map[string]string) []string {
	yes := func(k string) bool { v := tags[k]; return v == "yes" || v == "only" }
	var out []string
	for _, m := range []struct {
		ok      bool
		service string
	}{
		{yes("service:bicycle:repair"), "sykkelreparasjon"},
		{yes("service:bicycle:service"), "sykkelservice"},
		{yes("service:bicycle:ebike"), "elsykkel"},
		{yes("shoes:repair") || tags["craft"] == "shoemaker", "skoreparasjon"},
		{yes("clothes:repair"), "klesreparasjon"},
		{tags["craft"] == "electronics_repair" || tags["shop"] == "electronics_repair", "elektronikkreparasjon"},
		{tags["craft"] == "watchmaker", "urreparasjon"},
	} {
		if m.ok {
			out = append(out, m.service)
		}
	}
	return out
}

func describeTags(tags map[string]string) string {
	var parts []string
	for _, k := range []string{"shop", "craft", "repair", "amenity"} {
		if v := tags[k]; v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	return strings.Join(parts, ";")
}

// jsonProblem says what is wrong with a file in words an editor reads:
// where it stops being JSON, or which field has the wrong kind of value —
// never the decoder's Go type names.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var kind *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("not valid JSON (at character %d)", syntax.Offset)
	case errors.As(err, &kind) && kind.Field != "":
		return fmt.Sprintf("the field %q has a %s where GeoJSON wants another kind of value (at character %d)", kind.Field, kind.Value, kind.Offset)
	case errors.As(err, &kind):
		return fmt.Sprintf("a %s where GeoJSON wants an object (at character %d)", kind.Value, kind.Offset)
	}
	return "not GeoJSON"
}
