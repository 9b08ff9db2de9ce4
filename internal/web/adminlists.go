package web

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/coverage"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/reminder"
	"github.com/bergenreparerer/reparerer/internal/search"
)

type freshData struct {
	AgeText  string
	Sort     string
	Sorts    []sortLink
	Rows     []freshRow
	Result   string
	Problems []string
}

type sortLink struct {
	Key, Label, Href string
	Current          bool
}

type freshRow struct {
	ID, Name, AdminURL, District, CheckedText, AskedText string
	Unanswered, Reachable                                bool
	checked, asked                                       time.Time
}

var freshSorts = []string{"checked", "name", "district", "asked"}

// adminFreshness lists the published listings nobody has verified or
// confirmed for FreshnessAge, oldest check first (or as sorted).
func (s *Server) adminFreshness(c *fiber.Ctx) error {
	l, ctx := s.lang(c), c.UserContext()
	sortBy := c.Query("sort", "checked")
	if !slices.Contains(freshSorts, sortBy) {
		return apperr.Invalid("sort", "Ukjent sortering. / Unknown sort order.")
	}
	published, err := s.Listings.Published(ctx)
	if err != nil {
		return err
	}
	last, err := s.Reminders.Store.LastSent(ctx)
	if err != nil {
		return err
	}
	now := s.Now()
	cutoff := now.Add(-s.FreshnessAge)
	d := freshData{AgeText: l.N("admin.fresh.days", int(s.FreshnessAge.Hours()/24)), Sort: sortBy}
	for _, k := range freshSorts {
		d.Sorts = append(d.Sorts, sortLink{k, l.T("admin.fresh.sort." + k), "/admin/ferskhet?sort=" + k, k == sortBy})
	}
	for _, lst := range published {
		checked := reminder.LastChecked(lst)
		if checked != nil && checked.After(cutoff) {
			continue
		}
		r := freshRow{ID: lst.ID, Name: lst.Name, AdminURL: adminListingURL(lst.ID), District: s.districtName(lst.District),
			CheckedText: l.T("admin.fresh.never"), AskedText: "–", Reachable: lst.Email != ""}
		if checked != nil {
			r.checked, r.CheckedText = *checked, l.Date(checked.In(openinghours.Oslo))
		}
		if rm, ok := last[lst.ID]; ok {
			r.asked, r.AskedText = *rm.SentAt, l.Date(rm.SentAt.In(openinghours.Oslo))
			r.Unanswered = reminder.Unconfirmed(lst, &rm, now)
		}
		d.Rows = append(d.Rows, r)
	}
	owned, err := s.ownedSet(c)
	if err != nil {
		return err
	}
	for i := range d.Rows {
		d.Rows[i].Reachable = d.Rows[i].Reachable || owned[d.Rows[i].ID]
	}
	slices.SortStableFunc(d.Rows, func(a, b freshRow) int {
		switch sortBy {
		case "name":
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		case "district":
			return strings.Compare(a.District, b.District)
		case "asked":
			return a.asked.Compare(b.asked)
		}
		return a.checked.Compare(b.checked)
	})
	if sent := c.Query("sendt"); sent != "" {
		d.Result = l.T("admin.fresh.result", "sent", sent, "already", c.Query("allerede", "0"), "none", c.Query("uten", "0"))
	}
	return s.renderAdmin(c, fiber.StatusOK, "fresh", l.T("admin.fresh.heading"), d, nil)
}

// ownedSet is the ids of the listings that have an owner.
func (s *Server) ownedSet(c *fiber.Ctx) (map[string]bool, error) {
	owned, err := s.Reminders.Store.OwnedPublished(c.UserContext())
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(owned))
	for _, o := range owned {
		set[o.ListingID] = true
	}
	return set, nil
}

// adminAsk sends "still correct?" to the chosen listings now.
func (s *Server) adminAsk(c *fiber.Ctx) error {
	var ids []string
	for _, v := range c.Request().PostArgs().PeekMulti("id") {
		ids = append(ids, string(v))
	}
	if len(ids) == 0 {
		return c.Redirect("/admin/ferskhet?melding=none_chosen", fiber.StatusSeeOther)
	}
	asked, err := s.Reminders.Ask(c.UserContext(), ids)
	if err != nil {
		return err
	}
	s.Log.Info("freshness: asked", "admin", currentUser(c).Email, "sent", asked.Sent, "already", asked.Already, "no_address", len(asked.NoAddress))
	return c.Redirect("/admin/ferskhet?sendt="+strconv.Itoa(asked.Sent)+"&allerede="+strconv.Itoa(asked.Already)+
		"&uten="+strconv.Itoa(len(asked.NoAddress)), fiber.StatusSeeOther)
}

type voucherData struct {
	Participants, Others []listingRow
}

// adminVouchers lists the participants of the repair-voucher scheme and
// the other published listings, each with a button to change it.
func (s *Server) adminVouchers(c *fiber.Ctx) error {
	l := s.lang(c)
	published, err := s.Listings.Published(c.UserContext())
	if err != nil {
		return err
	}
	var d voucherData
	for _, p := range published {
		row := listingRow{ID: p.ID, Name: p.Name, AdminURL: adminListingURL(p.ID), District: s.districtName(p.District), Version: p.Version}
		if p.AcceptsRepairVoucher {
			d.Participants = append(d.Participants, row)
		} else {
			d.Others = append(d.Others, row)
		}
	}
	return s.renderAdmin(c, fiber.StatusOK, "voucher", l.T("admin.voucher.heading"), d, nil)
}

// adminVouchersCSV is the participants list for the scheme's
// administration.
func (s *Server) adminVouchersCSV(c *fiber.Ctx) error {
	published, err := s.Listings.Published(c.UserContext())
	if err != nil {
		return err
	}
	var rows [][]string
	for _, p := range published {
		if p.AcceptsRepairVoucher {
			rows = append(rows, []string{p.Name, p.OrgNumber, p.Address.Street, p.Address.Postcode, p.Address.City,
				s.districtName(p.District), strings.Join(p.Categories, ";"), p.Phone, p.Email, p.Website,
				s.BaseURL + "/reparator/" + p.Slug, formatOptional(p.VerifiedAt)})
		}
	}
	return sendCSV(c, "reparasjonsbonus-deltakere.csv", []string{"navn", "organisasjonsnummer", "gateadresse", "postnummer",
		"poststed", "bydel", "kategorier", "telefon", "epost", "nettside", "side", "verifisert"}, rows)
}

type statsData struct {
	Table        coverage.Table
	CategoryName []string
	Areas        []coverage.Area
	Width        float64
	Height       float64
	Legend       []legendItem
	Missed       []missedRow
	Days         int
	From, To     string
}

type legendItem struct {
	Class int
	Label string
}

type missedRow struct {
	Query, District, Category string
	Count                     int
}

// missedDays is how far back the page sums missed searches.
const missedDays = 30

// adminStats shows where repair is missing: listings per district and
// category, the same as a choropleth, and the searches that found nothing.
func (s *Server) adminStats(c *fiber.Ctx) error {
	l, ctx := s.lang(c), c.UserContext()
	published, err := s.Listings.Published(ctx)
	if err != nil {
		return err
	}
	d := statsData{Table: coverage.Count(published, s.Districts.All(), category.All()), Width: coverage.Width, Days: missedDays}
	counts := map[string]int{}
	for i, dist := range d.Table.Districts {
		counts[dist.Slug] = d.Table.DistrictTotals[i]
	}
	for _, cat := range d.Table.Categories {
		d.CategoryName = append(d.CategoryName, categoryName(cat, l))
	}
	d.Areas, d.Height = coverage.Choropleth(s.Districts, counts)
	for class := 0; class <= 4; class++ {
		d.Legend = append(d.Legend, legendItem{class, l.T("admin.stats.legend." + strconv.Itoa(class))})
	}
	d.From, d.To = s.dayRange(missedDays)
	missed, err := s.MissStore.Missed(ctx, d.From, d.To)
	if err != nil {
		return err
	}
	sums := map[coverage.Miss]int{}
	var order []coverage.Miss
	for _, m := range missed {
		if _, seen := sums[m.Miss]; !seen {
			order = append(order, m.Miss)
		}
		sums[m.Miss] += m.Count
	}
	slices.SortStableFunc(order, func(a, b coverage.Miss) int { return sums[b] - sums[a] })
	for _, m := range order[:min(len(order), 100)] {
		d.Missed = append(d.Missed, missedRow{Query: m.Query, District: s.districtName(m.District),
			Category: categoryNames(splitNonEmpty(m.Category), l), Count: sums[m]})
	}
	return s.renderAdmin(c, fiber.StatusOK, "stats", l.T("admin.stats.heading"), d, nil)
}

// dayRange is the last n days up to today, in Oslo dates.
func (s *Server) dayRange(n int) (from, to string) {
	today := s.Now().In(openinghours.Oslo)
	return today.AddDate(0, 0, -(n - 1)).Format(time.DateOnly), today.Format(time.DateOnly)
}

func splitNonEmpty(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// coverageCSV is the district × category table.
func (s *Server) coverageCSV(c *fiber.Ctx) error {
	published, err := s.Listings.Published(c.UserContext())
	if err != nil {
		return err
	}
	t := coverage.Count(published, s.Districts.All(), category.All())
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

// missedCSV is the daily aggregates of searches that found nothing, for
// the last ?dager= days (default 365).
func (s *Server) missedCSV(c *fiber.Ctx) error {
	days, err := strconv.Atoi(c.Query("dager", "365"))
	if err != nil || days < 1 || days > 3660 {
		return apperr.Invalid("dager", "dager må være et helt tall fra 1 til 3660. / dager must be a whole number from 1 to 3660.")
	}
	from, to := s.dayRange(days)
	missed, err := s.MissStore.Missed(c.UserContext(), from, to)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(missed))
	for _, m := range missed {
		rows = append(rows, []string{m.Day, m.Miss.Query, m.Miss.District, m.Miss.Category, strconv.Itoa(m.Count)})
	}
	return sendCSV(c, "sok-uten-treff.csv", []string{"dag", "sok", "bydel", "kategori", "antall"}, rows)
}

// recordMiss counts a search page that found nothing. A "near me" search
// is counted in the district of its origin; the origin itself is not kept.
// A map-area search says nothing about a district and is not counted.
func (s *Server) recordMiss(ctx context.Context, q search.Query) {
	if s.Misses == nil || q.BBox != nil || q.Page > 1 {
		return
	}
	district := strings.Join(q.Districts, ",")
	if district == "" && q.Origin != nil {
		if d, ok := s.Districts.Locate(q.Origin.Lat, q.Origin.Lng); ok {
			district = d.Slug
		}
	}
	s.Misses.Record(ctx, q.Text, district, strings.Join(q.Categories, ","))
}
