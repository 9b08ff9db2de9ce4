package importer

import (
	"slices"
	"strings"

	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
)

// feedFields are the fields each kind of import writes; everything else
// (hours people typed, descriptions, status, verification) is never
// touched by it.
var feedFields = map[string][]string{
	listing.SourceOSM: {"name", "org_number", "categories", "services", "description_nb", "address.street", "address.postcode",
		"address.city", "location", "phone", "email", "website", "opening_hours", "wheelchair_accessible"},
	listing.SourceImport: {"name", "org_number", "categories", "services", "address.street", "address.postcode", "address.city",
		"location", "phone", "email", "website"},
}

// feed merges what a feed now says into a listing it fed before: a field
// whose value still comes from that feed takes the new value; a field an
// owner or the municipality has set since keeps theirs, and a differing
// value from the feed becomes a suggestion for an editor instead. People
// win over feeds, so a routine re-import changes nothing people wrote.
func feed(existing, cand *listing.Listing, evidence string) (*listing.Listing, []suggestion.Suggestion) {
	source := cand.Source.Kind
	merged := *existing
	var out []suggestion.Suggestion
	for _, field := range feedFields[source] {
		was, now := listing.FieldText(existing, field), listing.FieldText(cand, field)
		if was == now {
			continue
		}
		if existing.FedBy(field, source) {
			if err := listing.SetField(&merged, field, now); err == nil {
				continue
			}
		}
		if proposed, ok := proposal(field, was, now); ok {
			out = append(out, suggestion.Suggestion{ListingID: existing.ID, Field: field, Current: was, Proposed: proposed,
				Source: source, Evidence: evidence})
		}
	}
	merged.Source = cand.Source // the feed's reference and attribution
	return &merged, out
}

// proposal is what a feed's differing value proposes for a field people
// set: nothing when the feed says nothing (its silence is no reason to
// delete), and for a list only what it adds to the people's list.
func proposal(field, was, now string) (string, bool) {
	if now == "" {
		return "", false
	}
	if field != "categories" && field != "services" {
		return now, true
	}
	have := strings.Split(was, ", ")
	added := false
	for _, item := range strings.Split(now, ", ") {
		if was == "" || !slices.Contains(have, item) {
			have, added = append(have, item), true
		}
	}
	if was == "" {
		have = strings.Split(now, ", ")
	}
	return strings.Join(have, ", "), added
}
