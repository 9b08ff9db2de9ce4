package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/reminder"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

type freshData struct {
	AgeText string
	Sort    string
	Sorts   []sortLink
	Rows    []freshRow
	Result  string
}

type sortLink struct {
	Key, Label, Href string
	Current          bool
}

type freshRow struct {
	ID, Name, AdminURL, District, CheckedText, AskedText string
	Unanswered, Reachable                                bool
}

// freshness lists the published listings nobody has verified or
// confirmed for the freshness age, oldest check first (or as sorted).
func (a *admin) freshness(c *fiber.Ctx) error {
	l := a.lang(c)
	sortBy := c.Query("sort", reminder.SortChecked)
	stale, err := a.reminders.Stale(c.UserContext(), a.freshnessAge, sortBy)
	if err != nil {
		return err
	}
	d := freshData{AgeText: l.N("admin.fresh.days", int(a.freshnessAge.Hours()/24)), Sort: sortBy}
	for _, k := range reminder.Sorts {
		d.Sorts = append(d.Sorts, sortLink{k, l.T("admin.fresh.sort." + k), paths.AdminFreshness + "?sort=" + k, k == sortBy})
	}
	for _, st := range stale {
		r := freshRow{ID: st.Listing.ID, Name: st.Listing.Name, AdminURL: paths.AdminListing(st.Listing.ID),
			District: a.districts.Name(st.Listing.District), CheckedText: l.T("admin.fresh.never"), AskedText: "–",
			Unanswered: st.Unanswered, Reachable: st.Reachable}
		if st.Checked != nil {
			r.CheckedText = view.Date(l, *st.Checked)
		}
		if st.Asked != nil {
			r.AskedText = view.Date(l, *st.Asked)
		}
		d.Rows = append(d.Rows, r)
	}
	if sent := c.Query("sendt"); sent != "" {
		d.Result = l.T("admin.fresh.result", "sent", sent, "already", c.Query("allerede", "0"), "none", c.Query("uten", "0"))
	}
	return a.render(c, fiber.StatusOK, "fresh", l.T("admin.fresh.heading"), d, nil)
}

// ask sends "still correct?" to the chosen listings now.
func (a *admin) ask(c *fiber.Ctx) error {
	ids := postValues(c)["id"]
	if len(ids) == 0 {
		return c.Redirect(paths.AdminFreshness+"?melding=none_chosen", fiber.StatusSeeOther)
	}
	asked, err := a.reminders.Ask(c.UserContext(), ids)
	if err != nil {
		return err
	}
	a.log.Info("freshness: asked", "admin", currentUser(c).Email, "sent", asked.Sent, "already", asked.Already, "no_address", len(asked.NoAddress))
	return c.Redirect(paths.AdminFreshness+"?sendt="+strconv.Itoa(asked.Sent)+"&allerede="+strconv.Itoa(asked.Already)+
		"&uten="+strconv.Itoa(len(asked.NoAddress)), fiber.StatusSeeOther)
}
