package printout

import (
	"github.com/go-pdf/fpdf"
)

// Form is a filled-in form printed as label and value in sections: the
// European Repair Information Form a repairer completed.
type Form struct {
	Title    string // "Europeisk skjema for reparasjonsopplysninger"
	Subtitle string // what it concerns and who filled it in
	Sections []FormSection
	Footer   string
	// Lang is the document's language (a BCP 47 tag), for screen readers.
	Lang string
}

// FormSection is one numbered part of a form.
type FormSection struct {
	Heading string
	Rows    []FormRow
}

// FormRow is one answer; an empty Value prints a dash.
type FormRow struct{ Label, Value string }

// PDF renders the form on A4, continuing on more pages when it is long.
func (f Form) PDF() ([]byte, error) {
	pdf := withFonts(fpdf.New("P", "mm", "A4", ""))
	w, h := pdf.GetPageSize()
	const margin = 18.0
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin+6)
	pdf.SetTitle(f.Title, true)
	pdf.SetLang(f.Lang)
	pdf.SetCreator("Bergen Reparerer", true)
	pdf.AddPage()
	pdf.SetFillColor(brandR, brandG, brandB)
	pdf.Rect(0, 0, w, 30, "F")
	pdf.SetTextColor(255, 255, 255)
	pdf.SetFont(font, "B", 17)
	pdf.SetXY(margin, 8)
	pdf.MultiCell(w-2*margin, 8, f.Title, "", "L", false)
	pdf.SetFont(font, "", 10)
	pdf.SetX(margin)
	pdf.MultiCell(w-2*margin, 5, f.Subtitle, "", "L", false)
	pdf.SetY(38)
	pdf.SetTextColor(26, 26, 26)
	label := 62.0
	for _, s := range f.Sections {
		pdf.SetFont(font, "B", 12)
		pdf.SetTextColor(brandR, brandG, brandB)
		pdf.MultiCell(w-2*margin, 7, s.Heading, "", "L", false)
		pdf.SetTextColor(26, 26, 26)
		for _, r := range s.Rows {
			value := r.Value
			if value == "" {
				value = "–"
			}
			y := pdf.GetY()
			pdf.SetFont(font, "B", 9.5)
			pdf.MultiCell(label-3, 5, r.Label, "", "L", false)
			below := pdf.GetY()
			pdf.SetXY(margin+label, y)
			pdf.SetFont(font, "", 9.5)
			pdf.MultiCell(w-2*margin-label, 5, value, "", "L", false)
			if pdf.GetY() < below {
				pdf.SetY(below)
			}
			pdf.Ln(1)
		}
		pdf.Ln(3)
	}
	pdf.SetAutoPageBreak(false, 0) // the footer sits in the bottom margin
	for i := 1; i <= pdf.PageCount(); i++ {
		pdf.SetPage(i)
		pdf.SetFont(font, "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.SetXY(margin, h-margin+4)
		pdf.CellFormat(w-2*margin, 4, f.Footer, "", 0, "L", false, 0, "")
	}
	return output(pdf)
}
