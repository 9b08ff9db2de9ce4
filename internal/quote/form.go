package quote

import (
	"strings"

	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/printout"
)

// Section is one of Annex I's parts of an answered form, worded in a
// language: what the private page and the PDF both show.
type Section = printout.FormSection

// FormSections are the answered form's parts in Annex I's order; r must
// be answered.
func FormSections(loc *i18n.Localizer, r *Request) []Section {
	a := r.Answer
	nok := func(n int) string { return loc.T("quote.nok", "n", loc.Int(n)) }
	cost := func(n int) string {
		if n == 0 {
			return loc.T("quote.included")
		}
		return nok(n)
	}
	price := loc.T("quote.price_method_row", "method", a.PriceMethod, "max", "")
	if a.PriceNOK != nil {
		price = nok(*a.PriceNOK)
	} else if a.MaxPriceNOK != nil {
		price = loc.T("quote.price_method_row", "method", a.PriceMethod, "max", nok(*a.MaxPriceNOK))
	}
	loaner := loc.T("quote.loaner." + a.Loaner)
	if a.LoanerCostNOK != nil {
		loaner += ": " + nok(*a.LoanerCostNOK)
	}
	var ancillary []string
	for _, s := range a.Ancillary {
		ancillary = append(ancillary, loc.T("conditions.ancillary."+s.Kind)+": "+cost(s.CostNOK))
	}
	if len(ancillary) == 0 {
		ancillary = []string{loc.T("quote.none")}
	}
	rp := a.Repairer
	return []Section{
		{Heading: loc.T("quote.section.repairer"), Rows: []printout.FormRow{
			{Label: loc.T("quote.field.name"), Value: rp.Name},
			{Label: loc.T("quote.field.org_number"), Value: rp.OrgNumber},
			{Label: loc.T("quote.field.address"), Value: rp.Address},
			{Label: loc.T("quote.field.phone"), Value: rp.Phone},
			{Label: loc.T("quote.field.email"), Value: rp.Email},
			{Label: loc.T("quote.field.website"), Value: rp.Website},
		}},
		{Heading: loc.T("quote.section.good"), Rows: []printout.FormRow{
			{Label: loc.T("quote.field.good"), Value: a.Good},
			{Label: loc.T("quote.field.fault"), Value: r.Fault},
			{Label: loc.T("quote.field.defect"), Value: a.Defect},
			{Label: loc.T("quote.field.repair"), Value: a.Repair},
		}},
		{Heading: loc.T("quote.section.terms"), Rows: []printout.FormRow{
			{Label: loc.T("quote.field.price"), Value: price},
			{Label: loc.T("quote.field.days"), Value: loc.N("quote.days", a.Days)},
			{Label: loc.T("quote.field.loaner"), Value: loaner},
			{Label: loc.T("quote.field.hand_over"), Value: loc.T("conditions.where." + a.HandOver)},
			{Label: loc.T("quote.field.ancillary"), Value: strings.Join(ancillary, "\n")},
			{Label: loc.T("quote.field.note"), Value: a.Note},
		}},
		{Heading: loc.T("quote.section.binding"), Rows: []printout.FormRow{
			{Label: loc.T("quote.field.answered_at"), Value: loc.Date(a.AnsweredAt)},
			{Label: loc.T("quote.field.valid_until"), Value: loc.Date(a.ValidUntil)},
		}},
	}
}

// FormPDF is the answered form as a PDF in the resident's language.
func FormPDF(loc *i18n.Localizer, r *Request) ([]byte, error) {
	return printout.Form{
		Title:    loc.T("quote.form_title"),
		Subtitle: loc.T("quote.form_subtitle", "name", r.Answer.Repairer.Name, "good", GoodOf(loc, r)),
		Sections: FormSections(loc, r),
		Footer:   loc.T("quote.form_footer", "until", loc.Date(r.Answer.ValidUntil)),
		Lang:     string(loc.Lang),
	}.PDF()
}

// RequestSection is what the resident asked, as a section.
func RequestSection(loc *i18n.Localizer, r *Request) Section {
	return Section{Heading: loc.T("quote.section.request"), Rows: []printout.FormRow{
		{Label: loc.T("quote.field.good"), Value: GoodOf(loc, r)},
		{Label: loc.T("quote.field.fault"), Value: r.Fault},
		{Label: loc.T("quote.field.asked_at"), Value: loc.Date(r.CreatedAt)},
	}}
}
