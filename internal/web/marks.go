package web

import (
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/label"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/web/form"
)

// markRow is one label on a listing's console page: held or not, and
// through when.
type markRow struct {
	Slug, Name, Issuer, Until string
	Held                      bool
}

// markRows are the municipality's labels as the listing holds them.
func markRows(labels []label.Label, lst *listing.Listing) []markRow {
	var out []markRow
	for _, lb := range labels {
		row := markRow{Slug: lb.Slug, Name: lb.Name, Issuer: lb.Issuer}
		for _, m := range lst.Marks {
			if m.Label == lb.Slug {
				row.Held, row.Until = true, m.Until
			}
		}
		out = append(out, row)
	}
	return out
}

// setMarks is the editor's marks form on a listing: the gift card, and
// each label held with its optional end date.
func (a *admin) setMarks(c *fiber.Ctx) error {
	return a.act(c, "marks", func(version int, v func(string) string) (*listing.Listing, error) {
		labels, err := a.labels.Labels(c.UserContext())
		if err != nil {
			return nil, err
		}
		var marks []listing.Mark
		for _, lb := range labels {
			if v("mark_"+lb.Slug) == "on" {
				marks = append(marks, listing.Mark{Label: lb.Slug, Until: v("until_" + lb.Slug)})
			}
		}
		return a.moderation.SetMarks(c.UserContext(), *currentUser(c), c.Params("id"), version, v("gift_card") == "on", marks)
	})
}

type labelsData struct {
	Labels []label.Label
	// Edit is the label in the form (empty: a new one).
	Edit label.Label
}

// labelsPage lists the municipality's quality labels with a form to add
// or change one (/admin/merker).
func (a *admin) labelsPage(c *fiber.Ctx) error {
	return a.renderLabels(c, fiber.StatusOK, label.Label{}, nil)
}

func (a *admin) renderLabels(c *fiber.Ctx, status int, edit label.Label, ferr *form.Error) error {
	labels, err := a.labels.Labels(c.UserContext())
	if err != nil {
		return err
	}
	if slug := c.Query("endre"); slug != "" && edit.Slug == "" && edit.Name == "" {
		for _, lb := range labels {
			if lb.Slug == slug {
				edit = lb
			}
		}
	}
	return a.render(c, status, "labels", a.lang(c).T("admin.labels.heading"), labelsData{Labels: labels, Edit: edit}, ferr)
}

// saveLabel creates or changes a label, with an optional logo upload.
func (a *admin) saveLabel(c *fiber.Ctx) error {
	l := a.lang(c)
	v := postValues(c)
	lb := label.Label{Slug: v.Get("slug"), Name: v.Get("name"), Issuer: v.Get("issuer"), URL: v.Get("url"),
		CriteriaNB: v.Get("criteria_nb"), CriteriaEN: v.Get("criteria_en"), UpdatedAt: a.now().UTC()}
	if fh, err := c.FormFile("logo"); err == nil && fh.Size > 0 {
		if fh.Size > label.MaxLogo {
			return a.renderLabels(c, fiber.StatusBadRequest, lb, &form.Error{Field: "logo", Message: l.T("err.label.logo_size", "max", label.MaxLogo>>10)})
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		lb.Logo, err = io.ReadAll(io.LimitReader(f, label.MaxLogo+1))
		_ = f.Close()
		if err != nil {
			return err
		}
	}
	if err := label.Prepare(&lb); err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return a.renderLabels(c, fiber.StatusBadRequest, lb, &form.Error{Field: ae.Field, Message: l.T(ae.Key, ae.Args...)})
		}
		return err
	}
	if err := a.labels.SaveLabel(c.UserContext(), lb, v.Get("drop_logo") == "on"); err != nil {
		return err
	}
	return c.Redirect(paths.AdminLabels+"?melding=label_saved", fiber.StatusSeeOther)
}

// markPage explains every quality mark and its criteria (/merker).
func (p *public) marksPage(c *fiber.Ctx) error {
	l := p.lang(c)
	labels, err := p.labels.Labels(c.UserContext())
	if err != nil {
		return err
	}
	type labelView struct {
		label.Label
		Criteria, LogoURL string
	}
	var views []labelView
	for _, lb := range labels {
		lv := labelView{Label: lb, Criteria: lb.CriteriaNB}
		if l.Lang == i18n.EN && lb.CriteriaEN != "" {
			lv.Criteria = lb.CriteriaEN
		}
		if lb.LogoType != "" {
			lv.LogoURL = paths.LabelLogo(lb.Slug)
		}
		views = append(views, lv)
	}
	page := p.newPage(c, l, l.T("marks.heading"), nil, true)
	page.Body = struct{ Labels []labelView }{views}
	return p.render(c, fiber.StatusOK, "marks", page)
}

// labelLogo serves a label's uploaded logo (PNG or JPEG only, checked at
// upload), as an image that is never sniffed as anything else.
func (p *public) labelLogo(c *fiber.Ctx) error {
	lb, err := p.labels.Label(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	if lb.LogoType == "" {
		return apperr.NotFound("err.label.not_found")
	}
	c.Set(fiber.HeaderContentType, lb.LogoType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	c.Set(fiber.HeaderLastModified, lb.UpdatedAt.UTC().Format(time.RFC1123))
	c.Set("Content-Length", strconv.Itoa(len(lb.Logo)))
	return c.Send(lb.Logo)
}

// apiLabels lists the quality labels the municipality keeps, for the API.
func (p *public) apiLabels(c *fiber.Ctx) error {
	labels, err := p.labels.Labels(c.UserContext())
	if err != nil {
		return err
	}
	type apiLabel struct {
		Slug       string `json:"slug"`
		Name       string `json:"name"`
		Issuer     string `json:"issuer"`
		URL        string `json:"url,omitempty"`
		CriteriaNB string `json:"criteria_nb,omitempty"`
		CriteriaEN string `json:"criteria_en,omitempty"`
		LogoURL    string `json:"logo_url,omitempty"`
	}
	out := []apiLabel{}
	for _, lb := range labels {
		a := apiLabel{Slug: lb.Slug, Name: lb.Name, Issuer: lb.Issuer, URL: lb.URL, CriteriaNB: lb.CriteriaNB, CriteriaEN: lb.CriteriaEN}
		if lb.LogoType != "" {
			a.LogoURL = paths.LabelLogo(lb.Slug)
		}
		out = append(out, a)
	}
	return c.JSON(fiber.Map{"labels": out})
}
