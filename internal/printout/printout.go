// Package printout makes what the municipality prints: a sticker for a
// repairer's window (SVG and PDF) with a QR code to its page, and a
// district poster (A4 or A3 PDF) of its verified repairers by category
// with a QR code to the map. QR codes come from go-qrcode and PDFs from
// fpdf; this package only lays them out.
package printout

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// Brand colours, as on the site.
const (
	brandHex = "#0b4f82"
	brandR   = 0x0b
	brandG   = 0x4f
	brandB   = 0x82
)

// Sticker is what a window sticker says. Texts come in the order they are
// printed; the caller translates them.
type Sticker struct {
	Mark     string // "Bergen Reparerer"
	Name     string // the repairer
	Headline string // the catalogue's print.sticker.headline in both languages
	Scan     string // "Skann for åpningstider / Scan for opening hours"
	URL      string // what the QR code opens
	ShortURL string // printed under the code
}

// sticker size in millimetres
const stickerW, stickerH = 90.0, 120.0

// qr is the code's modules, with the quiet zone left to the layout.
func qr(url string) ([][]bool, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("printout: QR code for %s: %w", url, err)
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}

// SVG renders the sticker as a 90 × 120 mm SVG.
func (s Sticker) SVG() ([]byte, error) {
	bits, err := qr(s.URL)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	esc := func(t string) string {
		var e bytes.Buffer
		_ = xml.EscapeText(&e, []byte(t)) // writes to memory: cannot fail
		return e.String()
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%gmm" height="%gmm" viewBox="0 0 %g %g" role="img" aria-label="%s">`,
		stickerW, stickerH, stickerW, stickerH, esc(s.Mark+" – "+s.Name))
	fmt.Fprintf(&b, `<rect x="1" y="1" width="%g" height="%g" rx="6" fill="#fff" stroke="%s" stroke-width="2"/>`, stickerW-2, stickerH-2, brandHex)
	fmt.Fprintf(&b, `<rect x="1" y="1" width="%g" height="20" rx="6" fill="%s"/><rect x="1" y="15" width="%g" height="6" fill="%s"/>`,
		stickerW-2, brandHex, stickerW-2, brandHex)
	b.WriteString(`<g transform="translate(6 4) scale(0.42)"><circle cx="16" cy="16" r="15" fill="#fff"/>` +
		`<path d="M9 22l8-8m0 0a4 4 0 105-5l-2.5 2.5-2.5-.5-.5-2.5L19 6a4 4 0 00-5 5" stroke="` + brandHex +
		`" stroke-width="2.4" fill="none" stroke-linecap="round" stroke-linejoin="round"/></g>`)
	// text writes a centred line; a line longer than the sticker's inner
	// width (estimated from its length) is squeezed to fit, never cut.
	text := func(x, y, size float64, weight, fill, t string) {
		fit := ""
		if est := float64(utf8.RuneCountInString(t)) * size * 0.56; est > stickerW-12 {
			fit = fmt.Sprintf(` textLength="%g" lengthAdjust="spacingAndGlyphs"`, stickerW-12)
		}
		fmt.Fprintf(&b, `<text x="%g" y="%g" font-family="Helvetica, Arial, sans-serif" font-size="%g" font-weight="%s" fill="%s" text-anchor="middle"%s>%s</text>`,
			x, y, size, weight, fill, fit, esc(t))
	}
	text(54, 13.5, 6.5, "bold", "#fff", s.Mark) // right of the logo
	first, second, _ := strings.Cut(s.Headline, " / ")
	text(stickerW/2, 30, 7.5, "bold", "#1a1a1a", first)
	text(stickerW/2, 36.5, 5, "normal", "#1a1a1a", second)
	text(stickerW/2, 44, 5.5, "normal", "#1a1a1a", s.Name)
	side := 52.0
	module := side / float64(len(bits))
	x0, y0 := (stickerW-side)/2, 48.0
	fmt.Fprintf(&b, `<path fill="#000" d="`)
	for y, row := range bits {
		for x, on := range row {
			if on {
				fmt.Fprintf(&b, "M%.3f %.3fh%.3fv%.3fh-%.3fz", x0+float64(x)*module, y0+float64(y)*module, module, module, module)
			}
		}
	}
	b.WriteString(`"/>`)
	text(stickerW/2, side+y0+8, 4.5, "normal", "#1a1a1a", s.Scan)
	text(stickerW/2, side+y0+14, 4, "normal", brandHex, s.ShortURL)
	b.WriteString(`</svg>`)
	return b.Bytes(), nil
}

// PDF renders the sticker as a one-page 90 × 120 mm PDF.
func (s Sticker) PDF() ([]byte, error) {
	bits, err := qr(s.URL)
	if err != nil {
		return nil, err
	}
	pdf := withFonts(fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: stickerW, Ht: stickerH}}))
	pdf.SetTitle(s.Mark+" – "+s.Name, true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddPage()
	pdf.SetDrawColor(brandR, brandG, brandB)
	pdf.SetFillColor(brandR, brandG, brandB)
	pdf.SetLineWidth(2)
	pdf.RoundedRect(1, 1, stickerW-2, stickerH-2, 6, "1234", "D")
	pdf.RoundedRect(1, 1, stickerW-2, 20, 6, "12", "F")
	// line writes a centred line, in a smaller size when it would not fit.
	line := func(y, size float64, style string, r, g, bl int, t string) {
		pdf.SetFont(font, style, size)
		for size > 6 && pdf.GetStringWidth(t) > stickerW-12 {
			size -= 0.5
			pdf.SetFontSize(size)
		}
		pdf.SetTextColor(r, g, bl)
		pdf.SetXY(6, y)
		pdf.CellFormat(stickerW-12, size*0.45, t, "", 0, "C", false, 0, "")
	}
	line(7, 20, "B", 255, 255, 255, s.Mark)
	first, second, _ := strings.Cut(s.Headline, " / ")
	line(25, 21, "B", 26, 26, 26, first)
	line(33, 14, "", 26, 26, 26, second)
	line(40, 15, "", 26, 26, 26, s.Name)
	side := 52.0
	drawQR(pdf, bits, (stickerW-side)/2, 48, side)
	line(104, 13, "", 26, 26, 26, s.Scan)
	line(110, 11, "", brandR, brandG, brandB, s.ShortURL)
	return output(pdf)
}

func drawQR(pdf *fpdf.Fpdf, bits [][]bool, x0, y0, side float64) {
	module := side / float64(len(bits))
	pdf.SetFillColor(0, 0, 0)
	for y, row := range bits {
		for x, on := range row {
			if on {
				pdf.Rect(x0+float64(x)*module, y0+float64(y)*module, module, module, "F")
			}
		}
	}
}

func output(pdf *fpdf.Fpdf) ([]byte, error) {
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("printout: write PDF: %w", err)
	}
	return b.Bytes(), nil
}

// Poster is a district's printed list of repairers.
type Poster struct {
	Title    string // "Her kan du reparere i Årstad"
	Subtitle string // "Repair services in Årstad – verified by Bergen kommune"
	Groups   []Group
	Empty    string // said when there are no verified repairers
	Scan     string // "Se alle på kartet"
	URL      string // the filtered map
	ShortURL string
	Footer   string // "Bergen Reparerer · Bergen kommune · oppdatert 22.11.2026"
	// Size is "A4" or "A3".
	Size string
}

// Group is one category's repairers.
type Group struct {
	Heading string
	Entries []Entry
}

// Entry is one repairer on a poster.
type Entry struct{ Name, Address, Phone string }

// Sizes a poster may have.
var Sizes = []string{"A4", "A3"}

// PDF renders the poster; it continues on more pages when the list is long.
func (p Poster) PDF() ([]byte, error) {
	bits, err := qr(p.URL)
	if err != nil {
		return nil, err
	}
	pdf := withFonts(fpdf.New("P", "mm", p.Size, ""))
	w, h := pdf.GetPageSize()
	scale := w / 210 // A3 is A4 scaled by √2
	margin := 15 * scale
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.SetTitle(p.Title, true)
	pdf.AddPage()
	pdf.SetFillColor(brandR, brandG, brandB)
	pdf.Rect(0, 0, w, 38*scale, "F")
	pdf.SetTextColor(255, 255, 255)
	pdf.SetFont(font, "B", 26*scale)
	pdf.SetXY(margin, 9*scale)
	pdf.MultiCell(w-2*margin, 11*scale, p.Title, "", "L", false)
	pdf.SetFont(font, "", 13*scale)
	pdf.SetX(margin)
	pdf.MultiCell(w-2*margin, 7*scale, p.Subtitle, "", "L", false)
	pdf.SetY(46 * scale)
	pdf.SetTextColor(26, 26, 26)
	if len(p.Groups) == 0 {
		pdf.SetFont(font, "", 14*scale)
		pdf.MultiCell(w-2*margin, 7*scale, p.Empty, "", "L", false)
	}
	text := w - 2*margin - 55*scale // room for the code on the right of the first page
	for _, g := range p.Groups {
		pdf.SetFont(font, "B", 15*scale)
		pdf.SetTextColor(brandR, brandG, brandB)
		pdf.MultiCell(text, 8*scale, g.Heading, "", "L", false)
		pdf.SetTextColor(26, 26, 26)
		for _, e := range g.Entries {
			pdf.SetFont(font, "B", 11*scale)
			pdf.MultiCell(text, 5.5*scale, e.Name, "", "L", false)
			pdf.SetFont(font, "", 10*scale)
			detail := strings.Join(nonEmpty(e.Address, e.Phone), " · ")
			pdf.MultiCell(text, 5*scale, detail, "", "L", false)
			pdf.Ln(1.5 * scale)
		}
		pdf.Ln(3 * scale)
	}
	pdf.SetPage(1)
	side := 45 * scale
	x, y := w-margin-side, 50*scale
	drawQR(pdf, bits, x, y, side)
	pdf.SetFont(font, "B", 11*scale)
	pdf.SetXY(x-5*scale, y+side+3*scale)
	pdf.MultiCell(side+10*scale, 5*scale, p.Scan, "", "C", false)
	pdf.SetFont(font, "", 8*scale)
	pdf.SetX(x - 5*scale)
	pdf.MultiCell(side+10*scale, 4*scale, p.ShortURL, "", "C", false)
	pdf.SetAutoPageBreak(false, 0) // the footer sits in the bottom margin
	for i := 1; i <= pdf.PageCount(); i++ {
		pdf.SetPage(i)
		pdf.SetFont(font, "", 9*scale)
		pdf.SetTextColor(90, 90, 90)
		pdf.SetXY(margin, h-margin+3*scale)
		pdf.CellFormat(w-2*margin, 5*scale, p.Footer, "", 0, "L", false, 0, "")
	}
	return output(pdf)
}

func nonEmpty(vs ...string) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Scans counts visits that came from a sticker's QR code, per day.
type Scans interface {
	CountScan(ctx context.Context, listingID, day string) error
	Scans(ctx context.Context, listingID string) (int, error)
}

// font is the typeface of the PDFs: the Go fonts (BSD licence, in the
// binary), whose Unicode coverage (WGL4) prints every name people write
// here — Norwegian, Sámi (č, ŋ, ŧ), Cyrillic — where the PDF core fonts'
// cp1252 printed a dot.
const font = "Go"

func withFonts(pdf *fpdf.Fpdf) *fpdf.Fpdf {
	pdf.AddUTF8FontFromBytes(font, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(font, "B", gobold.TTF)
	return pdf
}
