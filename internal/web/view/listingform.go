package view

import (
	"github.com/bergenreparerer/reparerer/internal/audit"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/web/form"
)

// ListingForm is the body of the register and edit page.
type ListingForm struct {
	New                bool
	Admin              bool
	Action, ListingURL string
	// EventsURL publishes the listing's sessions (a repair café's).
	EventsURL               string
	F                       form.Listing
	Categories              []Check
	Days                    []Day
	Exceptions              []Exception
	Wheelchair              []Check
	Kinds                   []Option
	Conditions              ConditionsForm
	Errors                  map[string]string
	ErrorList               []form.Error
	Conflict                []Conflict
	MaxSlots, MaxExceptions int
}

// Day is one weekday's rows of the hours editor.
type Day struct {
	Index int
	Name  string
	Slots []Slot
}

// Slot is one opening interval's row.
type Slot struct {
	Index    int
	From, To string
}

// Exception is one dated-exception row.
type Exception struct {
	Index int
	form.ExceptionRow
}

// NewListingForm shapes the form f for lst (nil when registering), with
// the problems errs (input id → message) and the changes others made
// since it was opened; admin shows the municipality's own fields.
func NewListingForm(l *i18n.Localizer, lst *listing.Listing, f form.Listing, errs map[string]string, since []audit.Entry, admin bool) ListingForm {
	body := ListingForm{New: lst == nil, F: f, Errors: errs, MaxSlots: form.MaxSlots, MaxExceptions: form.MaxExceptions,
		Action: paths.Register, Admin: admin, ErrorList: form.ErrorList(errs), Conflict: Conflicts(l, since)}
	if lst != nil {
		body.Action = paths.EditListing(lst.ID)
		if lst.Published() {
			body.ListingURL = paths.Listing(lst.Slug)
		}
	}
	for _, cat := range category.All() {
		body.Categories = append(body.Categories, Check{Value: cat.Slug, Label: CategoryName(cat, l), Checked: f.Categories[cat.Slug]})
	}
	for d := range f.Days {
		day := Day{Index: d, Name: l.Weekday(d)}
		for i := 0; i < max(form.SlotsShown, len(f.Days[d])); i++ {
			sv := Slot{Index: i}
			if i < len(f.Days[d]) {
				sv.From, sv.To = f.Days[d][i].From, f.Days[d][i].To
			}
			day.Slots = append(day.Slots, sv)
		}
		body.Days = append(body.Days, day)
	}
	for i := 0; i < len(f.Exceptions)+form.ExceptionsAdded && i < form.MaxExceptions; i++ {
		ev := Exception{Index: i}
		if i < len(f.Exceptions) {
			ev.ExceptionRow = f.Exceptions[i]
		}
		body.Exceptions = append(body.Exceptions, ev)
	}
	for _, w := range []string{listing.WheelchairYes, listing.WheelchairNo, listing.WheelchairUnknown} {
		body.Wheelchair = append(body.Wheelchair, Check{Value: w, Label: l.T("form.wheelchair." + w), Checked: f.Wheelchair == w})
	}
	for _, k := range listing.Kinds {
		body.Kinds = append(body.Kinds, Option{Slug: k, Name: l.T("kind." + k), Selected: f.Kind == k || (f.Kind == "" && k == listing.KindRepair)})
	}
	body.Conditions = newConditionsForm(l, f.Conditions)
	return body
}

// ConditionsForm is the repair conditions' part of the form: every choice
// has "not stated" first, which is what the form starts with.
type ConditionsForm struct {
	F                                               form.Conditions
	Turnaround, Loaner, DiagnosisDeducted, OwnBrand []Check
	QuoteRequests                                   []Check
	Where, Languages                                []Check
	Ancillary                                       []AncillaryRow
}

// AncillaryRow is one ancillary service's choice: not offered or not
// stated, free, paid.
type AncillaryRow struct {
	Kind, Label string
	Options     []Check
}

func newConditionsForm(l *i18n.Localizer, f form.Conditions) ConditionsForm {
	choices := func(values []string, prefix, chosen string) []Check {
		out := []Check{{Value: "", Label: l.T("conditions.unknown"), Checked: chosen == ""}}
		for _, v := range values {
			out = append(out, Check{Value: v, Label: l.T(prefix + v), Checked: chosen == v})
		}
		return out
	}
	yesNo := []string{"yes", "no"}
	c := ConditionsForm{F: f,
		Turnaround: choices(listing.Turnarounds, "conditions.turnaround.", f.Turnaround),
		Loaner:     choices(yesNo, "conditions.answer.", f.Loaner), DiagnosisDeducted: choices(yesNo, "conditions.answer.", f.DiagnosisDeducted),
		OwnBrand: choices(yesNo, "conditions.answer.", f.OwnBrandOnly), QuoteRequests: choices(yesNo, "conditions.answer.", f.QuoteRequests)}
	for _, w := range listing.RepairPlaces {
		c.Where = append(c.Where, Check{Value: w, Label: l.T("conditions.where." + w), Checked: f.Where[w]})
	}
	for _, k := range listing.AncillaryKinds {
		row := AncillaryRow{Kind: k, Label: l.T("conditions.ancillary." + k)}
		for _, cost := range []string{"", "free", "paid"} {
			label := l.T("conditions.ancillary_cost." + cost)
			if cost == "" {
				label = l.T("conditions.ancillary_cost.none")
			}
			row.Options = append(row.Options, Check{Value: cost, Label: label, Checked: f.Ancillary[k] == cost})
		}
		c.Ancillary = append(c.Ancillary, row)
	}
	for _, code := range listing.Languages {
		c.Languages = append(c.Languages, Check{Value: code, Label: l.T("language." + code), Checked: f.Languages[code]})
	}
	return c
}
