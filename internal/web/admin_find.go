package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/moderation"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

type findData struct {
	Text                                     string
	Districts, Categories, Statuses, Sources []view.Option
	Ages                                     []view.Option
	Approximate, Searched                    bool
	Rows                                     []findRow
	Total                                    int
}

type findRow struct {
	Name, AdminURL, OrgNumber, District, Status, Source, Checked string
	Approximate                                                  bool
}

// find is the console's listing finder: by name or organisation number,
// district, category, status, source, time since the last check and
// approximate position.
func (a *admin) find(c *fiber.Ctx) error {
	l := a.lang(c)
	v := queryValues(c)
	months, _ := strconv.Atoi(v.Get("ukontrollert"))
	f := moderation.Filter{Text: v.Get("q"), District: v.Get("bydel"), Category: v.Get("kategori"), Status: listing.Status(v.Get("status")),
		Source: v.Get("kilde"), UncheckedFor: time.Duration(max(0, months)) * 30 * 24 * time.Hour, Approximate: v.Get("omtrentlig") == "1"}
	d := findData{Text: f.Text, Approximate: f.Approximate, Searched: len(v) > 0}
	option := func(slug, name, chosen string) view.Option {
		return view.Option{Slug: slug, Name: name, Selected: slug == chosen}
	}
	d.Districts = append(d.Districts, option("", l.T("admin.find.any"), f.District))
	for _, dist := range a.districts.All() {
		d.Districts = append(d.Districts, option(dist.Slug, dist.Name, f.District))
	}
	d.Categories = append(d.Categories, option("", l.T("admin.find.any"), f.Category))
	for _, cat := range category.All() {
		d.Categories = append(d.Categories, option(cat.Slug, view.CategoryName(cat, l), f.Category))
	}
	d.Statuses = append(d.Statuses, option("", l.T("admin.find.any"), string(f.Status)))
	for _, st := range []listing.Status{listing.StatusPending, listing.StatusPublished, listing.StatusHidden} {
		d.Statuses = append(d.Statuses, option(string(st), l.T("account.status."+string(st)), string(f.Status)))
	}
	d.Sources = append(d.Sources, option("", l.T("admin.find.any"), f.Source))
	for _, src := range []string{listing.SourceOSM, listing.SourceRegister, listing.SourceImport, listing.SourceOwner, listing.SourceMunicipality} {
		d.Sources = append(d.Sources, option(src, l.T("source."+src), f.Source))
	}
	for _, m := range []string{"", "6", "12", "24"} {
		name := l.T("admin.find.any")
		if m != "" {
			name = l.T("admin.find.unchecked_months", "months", m)
		}
		d.Ages = append(d.Ages, option(m, name, v.Get("ukontrollert")))
	}
	if d.Searched {
		found, total, err := a.moderation.Find(c.UserContext(), f)
		if err != nil {
			return err
		}
		d.Total = total
		for _, lst := range found {
			d.Rows = append(d.Rows, findRow{Name: lst.Name, AdminURL: paths.AdminListing(lst.ID), OrgNumber: lst.OrgNumber,
				District: a.districts.Name(lst.District), Status: l.T("account.status." + string(lst.Status)),
				Source: l.T("source." + lst.Source.Kind), Checked: view.VerifiedText(l, lst), Approximate: lst.ApproximatePosition})
		}
	}
	return a.render(c, fiber.StatusOK, "find", l.T("admin.find.heading"), d, nil)
}
