package view

import (
	"strings"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/printout"
)

// PosterGroups are a district poster's verified repairers by category;
// each listing is listed once, under its first (main) category.
func PosterGroups(l *i18n.Localizer, published []*listing.Listing, district string) []printout.Group {
	var groups []printout.Group
	for _, cat := range category.All() {
		g := printout.Group{Heading: CategoryName(cat, l)}
		for _, lst := range published {
			if lst.District == district && lst.VerifiedAt != nil && len(lst.Categories) > 0 && lst.Categories[0] == cat.Slug &&
				listing.Repairs(lst.Kind) {
				g.Entries = append(g.Entries, posterEntry(lst))
			}
		}
		if len(g.Entries) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// posterEntry is one line of a poster.
func posterEntry(lst *listing.Listing) printout.Entry {
	addr := lst.Address.Street
	if lst.Address.Postcode != "" {
		addr = strings.TrimPrefix(addr+", "+lst.Address.Postcode+" "+lst.Address.City, ", ")
	}
	return printout.Entry{Name: lst.Name, Address: addr, Phone: listing.DisplayPhone(lst.Phone)}
}
