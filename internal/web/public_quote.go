package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/quote"
	"github.com/bergenreparerer/reparerer/internal/web/form"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

// quoteBody is every step of a quote request's pages: the resident's
// request, its confirmation, the repairer's form, and the answer.
type quoteBody struct {
	// Step is request, confirm, answer or result; Heading and Notice
	// say where the request stands.
	Step, Heading, Notice, Lede string
	Listing                     view.Link
	Action, DeclineAction       string
	Token                       string
	// Values and Errors are the form's fields by input id.
	Values, Errors map[string]string
	Error          *form.Error
	Categories     []view.Option
	// The repairer's form.
	Summary                    []quote.Section
	Loaners, HandOver, Reasons []view.Check
	Ancillary                  []view.Check // Value is the service's kind
	// The result.
	Sections []quote.Section
	PDF      string
}

func newQuoteBody(lst *listing.Listing, step string) *quoteBody {
	return &quoteBody{Step: step, Listing: view.Link{Href: paths.Listing(lst.Slug), Text: lst.Name},
		Values: map[string]string{}, Errors: map[string]string{}}
}

// renderQuote writes a quote page; a quote page is never cached and
// sends no referrer: its address holds a token.
func (p *public) renderQuote(c *fiber.Ctx, status int, b *quoteBody) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	l := p.lang(c)
	return p.render(c, status, "quote", p.private(c, l, b.Heading, "", b))
}

// failed fills the form's error from a validation error and says
// whether err was one.
func (b *quoteBody) failed(l *i18n.Localizer, err error) bool {
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.CodeInvalidParameter || ae.Field == "" {
		return false
	}
	msg := l.T(ae.Key, ae.Args...)
	b.Errors[ae.Field] = msg
	b.Error = &form.Error{Field: ae.Field, Message: msg}
	return true
}

// quoteForm is "Be om pristilbud" on a listing that takes requests.
func (p *public) quoteForm(c *fiber.Ctx) error {
	lst, err := published(c, p.listings)
	if err != nil {
		return err
	}
	if !quote.Accepts(lst) {
		return errNoSuchPage
	}
	l := p.lang(c)
	b := newQuoteBody(lst, "request")
	if c.Query("sendt") == "1" {
		b.Step, b.Notice = "requested", l.T("quote.requested", "hours", l.Int(int(quote.ConfirmWithin.Hours())))
	}
	if len(lst.Categories) == 1 {
		b.Values["category"] = lst.Categories[0]
	}
	return p.renderQuoteRequest(c, fiber.StatusOK, l, lst, b)
}

func (p *public) renderQuoteRequest(c *fiber.Ctx, status int, l *i18n.Localizer, lst *listing.Listing, b *quoteBody) error {
	b.Heading, b.Lede, b.Action = l.T("quote.heading", "name", lst.Name), l.T("quote.lede"), paths.QuoteRequest(lst.Slug)
	b.Categories = []view.Option{{Slug: "", Name: l.T("quote.choose_category"), Selected: b.Values["category"] == ""}}
	for _, slug := range lst.Categories {
		if cat, ok := category.Lookup(slug); ok {
			b.Categories = append(b.Categories, view.Option{Slug: slug, Name: view.CategoryName(cat, l), Selected: slug == b.Values["category"]})
		}
	}
	return p.renderQuote(c, status, b)
}

func (p *public) quoteSubmit(c *fiber.Ctx) error {
	lst, err := published(c, p.listings)
	if err != nil {
		return err
	}
	if !quote.Accepts(lst) {
		return errNoSuchPage
	}
	sent := paths.QuoteRequest(lst.Slug) + "?sendt=1"
	if filledHoneypot(c) {
		p.log.Info("quote: dropped a robot's request")
		return c.Redirect(sent, fiber.StatusSeeOther)
	}
	l := p.lang(c)
	v := postValues(c)
	b := newQuoteBody(lst, "request")
	for _, k := range []string{"category", "brand", "model", "fault", "purchase_year", "email"} {
		b.Values[k] = v.Get(k)
	}
	r := quote.Request{Category: v.Get("category"), Brand: v.Get("brand"), Model: v.Get("model"), Fault: v.Get("fault"),
		Email: v.Get("email"), Lang: l.Lang}
	if year := strings.TrimSpace(v.Get("purchase_year")); year != "" {
		if r.PurchaseYear, err = strconv.Atoi(year); err != nil {
			r.PurchaseYear = -1 // Normalize refuses it
		}
	}
	err = r.Normalize(lst.Categories, p.now())
	if err == nil {
		err = p.quotes.Ask(c.UserContext(), lst, &r)
	}
	switch {
	case b.failed(l, err):
		return p.renderQuoteRequest(c, fiber.StatusBadRequest, l, lst, b)
	case apperr.Is(err, apperr.CodeRateLimited): // the repairer's requests for the day: said on the form
		b.Notice = l.T("err.quote.listing_busy")
		return p.renderQuoteRequest(c, fiber.StatusTooManyRequests, l, lst, b)
	case err != nil:
		return err
	}
	p.log.Info("quote: requested", "quote_id", r.ID, "category", r.Category)
	return c.Redirect(sent, fiber.StatusSeeOther)
}

// quoteConfirmPage shows the resident what the link sends, with the
// button that sends it: opening a link changes nothing, so a mail
// scanner that follows it sends no request.
func (p *public) quoteConfirmPage(c *fiber.Ctx) error {
	return p.quoteConfirmStep(c, false)
}

func (p *public) quoteConfirm(c *fiber.Ctx) error {
	return p.quoteConfirmStep(c, true)
}

func (p *public) quoteConfirmStep(c *fiber.Ctx, send bool) error {
	token := tokenOf(c)
	var (
		r   *quote.Request
		lst *listing.Listing
		err error
	)
	if send {
		r, lst, err = p.quotes.Confirm(c.UserContext(), token)
	} else {
		r, lst, err = p.quotes.Find(c.UserContext(), "confirm", token)
	}
	if err != nil {
		return err
	}
	l := p.lang(c)
	b := newQuoteBody(lst, "confirm")
	b.Heading, b.Action, b.Token = l.T("quote.confirm_heading", "name", lst.Name), paths.QuoteConfirmPage, token
	b.Summary = []quote.Section{quote.RequestSection(l, r)}
	if r.Status != quote.StatusUnconfirmed {
		b.Step = "result"
		b.Notice = l.T("quote.confirmed", "name", lst.Name, "days", l.Int(int(quote.AnswerWithin.Hours()/24)))
	} else {
		b.Lede = l.T("quote.confirm_lede", "name", lst.Name)
	}
	return p.renderQuote(c, fiber.StatusOK, b)
}

// tokenOf is a link's token: in the query of a link, in the form of a
// post.
func tokenOf(c *fiber.Ctx) string {
	if t := c.FormValue("t"); t != "" {
		return t
	}
	return c.Query("t")
}

// quoteAnswerForm is the repairer's European Repair Information Form,
// filled in from the listing where it says something.
func (p *public) quoteAnswerForm(c *fiber.Ctx) error {
	r, lst, err := p.quotes.Find(c.UserContext(), "repairer", tokenOf(c))
	if err != nil {
		return err
	}
	l := p.lang(c)
	b := newQuoteBody(lst, "answer")
	if r.Status == quote.StatusOpen {
		b.Values["good"] = quote.GoodOf(l, r)
		b.Values["binding_days"] = strconv.Itoa(quote.MinBindingDays)
		cond := lst.Conditions
		if len(cond.Where) > 0 {
			b.Values["hand_over"] = cond.Where[0]
		}
		switch {
		case cond.Loaner == "no":
			b.Values["loaner"] = "no"
		case cond.Loaner == "yes" && cond.LoanerCostNOK != nil && *cond.LoanerCostNOK == 0:
			b.Values["loaner"] = "free"
		case cond.Loaner == "yes" && cond.LoanerCostNOK != nil:
			b.Values["loaner"], b.Values["loaner_cost_nok"] = "paid", strconv.Itoa(*cond.LoanerCostNOK)
		}
		for kind, cost := range cond.Ancillary {
			if cost == "free" {
				b.Values["ancillary_"+kind] = "0"
			}
		}
	}
	return p.renderQuoteAnswer(c, fiber.StatusOK, l, r, lst, b)
}

func (p *public) renderQuoteAnswer(c *fiber.Ctx, status int, l *i18n.Localizer, r *quote.Request, lst *listing.Listing, b *quoteBody) error {
	b.Heading = l.T("quote.answer_heading")
	b.Summary = []quote.Section{quote.RequestSection(l, r)}
	switch {
	case r.Status != quote.StatusOpen:
		return p.renderQuoteResult(c, l, r, lst, b, "")
	case r.RepairerExpires == nil || !p.now().Before(*r.RepairerExpires):
		b.Step, b.Notice = "result", l.T("err.quote.expired")
		return p.renderQuote(c, fiber.StatusGone, b)
	}
	b.Lede = l.T("quote.answer_lede", "until", l.Date(*r.RepairerExpires), "days", l.Int(quote.MinBindingDays))
	b.Action, b.DeclineAction, b.Token = paths.QuoteAnswerPage, paths.QuoteDeclinePage, tokenOf(c)
	for _, v := range quote.Loaners {
		b.Loaners = append(b.Loaners, view.Check{Value: v, Label: l.T("quote.loaner." + v), Checked: b.Values["loaner"] == v})
	}
	for _, v := range listing.RepairPlaces {
		b.HandOver = append(b.HandOver, view.Check{Value: v, Label: l.T("conditions.where." + v), Checked: b.Values["hand_over"] == v})
	}
	for _, k := range listing.AncillaryKinds {
		b.Ancillary = append(b.Ancillary, view.Check{Value: k, Label: l.T("conditions.ancillary." + k)})
	}
	for _, v := range quote.DeclineReasons {
		b.Reasons = append(b.Reasons, view.Check{Value: v, Label: l.T("quote.reason." + v), Checked: b.Values["reason"] == v})
	}
	return p.renderQuote(c, status, b)
}

// quoteFields are the repairer's form's inputs.
var quoteFields = []string{"good", "defect", "repair", "price_nok", "price_method", "max_price_nok", "days", "loaner",
	"loaner_cost_nok", "hand_over", "binding_days", "note", "reason", "message",
	"ancillary_pickup", "ancillary_transport", "ancillary_installation", "ancillary_removal"}

func (p *public) quoteAnswer(c *fiber.Ctx) error {
	return p.quoteReply(c, func(v url.Values) (*quote.Request, error) {
		a := quote.Answer{Good: v.Get("good"), Defect: v.Get("defect"), Repair: v.Get("repair"), PriceMethod: v.Get("price_method"),
			Loaner: v.Get("loaner"), HandOver: v.Get("hand_over"), Note: v.Get("note")}
		var days, binding *int
		numbers := []struct {
			field string
			into  **int
		}{{"price_nok", &a.PriceNOK}, {"max_price_nok", &a.MaxPriceNOK}, {"loaner_cost_nok", &a.LoanerCostNOK},
			{"days", &days}, {"binding_days", &binding}}
		for _, n := range numbers {
			var ok bool
			if *n.into, ok = form.WholeNumber(v.Get(n.field)); !ok {
				return nil, apperr.Invalid(n.field, "form.error.whole_number")
			}
		}
		for _, kind := range listing.AncillaryKinds {
			cost, ok := form.WholeNumber(v.Get("ancillary_" + kind))
			if !ok {
				return nil, apperr.Invalid("ancillary_"+kind, "form.error.whole_number")
			}
			if cost != nil {
				a.Ancillary = append(a.Ancillary, quote.Ancillary{Kind: kind, CostNOK: *cost})
			}
		}
		if days != nil {
			a.Days = *days
		}
		bindingDays := 0
		if binding != nil {
			bindingDays = *binding
		}
		return p.quotes.Answer(c.UserContext(), tokenOf(c), a, bindingDays)
	})
}

func (p *public) quoteDecline(c *fiber.Ctx) error {
	return p.quoteReply(c, func(v url.Values) (*quote.Request, error) {
		return p.quotes.Decline(c.UserContext(), tokenOf(c), quote.Decline{Reason: v.Get("reason"), Message: v.Get("message")})
	})
}

// quoteReply runs the repairer's answer or decline; a form with errors
// comes back with them, a reply sent shows what was sent.
func (p *public) quoteReply(c *fiber.Ctx, reply func(url.Values) (*quote.Request, error)) error {
	r, lst, err := p.quotes.Find(c.UserContext(), "repairer", tokenOf(c))
	if err != nil {
		return err
	}
	l := p.lang(c)
	v := postValues(c)
	b := newQuoteBody(lst, "answer")
	for _, k := range quoteFields {
		b.Values[k] = v.Get(k)
	}
	done, err := reply(v)
	switch {
	case b.failed(l, err):
		return p.renderQuoteAnswer(c, fiber.StatusBadRequest, l, r, lst, b)
	case err != nil:
		return err
	}
	p.log.Info("quote: answered", "quote_id", done.ID, "status", done.Status)
	return p.renderQuoteResult(c, l, done, lst, b, l.T("quote.sent_to_resident"))
}

// renderQuoteResult shows where a request ended, with the form when it
// was answered.
func (p *public) renderQuoteResult(c *fiber.Ctx, l *i18n.Localizer, r *quote.Request, lst *listing.Listing, b *quoteBody, notice string) error {
	b.Step, b.Notice = "result", notice
	switch r.Status {
	case quote.StatusAnswered:
		b.Sections = quote.FormSections(l, r)
		if b.Notice == "" {
			b.Notice = l.T("quote.status.answered", "until", l.Date(r.Answer.ValidUntil))
		}
	case quote.StatusDeclined:
		b.Notice = l.T("quote.status.declined", "reason", l.T("quote.reason."+r.Decline.Reason))
		if r.Decline.Message != "" {
			b.Lede = r.Decline.Message
		}
	case quote.StatusExpired:
		b.Notice = l.T("quote.status.expired")
	default:
		b.Notice = l.T("quote.status.open", "name", lst.Name)
	}
	return p.renderQuote(c, fiber.StatusOK, b)
}

// quoteView is the resident's private page: the request and its answer.
func (p *public) quoteView(c *fiber.Ctx) error {
	r, lst, err := p.quotes.Find(c.UserContext(), "resident", tokenOf(c))
	if err != nil {
		return err
	}
	l := p.lang(c)
	b := newQuoteBody(lst, "result")
	b.Heading = l.T("quote.view_heading", "name", lst.Name)
	b.Summary = []quote.Section{quote.RequestSection(l, r)}
	if r.Status == quote.StatusAnswered {
		b.PDF = paths.WithLang(paths.QuotePDF(tokenOf(c)), string(l.Lang))
	}
	return p.renderQuoteResult(c, l, r, lst, b, "")
}

// quotePDF is the answered form as a PDF.
func (p *public) quotePDF(c *fiber.Ctx) error {
	r, _, err := p.quotes.Find(c.UserContext(), "resident", tokenOf(c))
	if err != nil {
		return err
	}
	if r.Status != quote.StatusAnswered {
		return errNoSuchPage
	}
	l := p.lang(c)
	pdf, err := quote.FormPDF(l, r)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+l.T("quote.pdf_name")+`.pdf"`)
	return c.Send(pdf)
}
