package view

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/search"
)

// Hit is one search result in the list.
type Hit struct {
	Slug, Name, URL, Lat, Lng           string
	CategoryText, AddressText, Distance string
	StatusText, StatusClass             string
	Voucher, Verified                   bool
	// Approximate: the position is the postcode's centre, not the door.
	Approximate bool
	// Kind is the kind of place; KindText names it (the map's pins and
	// legend tell the kinds apart by shape and in words).
	Kind, KindText string
	// NextSession is "Neste gang: lørdag 6. desember kl. 12:00–15:00" for a
	// place with sessions (a repair café).
	NextSession string
	// Phone is shown as typed; Tel is its tel: link.
	Phone, Tel string
	// Directions is a route to the place on OpenStreetMap: a link, never
	// fetched by the service.
	Directions string
}

// NewHit shapes a search hit at now; districtName names its district.
func NewHit(l *i18n.Localizer, h search.Hit, districtName string, now time.Time) Hit {
	v := Hit{
		Slug: h.Slug, Name: h.Name, URL: h.URL,
		Lat: strconv.FormatFloat(h.Location.Lat, 'f', -1, 64), Lng: strconv.FormatFloat(h.Location.Lng, 'f', -1, 64),
		CategoryText: KindAndCategories(h.Kind, h.Categories, l), AddressText: AddressText(h.Address.Street, h.Address.Postcode, h.Address.City, districtName),
		Voucher: h.AcceptsRepairVoucher, Verified: h.VerifiedAt != nil && !h.ChangedSinceVerification,
		Phone: h.Phone, Tel: TelLink(h.Phone), Approximate: h.ApproximatePosition,
		Kind: listing.KindOf(h.Kind),
		Directions: "https://www.openstreetmap.org/directions?to=" + url.QueryEscape(
			strconv.FormatFloat(h.Location.Lat, 'f', 5, 64)+","+strconv.FormatFloat(h.Location.Lng, 'f', 5, 64)),
	}
	v.KindText = l.T("kind." + v.Kind)
	if sn := h.NextSession; sn != nil {
		v.NextSession = l.T("results.next_session", "when", l.Session(sn.Start.In(openinghours.Oslo), sn.End.In(openinghours.Oslo)))
	}
	if h.DistanceM != nil {
		v.Distance = l.T("results.distance", "distance", l.Distance(*h.DistanceM))
	}
	switch {
	case h.OpenNow == nil:
		v.StatusText, v.StatusClass = l.T("status.unknown"), "unknown"
	case *h.OpenNow:
		v.StatusText, v.StatusClass = l.T("status.open"), "open"
	case h.NextOpen != nil:
		v.StatusText, v.StatusClass = l.T("status.closed_opens", "when", When(l, now, *h.NextOpen)), "closed"
	default:
		v.StatusText, v.StatusClass = l.T("status.closed"), "closed"
	}
	return v
}

// TelLink is the tel: URI of a phone number as people write it ("55 12
// 34 56", "+47 55 12 34 56"), or "" when it has no digits.
func TelLink(phone string) string {
	var b strings.Builder
	for i, r := range phone {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		}
	}
	digits := b.String()
	switch {
	case strings.TrimPrefix(digits, "+") == "":
		return ""
	case !strings.HasPrefix(digits, "+") && len(digits) == 8:
		digits = "+47" + digits // a Norwegian number
	}
	return "tel:" + digits
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
