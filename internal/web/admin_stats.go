package web

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/coverage"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/quote"
	"github.com/bergenreparerer/reparerer/internal/spreadsheet"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

type voucherData struct {
	Participants, Others []listingRow
}

// vouchers lists the participants of the repair-voucher scheme and the
// other published listings, each with a button to change it.
func (a *admin) vouchers(c *fiber.Ctx) error {
	published, err := a.listings.Published(c.UserContext())
	if err != nil {
		return err
	}
	var d voucherData
	for _, p := range published {
		row := listingRow{ID: p.ID, Name: p.Name, AdminURL: paths.AdminListing(p.ID), District: a.districts.Name(p.District), Version: p.Version}
		if p.AcceptsRepairVoucher {
			d.Participants = append(d.Participants, row)
		} else {
			d.Others = append(d.Others, row)
		}
	}
	return a.render(c, fiber.StatusOK, "voucher", a.lang(c).T("admin.voucher.heading"), d, nil)
}

// vouchersCSV is the participants list for the scheme's administration.
func (a *admin) vouchersCSV(c *fiber.Ctx) error {
	published, err := a.listings.Published(c.UserContext())
	if err != nil {
		return err
	}
	var rows [][]string
	for _, p := range published {
		if p.AcceptsRepairVoucher {
			rows = append(rows, []string{p.Name, p.OrgNumber, p.Address.Street, p.Address.Postcode, p.Address.City,
				a.districts.Name(p.District), spreadsheet.List(p.Categories), p.Phone, p.Email, p.Website,
				paths.Absolute(a.baseURL, paths.Listing(p.Slug)), view.TimeText(p.VerifiedAt)})
		}
	}
	return sendCSV(c, "reparasjonsbonus-deltakere.csv", []string{"navn", "organisasjonsnummer", "gateadresse", "postnummer",
		"poststed", "bydel", "kategorier", "telefon", "epost", "nettside", "side", "verifisert"}, rows)
}

type statsData struct {
	// Showings are what the map and table can count; Sessions the coming
	// sessions per district.
	Showings     []view.Option
	Sessions     []sessionRow
	Table        coverage.Table
	CategoryName []string
	Areas        []coverage.Area
	Width        float64
	Height       float64
	Legend       []legendItem
	Missed       []missedRow
	Days         int
	From, To     string
	// Suggestions counts the open suggestions by where they came from.
	Suggestions []sourceCount
	// QualityByDistrict and QualityByCategory measure the data (the last
	// row of each is the total).
	QualityByDistrict, QualityByCategory []coverage.QualityRow
	// Quote requests of the last year, counted.
	QuoteTotal                      quoteRow
	QuoteCategories, QuoteDistricts []quoteRow
	QuoteReasons                    []sourceCount
}

// quoteRow is one line of the quote requests' statistics, worded.
type quoteRow struct {
	Name                                    string
	Requests, Declined                      int
	AnsweredShare, MedianHours, MedianPrice string
}

func newQuoteRow(l *i18n.Localizer, name string, g quote.Group) quoteRow {
	r := quoteRow{Name: name, Requests: g.Requests, Declined: g.Declined, AnsweredShare: "–", MedianHours: "–", MedianPrice: "–"}
	if closed := g.Answered + g.Declined + g.Expired; closed > 0 {
		r.AnsweredShare = l.Int(100*g.Answered/closed) + " %"
	}
	if g.MedianHoursToAnswer != nil {
		r.MedianHours = l.T("admin.quotes.hours", "n", l.Int(*g.MedianHoursToAnswer))
	}
	if g.MedianPriceNOK != nil {
		r.MedianPrice = l.T("quote.nok", "n", l.Int(*g.MedianPriceNOK))
	}
	return r
}

// quoteStats fills the quote requests' part of the statistics: the last
// twelve months.
func (a *admin) quoteStats(c *fiber.Ctx, l *i18n.Localizer, d *statsData) error {
	st, err := a.quotes.Stats(c.UserContext(), a.now().AddDate(-1, 0, 0))
	if err != nil {
		return err
	}
	d.QuoteTotal = newQuoteRow(l, "", st.Total)
	for _, g := range st.Categories {
		name := g.Key
		if cat, ok := category.Lookup(g.Key); ok {
			name = view.CategoryName(cat, l)
		}
		d.QuoteCategories = append(d.QuoteCategories, newQuoteRow(l, name, g))
	}
	for _, g := range st.Districts {
		d.QuoteDistricts = append(d.QuoteDistricts, newQuoteRow(l, a.districts.Name(g.Key), g))
	}
	for _, r := range st.Reasons {
		d.QuoteReasons = append(d.QuoteReasons, sourceCount{Count: r.N, Source: l.T("quote.reason." + r.Key)})
	}
	return nil
}

// sourceCount is how many open suggestions came from one source.
type sourceCount struct {
	Count  int
	Source string
}

type legendItem struct {
	Class int
	Label string
}

type missedRow struct {
	Query, District, Category, Cause string
	Count                            int
}

// Missed searches: the page sums this many days and shows this many.
const (
	missedDays = 30
	missedTop  = 100
)

// stats shows where repair is missing: listings per district and
// category, the same as a choropleth, and the searches that found nothing.
func (a *admin) stats(c *fiber.Ctx) error {
	l, ctx := a.lang(c), c.UserContext()
	all, err := a.listings.Published(ctx)
	if err != nil {
		return err
	}
	show := cmp.Or(c.Query("vis"), "repair")
	published, ok := ofKinds(all, show)
	if !ok {
		return apperr.Invalid("vis", "err.search.value_unknown", "value", show)
	}
	d := statsData{Table: coverage.Count(published, a.districts.All(), category.All()), Width: coverage.Width, Days: missedDays}
	for _, s := range statsShowings {
		d.Showings = append(d.Showings, view.Option{Slug: s, Name: l.T("admin.stats.show." + s), Selected: s == show})
	}
	counts := map[string]int{}
	for i, dist := range d.Table.Districts {
		counts[dist.Slug] = d.Table.DistrictTotals[i]
	}
	sessions, err := a.sessionsByDistrict(ctx)
	if err != nil {
		return err
	}
	for _, dist := range a.districts.All() {
		r := sessions[dist.Slug]
		r.District = dist.Name
		d.Sessions = append(d.Sessions, r)
	}
	if show == "events" {
		for slug, r := range sessions {
			counts[slug] = r.Sessions + r.BusVisits
		}
	}
	for _, cat := range d.Table.Categories {
		d.CategoryName = append(d.CategoryName, view.CategoryName(cat, l))
	}
	d.Areas, d.Height = coverage.Choropleth(a.districts, counts)
	for class := 0; class <= 4; class++ {
		d.Legend = append(d.Legend, legendItem{class, l.T("admin.stats.legend." + strconv.Itoa(class))})
	}
	d.From, d.To = coverage.Days(a.now(), missedDays)
	top, err := a.misses.Top(ctx, missedDays, missedTop)
	if err != nil {
		return err
	}
	for _, t := range top {
		d.Missed = append(d.Missed, missedRow{Query: t.Miss.Query, District: a.districts.Name(t.Miss.District),
			Category: view.CategoryNames(splitNonEmpty(t.Miss.Category), l), Cause: l.T("admin.stats.cause." + causeKey(t.Miss.Cause)), Count: t.Count})
	}
	var districts, categories [][2]string
	for _, dist := range a.districts.All() {
		districts = append(districts, [2]string{dist.Slug, dist.Name})
	}
	for _, cat := range category.All() {
		categories = append(categories, [2]string{cat.Slug, view.CategoryName(cat, l)})
	}
	matched, err := a.registerMatches.RegisterMatches(ctx)
	if err != nil {
		return err
	}
	d.QualityByDistrict, d.QualityByCategory = coverage.Quality(published, matched, districts, categories, a.now())
	open, err := a.suggestions.Open(ctx)
	if err != nil {
		return err
	}
	bySource := map[string]int{}
	var sources []string
	for _, sg := range open {
		if bySource[sg.Source] == 0 {
			sources = append(sources, sg.Source)
		}
		bySource[sg.Source]++
	}
	for _, src := range sources {
		d.Suggestions = append(d.Suggestions, sourceCount{Count: bySource[src], Source: l.T("source." + src)})
	}
	if err := a.quoteStats(c, l, &d); err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "stats", l.T("admin.stats.heading"), d, nil)
}

// statsShowings are what the coverage map and table can count: the places
// that repair, each kind of place, every place, or the coming sessions.
var statsShowings = []string{"repair", listing.KindRepairCafe, listing.KindSecondHand, listing.KindRental, listing.KindRefurbished, "all", "events"}

// ofKinds are the listings a showing counts (the places that repair for
// "events", whose map counts sessions instead).
func ofKinds(ls []*listing.Listing, show string) ([]*listing.Listing, bool) {
	if !slices.Contains(statsShowings, show) {
		return nil, false
	}
	if show == "all" {
		return ls, true
	}
	kinds := []string{show}
	if show == "repair" || show == "events" {
		kinds = listing.RepairKinds
	}
	var out []*listing.Listing
	for _, l := range ls {
		if slices.Contains(kinds, listing.KindOf(l.Kind)) {
			out = append(out, l)
		}
	}
	return out, true
}

// sessionRow counts a district's coming sessions (next 60 days).
type sessionRow struct {
	District                    string
	Sessions, Cancelled, Events int
	BusVisits                   int
}

func (a *admin) sessionsByDistrict(ctx context.Context) (map[string]sessionRow, error) {
	es, err := a.events.Events(ctx)
	if err != nil {
		return nil, err
	}
	now := a.now()
	out := map[string]sessionRow{}
	for _, ev := range es {
		r := out[ev.Place.District]
		for _, o := range ev.Occurrences(now, now.Add(CalendarAhead)) {
			switch {
			case o.Cancelled:
				r.Cancelled++
			case ev.RouteID != "":
				r.BusVisits++
			default:
				r.Sessions++
			}
		}
		if ev.RouteID == "" {
			r.Events++
		}
		out[ev.Place.District] = r
	}
	return out, nil
}

func splitNonEmpty(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// coverageCSV is the district × category table.
func (a *admin) coverageCSV(c *fiber.Ctx) error {
	published, err := a.listings.Published(c.UserContext())
	if err != nil {
		return err
	}
	t := coverage.Count(published, a.districts.All(), category.All())
	header := []string{"bydel"}
	for _, cat := range t.Categories {
		header = append(header, cat.Slug)
	}
	header = append(header, "totalt")
	var rows [][]string
	for i, dist := range t.Districts {
		row := []string{dist.Slug}
		for _, n := range t.Cells[i] {
			row = append(row, strconv.Itoa(n))
		}
		rows = append(rows, append(row, strconv.Itoa(t.DistrictTotals[i])))
	}
	return sendCSV(c, "dekning.csv", header, rows)
}

// Bounds of the missed-search download.
const (
	missedCSVDefault = 365
	missedCSVMax     = 3660
)

// missedCSV is the daily aggregates of searches that found nothing, for
// the last ?dager= days (default 365).
func (a *admin) missedCSV(c *fiber.Ctx) error {
	days, err := strconv.Atoi(c.Query("dager", strconv.Itoa(missedCSVDefault)))
	if err != nil || days < 1 || days > missedCSVMax {
		return apperr.Invalid("dager", "err.days", "min", 1, "max", missedCSVMax)
	}
	missed, err := a.misses.Missed(c.UserContext(), days)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(missed))
	for _, m := range missed {
		rows = append(rows, []string{m.Day, m.Miss.Query, m.Miss.District, m.Miss.Category, causeKey(m.Miss.Cause), strconv.Itoa(m.Count)})
	}
	return sendCSV(c, "sok-uten-treff.csv", []string{"dag", "sok", "bydel", "kategori", "arsak", "antall"}, rows)
}

// causeKey names a miss's cause in the catalogue and the download.
func causeKey(c coverage.Cause) string {
	if c == coverage.CauseOther {
		return "other"
	}
	return string(c)
}
