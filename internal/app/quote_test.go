package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/quote"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

const shopEmail = "verksted@skomaker.test"

// quoteShop is a cobbler that takes quote requests.
func (e *env) quoteShop() *listing.Listing {
	e.t.Helper()
	shop := place("Skomaker Sentrum", torgallmenningen, []string{"sko", "klaer"}, "Mo-Fr 10:00-17:00")
	shop.Email, shop.OrgNumber = shopEmail, "923609016"
	shop.Conditions = listing.Conditions{QuoteRequests: "yes", Where: []string{"in_shop", "by_post"}, Loaner: "no",
		Ancillary: map[string]string{"transport": "paid"}}
	return e.create(shop)
}

var quoteLink = regexp.MustCompile(`http://localhost:8080(/pristilbud/[a-z.]+\?t=[A-Za-z0-9_-]+(?:&lang=en)?)`)

// linkIn is the quote link of an e-mail, the nth if there are several.
func linkIn(t *testing.T, m testenv.Mail, n int) string {
	t.Helper()
	all := quoteLink.FindAllStringSubmatch(m.Text, -1)
	if len(all) <= n {
		t.Fatalf("no link %d in the e-mail %q: %s", n, m.Subject, m.Text)
	}
	return all[n][1]
}

// askForQuote fills in "Be om pristilbud" as a resident and confirms the
// request from the e-mail; it returns the repairer's e-mail.
func (e *env) askForQuote(v *visitor, shop *listing.Listing, email, lang string) testenv.Mail {
	e.t.Helper()
	t := e.t
	suffix := ""
	if lang == "en" {
		suffix = "?lang=en"
	}
	form := v.get(paths.QuoteRequest(shop.Slug) + suffix)
	if form.Status != 200 {
		t.Fatalf("the request form: %d", form.Status)
	}
	before := len(e.mail.All())
	sent := v.post(paths.QuoteRequest(shop.Slug)+suffix, url.Values{"_csrf": {csrfOf(t, form)}, "category": {"sko"},
		"brand": {"Ecco"}, "model": {"Soft 7"}, "fault": {"Sålen har løsnet foran"}, "purchase_year": {"2021"}, "email": {email}})
	if sent.Status != 303 || !strings.HasSuffix(sent.Location, "?sendt=1") {
		t.Fatalf("the request: %d %s %.400s", sent.Status, sent.Location, sent.Body)
	}
	confirm := e.mail.WaitFor(t, email)
	for _, m := range e.mail.All()[before:] {
		if m.To == shopEmail {
			t.Fatal("the repairer was e-mailed before the resident confirmed")
		}
	}
	link := linkIn(t, confirm, 0)
	opened := v.get(link)
	if opened.Status != 200 || !strings.Contains(opened.Body, "Ecco Soft 7") {
		t.Fatalf("the confirmation page: %d %.400s", opened.Status, opened.Body)
	}
	if n := len(e.mail.All()); n != before+1 {
		t.Fatalf("opening the confirmation link sent %d e-mails; a link scanner must send nothing", n-before-1)
	}
	done := v.post(paths.QuoteConfirmPage+suffix, url.Values{"_csrf": {csrfOf(t, opened)}, "t": {tokenIn(t, link)}})
	if done.Status != 200 {
		t.Fatalf("confirming: %d %.400s", done.Status, done.Body)
	}
	return e.mail.WaitFor(t, shopEmail)
}

func tokenIn(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("t")
}

// A resident asks for the European Repair Information Form, confirms by
// e-mail; the repairer fills it in through a single-use link; the
// resident gets it as a PDF and on a private page — in both languages,
// through the real SMTP server of the tests.
func TestQuoteRequestAnsweredOnTheEuropeanForm(t *testing.T) {
	e := start(t, setup{})
	shop := e.quoteShop()
	e.waitIndexed()
	page := e.visitor().get(paths.Listing(shop.Slug))
	if !strings.Contains(page.Body, `href="`+paths.QuoteRequest(shop.Slug)+`"`) {
		t.Fatal("the listing page does not offer a quote request")
	}
	words := map[string][]string{
		"nb": {"Be om pristilbud fra Skomaker Sentrum", "Pristilbud fra Skomaker Sentrum", "Europeisk skjema for reparasjonsopplysninger", "650 kr"},
		"en": {"Ask Skomaker Sentrum for a quote", "Quote from Skomaker Sentrum", "European Repair Information Form", "NOK 650"},
	}
	for _, lang := range []string{"nb", "en"} {
		t.Run(lang, func(t *testing.T) {
			w := words[lang]
			resident := e.visitor()
			email := "beboer-" + lang + "@example.test"
			if form := resident.get(paths.QuoteRequest(shop.Slug) + "?lang=" + lang); !strings.Contains(form.Body, w[0]) {
				t.Fatalf("the form in %s: %.300s", lang, form.Body)
			}
			toRepairer := e.askForQuote(resident, shop, email, lang)
			if strings.Contains(toRepairer.Text, email) || !strings.Contains(toRepairer.Text, "Sålen har løsnet foran") {
				t.Errorf("the repairer's e-mail must carry the fault and not the resident's address: %s", toRepairer.Text)
			}

			repairer := e.visitor()
			answerLink := linkIn(t, toRepairer, 0) // the bokmål part's link
			form := repairer.get(answerLink)
			if form.Status != 200 || !strings.Contains(form.Body, `name="defect"`) {
				t.Fatalf("the repairer's form: %d %.300s", form.Status, form.Body)
			}
			fields := url.Values{"_csrf": {csrfOf(t, form)}, "t": {tokenIn(t, answerLink)}, "good": {"Ecco Soft 7, str. 42"},
				"defect": {"Sålen har sluppet i tuppen"}, "repair": {"Ny såle, limt og sydd"}, "days": {"3"}, "loaner": {"no"},
				"hand_over": {"in_shop"}, "ancillary_transport": {"150"}, "binding_days": {"30"}}
			fields.Set("price_method", "Timepris 600 kr")
			if bad := repairer.post(paths.QuoteAnswerPage, fields); bad.Status != 400 || !strings.Contains(bad.Body, `aria-invalid="true"`) {
				t.Fatalf("an answer without a maximum price: %d, want 400 naming the field: %s", bad.Status, bad.Body)
			}
			fields.Del("price_method")
			fields.Set("price_nok", "650")
			answered := repairer.post(paths.QuoteAnswerPage, fields)
			if answered.Status != 200 || !strings.Contains(answered.Body, "Ny såle, limt og sydd") {
				t.Fatalf("answering: %d %.400s", answered.Status, answered.Body)
			}
			if again := repairer.post(paths.QuoteAnswerPage, fields); again.Status != 409 {
				t.Errorf("the link used twice: %d, want 409", again.Status)
			}

			result := e.mail.WaitFor(t, email)
			if !strings.Contains(result.Subject, w[1]) || len(result.Attachments) != 1 {
				t.Fatalf("the resident's e-mail: %q with %d attachments", result.Subject, len(result.Attachments))
			}
			pdf := result.Attachments[0]
			if pdf.ContentType != "application/pdf" || !bytes.HasPrefix(pdf.Data, []byte("%PDF-")) || !strings.HasSuffix(pdf.Name, ".pdf") {
				t.Errorf("the attachment: %s %q %.8q", pdf.ContentType, pdf.Name, pdf.Data)
			}
			viewLink := linkIn(t, result, 0)
			view := resident.get(viewLink)
			for _, want := range []string{w[2], w[3], "Ecco Soft 7, str. 42", "923609016", "Sålen har løsnet foran"} {
				if !strings.Contains(view.Body, want) {
					t.Errorf("the private page lacks %q", want)
				}
			}
			if view.Header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(view.Header.Get("Cache-Control"), "no-store") {
				t.Errorf("the private page may leak its address: %v", view.Header)
			}
			if !strings.Contains(view.Body, "noindex") {
				t.Error("the private page may be indexed")
			}
			download := resident.get(strings.Replace(viewLink, "/skjema?", "/skjema.pdf?", 1))
			if download.Status != 200 || download.Header.Get("Content-Type") != "application/pdf" {
				t.Errorf("the PDF: %d %s", download.Status, download.Header.Get("Content-Type"))
			}
		})
	}
	rows, err := csv.NewReader(strings.NewReader(e.visitor().get(paths.OpenDataCSV).Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	column := slices.Index(rows[0], "quote_requests")
	if column < 0 || !slices.ContainsFunc(rows[1:], func(r []string) bool { return r[1] == shop.Slug && r[column] == "yes" }) {
		t.Errorf("the open data does not say the shop takes quote requests (column %d)", column)
	}
	if a := e.visitor().get(paths.QuoteView("not-a-token")); a.Status != 404 {
		t.Errorf("a made-up link: %d, want 404", a.Status)
	}
	stats := e.adminVisitor().get(paths.AdminStats)
	for _, want := range []string{"Forespørsler om pristilbud", "100 %", "650 kr"} {
		if !strings.Contains(stats.Body, want) {
			t.Errorf("the statistics lack %q", want)
		}
	}
	if strings.Contains(stats.Body, "beboer-nb@example.test") || strings.Contains(stats.Body, "Sålen har løsnet") {
		t.Error("the statistics show personal data")
	}
}

// A repairer may decline with a reason; one that does not answer in time
// is closed for them, and the resident is told either way. Requests and
// answers are deleted after their retention; the statistics keep counts.
func TestQuoteRequestDeclinedExpiredAndDeleted(t *testing.T) {
	e := start(t, setup{})
	shop := e.quoteShop()
	ctx := context.Background()

	if bad := e.visitor().post(paths.QuoteRequest(shop.Slug), url.Values{"category": {"sko"}, "fault": {"x"}, "email": {"x@example.test"}}); bad.Status != 403 {
		t.Errorf("a request without a CSRF token: %d, want 403", bad.Status)
	}
	declined := e.askForQuote(e.visitor(), shop, "a@example.test", "nb")
	repairer := e.visitor()
	link := linkIn(t, declined, 0)
	form := repairer.get(link)
	if bad := repairer.post(paths.QuoteDeclinePage, url.Values{"_csrf": {csrfOf(t, form)}, "t": {tokenIn(t, link)}, "reason": {"other"}}); bad.Status != 400 {
		t.Errorf("declining with \"other\" and no message: %d, want 400", bad.Status)
	}
	done := repairer.post(paths.QuoteDeclinePage, url.Values{"_csrf": {csrfOf(t, form)}, "t": {tokenIn(t, link)}, "reason": {"not_repairable"}})
	if done.Status != 200 {
		t.Fatalf("declining: %d %.300s", done.Status, done.Body)
	}
	told := e.mail.WaitFor(t, "a@example.test")
	if !strings.Contains(told.Text, "Tingen kan ikke repareres") || !strings.Contains(told.Text, "/?category=sko") {
		t.Errorf("the decline e-mail: %s", told.Text)
	}

	unanswered := e.askForQuote(e.visitor(), shop, "b@example.test", "en")
	start := e.clock.Now()
	e.clock.Set(start.Add(quote.AnswerWithin + time.Hour))
	if late := e.visitor().get(linkIn(t, unanswered, 0)); late.Status != 410 {
		t.Errorf("the repairer's link after %v: %d, want 410", quote.AnswerWithin, late.Status)
	}
	if err := e.app.Quotes.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	expired := e.mail.WaitFor(t, "b@example.test")
	if !strings.Contains(expired.Subject, "No answer from Skomaker Sentrum") {
		t.Errorf("the expiry e-mail: %q", expired.Subject)
	}
	// Never confirmed: gone after a day.
	v := e.visitor()
	form = v.get(paths.QuoteRequest(shop.Slug))
	v.post(paths.QuoteRequest(shop.Slug), url.Values{"_csrf": {csrfOf(t, form)}, "category": {"sko"}, "fault": {"Hælen"}, "email": {"c@example.test"}})
	unconfirmed := linkIn(t, e.mail.WaitFor(t, "c@example.test"), 0)
	e.clock.Set(e.clock.Now().Add(quote.ConfirmWithin + time.Minute))
	if err := e.app.Quotes.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if a := v.get(unconfirmed); a.Status != 404 {
		t.Errorf("an unconfirmed request after %v: %d, want 404 (deleted)", quote.ConfirmWithin, a.Status)
	}
	before, err := e.app.Store.QuoteOutcomes(ctx, start.AddDate(-1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(start.Add(quote.AnswerWithin + quote.Retention + 48*time.Hour))
	if err := e.app.Quotes.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if a := e.visitor().get(linkIn(t, told, 0)); a.Status != 404 {
		t.Errorf("a declined request after its retention: %d, want 404 (deleted)", a.Status)
	}
	after, err := e.app.Store.QuoteOutcomes(ctx, start.AddDate(-1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != 2 || len(after) != 2 || after[0].Outcome == after[1].Outcome {
		t.Errorf("the statistics before and after deleting: %+v %+v, want one declined and one expired both times", before, after)
	}
}

// The spam defences of the report form hold: a robot filling the hidden
// field is thanked and nothing is sent; one address gets at most three
// confirmation e-mails an hour (and is answered as usual after); a client
// at most five requests in ten minutes.
func TestQuoteRequestLimits(t *testing.T) {
	e := start(t, setup{trustedProxies: "127.0.0.1/32"}) // a proxy may name other clients
	shop := e.quoteShop()
	v := e.visitor()
	ask := func(email, honeypot string) answer {
		form := v.get(paths.QuoteRequest(shop.Slug))
		return v.post(paths.QuoteRequest(shop.Slug), url.Values{"_csrf": {csrfOf(t, form)}, "category": {"sko"},
			"fault": {"Glidelåsen"}, "email": {email}, "website": {honeypot}})
	}
	if a := ask("robot@example.test", "http://spam.test"); a.Status != 303 {
		t.Errorf("a robot: %d, want 303 as if sent", a.Status)
	}
	for i := 0; i < 4; i++ {
		if a := ask("same@example.test", ""); a.Status != 303 {
			t.Fatalf("request %d: %d", i+1, a.Status)
		}
	}
	// Each e-mail is sent before its request is answered: all are in.
	counts := map[string]int{}
	for _, m := range e.mail.All() {
		counts[m.To]++
	}
	if counts["robot@example.test"] != 0 || counts["same@example.test"] != quotesPerAddress {
		t.Errorf("e-mails sent: %v, want none to the robot and %d to one address", counts, quotesPerAddress)
	}
	if a := ask("other@example.test", ""); a.Status != 429 {
		t.Errorf("the sixth request in ten minutes from one client: %d, want 429", a.Status)
	}

	// A repairer gets at most MaxConfirmedPerDay requests a day; only
	// confirmed ones count.
	ctx := context.Background()
	now := e.clock.Now()
	for i := 0; i < quote.MaxConfirmedPerDay; i++ {
		r := &quote.Request{ListingID: shop.ID, District: shop.District, Category: "sko", Fault: "x", Email: "x@example.test",
			Lang: "nb", Status: quote.StatusUnconfirmed, CreatedAt: now, DeleteAfter: now.Add(time.Hour)}
		if err := e.app.Store.CreateQuote(ctx, r, "confirm-"+r.Fault+strings.Repeat("x", i)); err != nil {
			t.Fatal(err)
		}
		if err := e.app.Store.ConfirmQuote(ctx, r.ID, "repairer-"+strings.Repeat("x", i), now, now.Add(time.Hour), now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	other := e.visitor() // another client, behind the proxy
	form := other.get(paths.QuoteRequest(shop.Slug))
	req, err := http.NewRequest("POST", e.base+paths.QuoteRequest(shop.Slug), strings.NewReader(url.Values{"_csrf": {csrfOf(t, form)},
		"category": {"sko"}, "fault": {"Glidelåsen"}, "email": {"late@example.test"}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	busy := other.do(req)
	if busy.Status != 429 || !strings.Contains(busy.Body, "mange forespørsler i dag") {
		t.Errorf("request %d of the day: %d, want 429 saying so: %s", quote.MaxConfirmedPerDay+1, busy.Status, busy.Body)
	}
}

// quotesPerAddress is the web layer's bound, as a resident meets it.
const quotesPerAddress = 3
