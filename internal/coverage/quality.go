package coverage

import (
	"slices"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
)

// QualityRow is the state of the published listings of one group (a
// district or a category): how many, and the share of each that meets a
// mark of trustworthy data. Shares are whole percentages.
type QualityRow struct {
	Key, Name string
	Listings  int
	// Checked: verified or confirmed within CheckedWithin.
	// RegisterMatch: the organisation number is one the register knows,
	// alive (see registersync).
	Checked, KnownHours, ExactPosition, Phone, RegisterMatch int
}

// CheckedWithin is how recent a verification or confirmation counts; the
// municipality's target is that 95 % are.
const CheckedWithin = 365 * 24 * time.Hour

// Quality measures the published listings by district and by category,
// with a total row last. matched is, by listing, the organisation number
// the last register check found alive; a number changed since does not
// count.
func Quality(ls []*listing.Listing, matched map[string]string, districts, categories [][2]string, now time.Time) (byDistrict, byCategory []QualityRow) {
	type counts struct{ n, checked, hours, exact, phone, org int }
	tally := func(keep func(*listing.Listing) bool) counts {
		var c counts
		for _, l := range ls {
			if !l.Published() || !keep(l) {
				continue
			}
			c.n++
			if recentlyChecked(l, now) {
				c.checked++
			}
			if l.OpeningHours.Known() {
				c.hours++
			}
			if !l.ApproximatePosition && l.Address.Street != "" {
				c.exact++
			}
			if l.Phone != "" {
				c.phone++
			}
			if l.OrgNumber != "" && matched[l.ID] == l.OrgNumber {
				c.org++
			}
		}
		return c
	}
	row := func(key, name string, c counts) QualityRow {
		pct := func(k int) int {
			if c.n == 0 {
				return 0
			}
			return (k*100 + c.n/2) / c.n
		}
		return QualityRow{Key: key, Name: name, Listings: c.n, Checked: pct(c.checked), KnownHours: pct(c.hours),
			ExactPosition: pct(c.exact), Phone: pct(c.phone), RegisterMatch: pct(c.org)}
	}
	for _, d := range districts {
		byDistrict = append(byDistrict, row(d[0], d[1], tally(func(l *listing.Listing) bool { return l.District == d[0] })))
	}
	for _, c := range categories {
		byCategory = append(byCategory, row(c[0], c[1], tally(func(l *listing.Listing) bool { return slices.Contains(l.Categories, c[0]) })))
	}
	total := row("", "", tally(func(*listing.Listing) bool { return true }))
	return append(byDistrict, total), append(byCategory, total)
}

func recentlyChecked(l *listing.Listing, now time.Time) bool {
	for _, t := range []*time.Time{l.VerifiedAt, l.ConfirmedAt} {
		if t != nil && now.Sub(*t) <= CheckedWithin {
			return true
		}
	}
	return false
}
