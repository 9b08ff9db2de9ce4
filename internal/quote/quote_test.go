package quote

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/i18n"
)

func intp(n int) *int { return &n }

// An answer must say what Annex I asks: the defect and the repair, a
// price or how it is calculated with a maximum (never both), the time,
// the replacement good and where the good is handed over, and bind the
// repairer for at least 30 days.
func TestAnswersFollowAnnexI(t *testing.T) {
	good := func() Answer {
		return Answer{Good: "Ecco Soft 7", Defect: "Sålen har sluppet", Repair: "Ny såle", PriceNOK: intp(650), Days: 3,
			Loaner: "no", HandOver: "in_shop", Ancillary: []Ancillary{{Kind: "transport", CostNOK: 150}}}
	}
	if a := good(); a.Normalize(30) != nil {
		t.Fatalf("a good answer refused: %v", a.Normalize(30))
	}
	cases := map[string]struct {
		change  func(*Answer)
		binding int
		field   string
	}{
		"no defect":          {func(a *Answer) { a.Defect = " " }, 30, "defect"},
		"price and method":   {func(a *Answer) { a.PriceMethod, a.MaxPriceNOK = "timepris", intp(900) }, 30, "price_nok"},
		"method, no maximum": {func(a *Answer) { a.PriceNOK, a.PriceMethod = nil, "timepris" }, 30, "price_nok"},
		"negative price":     {func(a *Answer) { a.PriceNOK = intp(-1) }, 30, "price_nok"},
		"no days":            {func(a *Answer) { a.Days = 0 }, 30, "days"},
		"paid loaner free":   {func(a *Answer) { a.Loaner = "paid" }, 30, "loaner_cost_nok"},
		"cost of no loaner":  {func(a *Answer) { a.LoanerCostNOK = intp(100) }, 30, "loaner_cost_nok"},
		"hand over on moon":  {func(a *Answer) { a.HandOver = "moon" }, 30, "hand_over"},
		"29 days binding":    {func(a *Answer) {}, 29, "binding_days"},
		"ancillary twice":    {func(a *Answer) { a.Ancillary = append(a.Ancillary, Ancillary{Kind: "transport"}) }, 30, "ancillary_transport"},
		"control characters": {func(a *Answer) { a.Note = "hei\x00" }, 30, "note"},
	}
	for name, c := range cases {
		a := good()
		c.change(&a)
		var ae *apperr.Error
		if err := a.Normalize(c.binding); err == nil || !asAppErr(err, &ae) || ae.Field != c.field {
			t.Errorf("%s: %v, want a problem with %s", name, err, c.field)
		}
	}
	method := good()
	method.PriceNOK, method.PriceMethod, method.MaxPriceNOK = nil, "Timepris 600 kr", intp(1800)
	if err := method.Normalize(180); err != nil {
		t.Errorf("a method with a maximum: %v", err)
	}
}

func asAppErr(err error, into **apperr.Error) bool { return errors.As(err, into) }

// The statistics count per category and district, with medians of the
// time to answer and of the price quoted (per category only), and the
// reasons for declining.
func TestStatsCountAndTakeMedians(t *testing.T) {
	outs := []Outcome{
		{Category: "sko", District: "bergenhus", Outcome: "answered", MinutesToAnswer: intp(60), PriceNOK: intp(500)},
		{Category: "sko", District: "bergenhus", Outcome: "answered", MinutesToAnswer: intp(180), PriceNOK: intp(700)},
		{Category: "sko", District: "arna", Outcome: "answered", MinutesToAnswer: intp(600), PriceNOK: intp(900)},
		{Category: "sko", District: "arna", Outcome: "declined", MinutesToAnswer: intp(30), DeclineReason: "not_repairable"},
		{Category: "klaer", District: "arna", Outcome: "expired"},
		{Category: "klaer", District: "arna", Outcome: "open"},
	}
	var st Stats
	st.Total = group("", outs, false)
	st.Categories = groups(outs, func(o Outcome) string { return o.Category }, true)
	if st.Total.Requests != 6 || st.Total.Answered != 3 || st.Total.Declined != 1 || st.Total.Expired != 1 || st.Total.Open != 1 {
		t.Errorf("total: %+v", st.Total)
	}
	sko := st.Categories[0]
	if sko.Key != "sko" || sko.Requests != 4 || *sko.MedianPriceNOK != 700 || *sko.MedianHoursToAnswer != 1 {
		t.Errorf("sko: %+v (median price %v, hours %v)", sko, *sko.MedianPriceNOK, *sko.MedianHoursToAnswer)
	}
	if st.Total.MedianPriceNOK != nil || st.Categories[1].MedianHoursToAnswer != nil {
		t.Errorf("a median across categories, or of nothing: %+v %+v", st.Total, st.Categories[1])
	}
}

// The form prints as a PDF in the resident's language, every part of
// Annex I in it.
func TestFormPrints(t *testing.T) {
	messages, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	r := &Request{Category: "sko", Brand: "Ecco", Fault: "Sålen", Status: StatusAnswered, CreatedAt: at,
		Answer: &Answer{Repairer: Repairer{Name: "Skomaker Sentrum", Address: "Torgallmenningen 1, 5014 Bergen"}, Good: "Ecco",
			Defect: "Sålen har sluppet", Repair: "Ny såle", PriceMethod: "Timepris", MaxPriceNOK: intp(1200), Days: 2, Loaner: "paid",
			LoanerCostNOK: intp(50), HandOver: "by_post", AnsweredAt: at, ValidUntil: at.AddDate(0, 0, 30)}}
	for _, lang := range i18n.Langs {
		loc := messages.For(lang)
		sections := FormSections(loc, r)
		if len(sections) != 4 {
			t.Fatalf("%s: %d sections", lang, len(sections))
		}
		for _, s := range sections {
			for _, row := range s.Rows {
				if strings.HasPrefix(row.Label, "quote.") || strings.HasPrefix(row.Value, "quote.") || strings.HasPrefix(row.Value, "conditions.") {
					t.Errorf("%s: an untranslated label %q", lang, row.Label)
				}
			}
		}
		pdf, err := FormPDF(loc, r)
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Errorf("%s: %v %.8q", lang, err, pdf)
		}
	}
}
