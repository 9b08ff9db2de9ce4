package printout

import (
	"bytes"
	"compress/zlib"
	"image"
	"image/color"
	"io"
	"regexp"
	"strconv"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// decodeSVG reads the QR code back from the sticker's module path, so the
// test checks what is printed, not what was asked for.
func decodeSVG(t *testing.T, svg []byte) string {
	t.Helper()
	cells := regexp.MustCompile(`M([0-9.]+) ([0-9.]+)h([0-9.]+)`).FindAllSubmatch(svg, -1)
	if len(cells) == 0 {
		t.Fatal("no QR modules in the SVG")
	}
	const px = 8.0 // pixels per millimetre
	img := image.NewGray(image.Rect(0, 0, int(stickerW*px), int(stickerH*px)))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for _, c := range cells {
		x, _ := strconv.ParseFloat(string(c[1]), 64)
		y, _ := strconv.ParseFloat(string(c[2]), 64)
		m, _ := strconv.ParseFloat(string(c[3]), 64)
		for yy := int(y * px); yy < int((y+m)*px+0.5); yy++ {
			for xx := int(x * px); xx < int((x+m)*px+0.5); xx++ {
				img.Set(xx, yy, color.Black)
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the printed QR code does not decode: %v", err)
	}
	return res.GetText()
}

func TestStickerQRCodeOpensTheListing(t *testing.T) {
	url := "https://reparerer.bergen.kommune.no/reparator/skomaker-sondre?kilde=qr"
	s := Sticker{Mark: "Bergen Reparerer", Name: "Skomaker Søndre & Co <AS>", Headline: "Vi reparerer!",
		Scan: "Skann for åpningstider", URL: url, ShortURL: "reparerer.bergen.kommune.no"}
	svg, err := s.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeSVG(t, svg); got != url {
		t.Errorf("QR code opens %q, want %q", got, url)
	}
	if !bytes.Contains(svg, []byte("Skomaker Søndre &amp; Co &lt;AS&gt;")) {
		t.Error("the name is not in the SVG, escaped")
	}
	pdf, err := s.PDF()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/MediaBox [0 0 255.12 340.16]")) {
		t.Errorf("not a 90 × 120 mm PDF: %.200q", pdf)
	}
}

func TestPosterSizes(t *testing.T) {
	var groups []Group
	for g := 0; g < 6; g++ {
		grp := Group{Heading: "Sko, vesker og lær"}
		for i := 0; i < 12; i++ {
			grp.Entries = append(grp.Entries, Entry{Name: "Skomaker " + strconv.Itoa(i), Address: "Strandgaten 1, 5013 Bergen", Phone: "55 31 21 21"})
		}
		groups = append(groups, grp)
	}
	for _, size := range Sizes {
		p := Poster{Title: "Her kan du reparere i Årstad", Groups: groups, URL: "https://x.no/?district=arstad", Size: size}
		pdf, err := p.PDF()
		if err != nil {
			t.Fatal(err)
		}
		box := map[string]string{"A4": "/MediaBox [0 0 595.28 841.89]", "A3": "/MediaBox [0 0 841.89 1190.55]"}[size]
		if !bytes.Contains(pdf, []byte(box)) {
			t.Errorf("%s poster has no %s", size, box)
		}
		if pages := bytes.Count(pdf, []byte("/Type /Page\n")); pages < 2 && size == "A4" {
			t.Errorf("72 repairers on one A4 page (%d pages): the list is cut off", pages)
		}
	}
}

// Names outside cp1252 — Sámi, Cyrillic — are printed with their own
// letters: the PDF embeds a Unicode font (the CIDs of its text are the
// code points), where the core fonts printed a dot.
func TestStickerPrintsEveryName(t *testing.T) {
	s := Sticker{Mark: "Bergen Reparerer", Headline: "Vi reparerer / Reparer før du kaster", Name: "Čáhppes Ŋuolla Ŧ Дмитрий",
		URL: "https://reparerer.bergen.kommune.no/reparator/x?kilde=qr", ShortURL: "reparerer.bergen.kommune.no"}
	pdf, err := s.PDF()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(pdf, []byte("/FontFile2")) {
		t.Error("no embedded font")
	}
	var text []byte // every content stream, inflated
	for _, m := range regexp.MustCompile(`(?s)/FlateDecode[^>]*>>\nstream\n(.*?)\nendstream`).FindAllSubmatch(pdf, -1) {
		if r, err := zlib.NewReader(bytes.NewReader(m[1])); err == nil {
			b, _ := io.ReadAll(r)
			text = append(text, b...)
		}
	}
	for _, r := range "ČŋŦД" {
		if !bytes.Contains(text, []byte{byte(r >> 8), byte(r)}) {
			t.Errorf("%c (U+%04X) is not printed", r, r)
		}
	}
}
