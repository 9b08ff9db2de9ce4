package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

type registerData struct {
	Off, Unavailable bool
	Codes            string
	Candidates       []candidateRow
}

type candidateRow struct {
	OrgNumber, Name, Address, Categories, AddURL string
	PersonalName                                 bool
}

// registerPage is "Nye i Enhetsregisteret": repair businesses in Bergen the
// register knows and the directory does not, each one click from a pending
// listing.
func (a *admin) registerPage(c *fiber.Ctx) error {
	l := a.lang(c)
	var d registerData
	if a.register == nil {
		d.Off = true
		return a.render(c, fiber.StatusOK, "register", l.T("admin.register.heading"), d, nil)
	}
	d.Codes = strings.Join(a.register.Codes(), ", ")
	candidates, err := a.register.Discover(c.UserContext())
	if err != nil {
		a.log.Warn("register: discovery failed", "error", err)
		d.Unavailable = true
		return a.render(c, fiber.StatusOK, "register", l.T("admin.register.heading"), d, nil)
	}
	for _, cand := range candidates {
		d.Candidates = append(d.Candidates, candidateRow{OrgNumber: cand.OrgNumber, Name: cand.Name,
			Address:    strings.TrimSpace(cand.Address.Street + ", " + cand.Address.Postcode + " " + cand.Address.City),
			Categories: view.KindAndCategories(cand.Kind, cand.Categories, l), AddURL: paths.RegisterAdd(cand.OrgNumber), PersonalName: cand.PersonalName})
	}
	return a.render(c, fiber.StatusOK, "register", l.T("admin.register.heading"), d, nil)
}

// registerAdd turns a candidate into a pending listing and opens it.
func (a *admin) registerAdd(c *fiber.Ctx) error {
	if a.register == nil {
		return apperr.NotFound("err.register.off")
	}
	lst, err := a.register.Add(c.UserContext(), c.Params("orgnr"), "admin:"+currentUser(c).Email)
	if err != nil {
		return err
	}
	return c.Redirect(paths.AdminListing(lst.ID)+"?melding=register_added", fiber.StatusSeeOther)
}
