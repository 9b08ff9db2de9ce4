package view

import (
	"strconv"

	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/search"
)

// Hit is one search result in the list.
type Hit struct {
	Slug, Name, URL, Lat, Lng           string
	CategoryText, AddressText, Distance string
	StatusText, StatusClass             string
	Voucher, Verified                   bool
}

// NewHit shapes a search hit; districtName names its district.
func NewHit(l *i18n.Localizer, h search.Hit, districtName string) Hit {
	v := Hit{
		Slug: h.Slug, Name: h.Name, URL: h.URL,
		Lat: strconv.FormatFloat(h.Location.Lat, 'f', -1, 64), Lng: strconv.FormatFloat(h.Location.Lng, 'f', -1, 64),
		CategoryText: CategoryNames(h.Categories, l), AddressText: AddressText(h.Address.Street, h.Address.Postcode, h.Address.City, districtName),
		Voucher: h.AcceptsRepairVoucher, Verified: h.VerifiedAt != nil,
	}
	if h.DistanceM != nil {
		v.Distance = l.T("results.distance", "distance", l.Distance(*h.DistanceM))
	}
	switch {
	case h.OpenNow == nil:
		v.StatusText, v.StatusClass = l.T("status.unknown"), "unknown"
	case *h.OpenNow:
		v.StatusText, v.StatusClass = l.T("status.open"), "open"
	default:
		v.StatusText, v.StatusClass = l.T("status.closed"), "closed"
	}
	return v
}

// PageLink is one link of a pagination, or a gap ("…") between them.
type PageLink struct {
	Label, Href  string
	Current, Gap bool
}

// Pagination links the pages of a result: the first, the last, and two
// either side of the current one, with previous and next.
type Pagination struct {
	Pages      []PageLink
	Prev, Next string
}

// Paginate links the pages of total results, perPage a page, page being
// shown; href makes page n's address.
func Paginate(page, perPage, total int, href func(n int) string) Pagination {
	var p Pagination
	pages := (total + perPage - 1) / perPage
	if pages <= 1 && page <= 1 {
		return p
	}
	if page > 1 {
		p.Prev = href(min(page-1, max(pages, 1)))
	}
	if page < pages {
		p.Next = href(page + 1)
	}
	gap := false
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= page-2 && n <= page+2) {
			p.Pages = append(p.Pages, PageLink{Label: strconv.Itoa(n), Href: href(n), Current: n == page})
			gap = false
		} else if !gap {
			p.Pages = append(p.Pages, PageLink{Gap: true})
			gap = true
		}
	}
	return p
}
