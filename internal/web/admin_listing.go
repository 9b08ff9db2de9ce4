package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/moderation"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/web/form"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

type listingData struct {
	ID, Name, StatusText, HideReasonText, PageURL, EditURL, Status string
	Version                                                        int
	VerifiedText, ConfirmedText, UnconfirmedText, DistrictName     string
	Voucher                                                        bool
	Owners                                                         []string
	HideReasons                                                    []view.Option
	History                                                        []view.Edit
	Scans                                                          int
	StickerSVG, StickerPDF                                         string
	// Provenance says where each field's value came from.
	Provenance []provenanceRow
	// RemoveOwnerURL takes the listing away from one of Owners.
	RemoveOwnerURL string
	// Approximate: the position is the postcode's centre.
	Approximate bool
	// Facts is the listing as its page shows it: address, hours in words,
	// position for the small map.
	Facts view.Listing
	// PosterURL is its district's poster.
	PosterURL string
	// NeedsNameConsent: a sole proprietorship from the register, its name
	// perhaps a person's; verifying asks the editor to confirm consent.
	NeedsNameConsent bool
	// GiftCard and Marks are the quality marks the editor sets.
	GiftCard bool
	Marks    []markRow
}

type provenanceRow struct{ Field, Value, Source, When, By string }

// listing is one listing as the municipality sees it: its state, the
// actions, its whole history with revert buttons, and its sticker.
func (a *admin) listing(c *fiber.Ctx) error {
	return a.renderListing(c, fiber.StatusOK, c.Params("id"), nil)
}

func (a *admin) renderListing(c *fiber.Ctx, status int, id string, ferr *form.Error) error {
	l := a.lang(c)
	d, err := a.moderation.Dossier(c.UserContext(), id)
	if err != nil {
		return err
	}
	lst := d.Listing
	data := listingData{ID: lst.ID, Name: lst.Name, Status: string(lst.Status), StatusText: l.T("account.status." + string(lst.Status)),
		EditURL: paths.EditListing(lst.ID), Version: lst.Version, Voucher: lst.AcceptsRepairVoucher,
		DistrictName: a.districts.Name(lst.District), VerifiedText: view.VerifiedText(l, lst), ConfirmedText: view.ConfirmedText(l, lst),
		UnconfirmedText: view.UnconfirmedText(l, d.UnansweredSince), Owners: d.Owners, Scans: d.Scans,
		StickerSVG: paths.Sticker(lst.ID, "svg"), StickerPDF: paths.Sticker(lst.ID, "pdf"), RemoveOwnerURL: paths.AdminAction(lst.ID, "eier/fjern"), Approximate: lst.ApproximatePosition,
		Facts: view.NewListing(l, lst, a.districts.Name(lst.District), a.now()), PosterURL: paths.Poster(lst.District),
		NeedsNameConsent: lst.NeedsNameConsent() && len(d.Owners) == 0}
	if lst.HideReason != "" {
		data.HideReasonText = l.T("admin.hide." + lst.HideReason)
	}
	labels, err := a.labels.Labels(c.UserContext())
	if err != nil {
		return err
	}
	data.GiftCard, data.Marks = lst.AcceptsGiftCard, markRows(labels, lst)
	if lst.Published() {
		data.PageURL = paths.Listing(lst.Slug)
	}
	if lst.VerifiedAt != nil {
		data.VerifiedText += " (" + lst.VerifiedBy + ")"
	}
	for _, r := range moderation.HideReasons {
		data.HideReasons = append(data.HideReasons, view.Option{Slug: r, Name: l.T("admin.hide." + r), Selected: r == lst.HideReason})
	}
	for _, f := range listing.ProvenanceFields {
		value := view.ValueText(l, f, listing.FieldText(lst, f))
		if value == "" {
			continue
		}
		o := lst.FieldOrigin(f)
		data.Provenance = append(data.Provenance, provenanceRow{Field: view.FieldLabel(l, f), Value: value,
			Source: l.T("source." + o.Source), When: view.Date(l, o.At), By: o.By})
	}
	for i := len(d.History) - 1; i >= 0; i-- { // newest first
		data.History = append(data.History, view.NewEdit(l, d.History[i], lst.Name))
	}
	return a.render(c, status, "listing", lst.Name, data, ferr)
}

// act runs one moderation action on the :id listing at the version the
// editor's form was made from, then shows the listing again with a
// notice; a refused action shows the page with the reason.
func (a *admin) act(c *fiber.Ctx, notice string, do func(version int, v func(string) string) (*listing.Listing, error)) error {
	posted := postValues(c)
	version, _ := strconv.Atoi(posted.Get("version")) // a missing version matches none: refused as stale
	lst, err := do(version, posted.Get)
	if err == nil {
		return c.Redirect(paths.AdminListing(lst.ID)+"?melding="+notice, fiber.StatusSeeOther)
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return err
	}
	key := "admin.error.conflict"
	switch ae.Code {
	case apperr.CodeConflict:
	case apperr.CodeInvalidParameter: // a reason missing or not on the list, consent not given
		key = "admin.error.invalid"
		if ae.Field == "name_consent" {
			key = ae.Key
		}
	default:
		return err
	}
	return a.renderListing(c, statusOf[ae.Code], c.Params("id"), &form.Error{Field: ae.Field, Message: a.lang(c).T(key)})
}

func (a *admin) verify(c *fiber.Ctx) error {
	return a.act(c, "verified", func(version int, v func(string) string) (*listing.Listing, error) {
		return a.moderation.Verify(c.UserContext(), *currentUser(c), c.Params("id"), version, v("name_consent") == "1")
	})
}

func (a *admin) reject(c *fiber.Ctx) error {
	return a.act(c, "rejected", func(version int, v func(string) string) (*listing.Listing, error) {
		return a.moderation.Reject(c.UserContext(), *currentUser(c), c.Params("id"), version, v("reason"))
	})
}

func (a *admin) hide(c *fiber.Ctx) error {
	return a.act(c, "hidden", func(version int, v func(string) string) (*listing.Listing, error) {
		return a.moderation.Hide(c.UserContext(), *currentUser(c), c.Params("id"), version, v("reason"), v("note"))
	})
}

func (a *admin) unhide(c *fiber.Ctx) error {
	return a.act(c, "unhidden", func(version int, _ func(string) string) (*listing.Listing, error) {
		return a.moderation.Unhide(c.UserContext(), *currentUser(c), c.Params("id"), version)
	})
}

func (a *admin) voucher(c *fiber.Ctx) error {
	return a.act(c, "voucher", func(version int, v func(string) string) (*listing.Listing, error) {
		return a.moderation.SetVoucher(c.UserContext(), *currentUser(c), c.Params("id"), version, v("voucher") == "on")
	})
}

// removeOwner takes the listing away from one of its owners.
func (a *admin) removeOwner(c *fiber.Ctx) error {
	v := postValues(c)
	if err := a.moderation.RemoveOwner(c.UserContext(), *currentUser(c), c.Params("id"), v.Get("email"), v.Get("reason")); err != nil {
		return err
	}
	return c.Redirect(paths.AdminListing(c.Params("id"))+"?melding=owner_removed", fiber.StatusSeeOther)
}

func (a *admin) revert(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("entry"), 10, 64)
	if err != nil {
		return apperr.NotFound("err.no_such_change")
	}
	r, err := a.moderation.Revert(c.UserContext(), *currentUser(c), id, postValues(c).Get("reason"))
	if apperr.Is(err, apperr.CodeConflict) && r.Listing != nil {
		return a.renderListing(c, fiber.StatusConflict, r.Listing.ID, &form.Error{Message: a.lang(c).T("admin.error.nothing_to_revert")})
	} else if err != nil {
		return err
	}
	notice := "reverted"
	if len(r.Left) > 0 {
		notice = "reverted_partly"
	}
	return c.Redirect(paths.AdminListing(r.Listing.ID)+"?melding="+notice, fiber.StatusSeeOther)
}

func (a *admin) decideClaim(c *fiber.Ctx) error {
	v := postValues(c)
	decision := v.Get("decision")
	if decision != "approve" && decision != "reject" {
		return apperr.Invalid("decision", "err.claim_decision")
	}
	approve := decision == "approve"
	_, err := a.moderation.DecideClaim(c.UserContext(), *currentUser(c), c.Params("id"), approve, v.Get("reason"))
	if apperr.Is(err, apperr.CodeInvalidParameter) {
		return c.Redirect(paths.AdminQueue+"?melding=claim_reason#krav", fiber.StatusSeeOther)
	} else if err != nil {
		return err
	}
	notice := "claim_rejected"
	if approve {
		notice = "claim_approved"
	}
	return c.Redirect(paths.AdminQueue+"?melding="+notice+"#krav", fiber.StatusSeeOther)
}

func (a *admin) closeReport(c *fiber.Ctx) error {
	if err := a.moderation.CloseReport(c.UserContext(), *currentUser(c), c.Params("id")); err != nil {
		return err
	}
	return c.Redirect(paths.AdminQueue+"?melding=report_closed#meldinger", fiber.StatusSeeOther)
}
