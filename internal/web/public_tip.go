package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/tip"
	"github.com/bergenreparerer/reparerer/internal/web/form"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

type tipBody struct {
	Action                      string
	Categories                  []view.Option
	Name, Where, Message, Email string
	Sent                        bool
	Error                       *form.Error
}

// tipForm is "Tips oss": a resident tells the municipality about a
// repairer the directory does not know. The category the resident
// searched for comes preselected.
func (p *public) tipForm(c *fiber.Ctx) error {
	t := tip.Tip{Category: c.Query("category")}
	if !category.Valid(t.Category) {
		t.Category = ""
	}
	return p.renderTip(c, t, c.Query("sendt") == "1", nil, fiber.StatusOK)
}

func (p *public) tipSubmit(c *fiber.Ctx) error {
	if filledHoneypot(c) {
		p.log.Info("tip: dropped a robot's tip")
		return c.Redirect(paths.TipSent, fiber.StatusSeeOther)
	}
	v := postValues(c)
	t := tip.Tip{Category: v.Get("category"), Name: v.Get("name"), Where: v.Get("where"), Message: v.Get("message"), Email: v.Get("email")}
	if err := t.Normalize(); err != nil {
		field := ""
		var ae *apperr.Error
		if errors.As(err, &ae) {
			field = ae.Field
		}
		return p.renderTip(c, t, false, &form.Error{Field: field, Message: p.lang(c).T("tip.error." + field)}, fiber.StatusBadRequest)
	}
	if err := p.tips.CreateTip(c.UserContext(), &t); err != nil {
		return err
	}
	p.log.Info("tip: received", "tip_id", t.ID, "category", t.Category)
	return c.Redirect(paths.TipSent, fiber.StatusSeeOther)
}

func (p *public) renderTip(c *fiber.Ctx, t tip.Tip, sent bool, ferr *form.Error, status int) error {
	l := p.lang(c)
	body := tipBody{Action: paths.Tips, Name: t.Name, Where: t.Where, Message: t.Message, Email: t.Email, Sent: sent, Error: ferr}
	body.Categories = append(body.Categories, view.Option{Slug: "", Name: l.T("tip.category_unknown"), Selected: t.Category == ""})
	for _, cat := range category.All() {
		body.Categories = append(body.Categories, view.Option{Slug: cat.Slug, Name: view.CategoryName(cat, l), Selected: cat.Slug == t.Category})
	}
	return p.render(c, status, "tip", p.private(c, l, l.T("tip.heading"), "", body))
}
