// Package quote is quote requests on the European Repair Information
// Form (Directive (EU) 2024/1799, Article 4 and Annex I). A resident asks
// a repairer that accepts them about one good and confirms their e-mail
// address; the repairer fills the form in through a link that works for
// that request only and for a limited time, or declines with a reason;
// the resident gets the form by e-mail as a PDF and on a private page.
// Neither side needs an account. Requests are deleted after Retention;
// the municipality sees only counts and medians (Stats).
package quote

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Status is where a request stands.
type Status string

// The statuses, in the order a request passes them.
const (
	// StatusUnconfirmed: the resident has not yet confirmed the address;
	// the repairer knows nothing of it.
	StatusUnconfirmed Status = "unconfirmed"
	// StatusOpen: with the repairer, whose link works until it expires.
	StatusOpen     Status = "open"
	StatusAnswered Status = "answered"
	StatusDeclined Status = "declined"
	// StatusExpired: the repairer did not answer in time.
	StatusExpired Status = "expired"
)

// How long each part lasts; docs/PRIVACY.md says the same to the public.
const (
	// ConfirmWithin: an unconfirmed request is deleted after this.
	ConfirmWithin = 24 * time.Hour
	// AnswerWithin: the repairer's link works this long after the
	// resident confirmed.
	AnswerWithin = 14 * 24 * time.Hour
	// Retention: a closed request is deleted this long after it closed,
	// or after the form stops binding the repairer, whichever is later.
	Retention = 90 * 24 * time.Hour
	// MinBindingDays is the least the form binds the repairer (Article
	// 4(5): 30 days, unless the two agree otherwise); MaxBindingDays the
	// most the form here offers.
	MinBindingDays = 30
	MaxBindingDays = 180
)

// Bounds of the texts, in characters, and of the numbers.
const (
	MaxShort    = 80   // brand, model
	MaxText     = 2000 // the fault, the defect, the repair proposed
	MaxNote     = 1000
	MaxPriceNOK = 1_000_000
	MaxDays     = 365
)

// Request is one resident's request for the form.
type Request struct {
	ID        string
	ListingID string
	// District is the listing's, kept for the statistics.
	District string
	// The good and its fault, as the resident describes them.
	Category, Brand, Model, Fault string
	PurchaseYear                  int // 0: not given
	// Email is where the answer goes; Lang the language it is written in.
	Email  string
	Lang   i18n.Lang
	Status Status
	// Answer or Decline is set once the repairer has answered.
	Answer  *Answer
	Decline *Decline
	// MailDue is the e-mail still owed (MailRepairer, MailResident, ""):
	// one that could not be sent when due is sent by Sweep.
	MailDue string
	// RepairerExpires is when the repairer's link stops working.
	RepairerExpires *time.Time
	CreatedAt       time.Time
	ConfirmedAt     *time.Time
	ClosedAt        *time.Time
	DeleteAfter     time.Time
}

// The e-mails a request may owe.
const (
	MailRepairer = "repairer"
	MailResident = "resident"
)

// Answer is the European Repair Information Form as the repairer filled
// it in; the letters are Annex I's points.
type Answer struct {
	// (a)–(c) the repairer's identity, address and contact, as the
	// listing said when the form was filled in.
	Repairer Repairer `json:"repairer"`
	// (d) the good to be repaired.
	Good string `json:"good"`
	// (e) the nature of the defect and the type of repair proposed.
	Defect string `json:"defect"`
	Repair string `json:"repair"`
	// (f) the price, or, where it cannot reasonably be calculated in
	// advance, how it is calculated and the maximum price.
	PriceNOK    *int   `json:"price_nok,omitempty"`
	PriceMethod string `json:"price_method,omitempty"`
	MaxPriceNOK *int   `json:"max_price_nok,omitempty"`
	// (g) the time needed to complete the repair, in working days.
	Days int `json:"days"`
	// (h) a temporary replacement good during the repair: no, free or
	// paid, and its cost.
	Loaner        string `json:"loaner"`
	LoanerCostNOK *int   `json:"loaner_cost_nok,omitempty"`
	// (i) where the consumer hands the good over (listing.RepairPlaces).
	HandOver string `json:"hand_over"`
	// (j) ancillary services offered, and their cost (0: included).
	Ancillary []Ancillary `json:"ancillary,omitempty"`
	Note      string      `json:"note,omitempty"`
	// The form binds the repairer from AnsweredAt until ValidUntil.
	AnsweredAt time.Time `json:"answered_at"`
	ValidUntil time.Time `json:"valid_until"`
}

// Repairer is who answered, as the listing said.
type Repairer struct {
	Name      string `json:"name"`
	OrgNumber string `json:"org_number,omitempty"`
	Address   string `json:"address"`
	Phone     string `json:"phone,omitempty"`
	Email     string `json:"email,omitempty"`
	Website   string `json:"website,omitempty"`
}

// Ancillary is one ancillary service and its cost.
type Ancillary struct {
	Kind    string `json:"kind"` // listing.AncillaryKinds
	CostNOK int    `json:"cost_nok"`
}

// Loaners are the answers about a temporary replacement good.
var Loaners = []string{"no", "free", "paid"}

// Decline is a repairer's no, with its reason.
type Decline struct {
	Reason  string `json:"reason"` // DeclineReasons
	Message string `json:"message,omitempty"`
}

// DeclineReasons a repairer may give, in the order the form offers them.
// The municipality counts them per category: "cannot be repaired" and
// "not a good we repair" say where repair is missing.
var DeclineReasons = []string{"not_repairable", "not_our_goods", "no_parts", "not_worth_it", "too_busy", "other"}

// Store keeps requests. Every token is kept as its hash (auth.Hash).
type Store interface {
	CreateQuote(ctx context.Context, r *Request, confirmHash string) error
	// QuoteByToken finds the request a token of kind ("confirm",
	// "repairer", "resident") belongs to; apperr not found otherwise.
	QuoteByToken(ctx context.Context, kind, hash string) (*Request, error)
	// ConfirmQuote moves an unconfirmed request to open, with the
	// repairer's token, and owes the repairer's e-mail.
	ConfirmQuote(ctx context.Context, id, repairerHash string, at, expires, deleteAfter time.Time) error
	// CloseQuote moves an open request to answered, declined or expired,
	// with a resident's token, owes the resident's e-mail, and records
	// its outcome for the statistics, in one transaction. A request no
	// longer open is apperr conflict: a link answers once.
	CloseQuote(ctx context.Context, r *Request, residentHash string, out Outcome) error
	// SetQuoteMail sets the e-mail owed; a new token hash replaces the
	// one of that e-mail's link (kind "repairer" or "resident").
	SetQuoteMail(ctx context.Context, id, due, kind, hash string) error
	// QuotesOwingMail are requests whose e-mail is still owed.
	QuotesOwingMail(ctx context.Context, limit int) ([]*Request, error)
	// ExpiredQuotes are open requests whose repairer's link expired.
	ExpiredQuotes(ctx context.Context, now time.Time, limit int) ([]*Request, error)
	// DeleteQuotes deletes requests past their DeleteAfter.
	DeleteQuotes(ctx context.Context, now time.Time) (int, error)
	// ConfirmedQuotesSince counts a listing's confirmed requests.
	ConfirmedQuotesSince(ctx context.Context, listingID string, since time.Time) (int, error)
	// QuoteOutcomes are the outcomes recorded since a time, and the
	// requests open now (Outcome "open"); no personal data.
	QuoteOutcomes(ctx context.Context, since time.Time) ([]Outcome, error)
}

// Outcome is what the statistics keep of a request: no address, no text,
// no listing.
type Outcome struct {
	Month    string // "2026-11", when it was asked
	Category string
	District string
	// Outcome is answered, declined, expired, or open.
	Outcome string
	// MinutesToAnswer: from confirmation to the repairer's answer or
	// decline.
	MinutesToAnswer *int
	// PriceNOK is the price quoted, or the maximum when the price is
	// calculated as the repair goes.
	PriceNOK      *int
	DeclineReason string
}

// Normalize trims a resident's request and checks every field; the error
// names the first bad field. categories are those the listing repairs.
func (r *Request) Normalize(categories []string, now time.Time) error {
	r.Category, r.Brand, r.Model = strings.TrimSpace(r.Category), strings.TrimSpace(r.Brand), strings.TrimSpace(r.Model)
	r.Fault = strings.TrimSpace(r.Fault)
	if !slices.Contains(categories, r.Category) {
		return apperr.Invalid("category", "err.quote.category")
	}
	for _, f := range []struct {
		field, value string
		max          int
		required     bool
	}{{"brand", r.Brand, MaxShort, false}, {"model", r.Model, MaxShort, false}, {"fault", r.Fault, MaxText, true}} {
		if err := checkText(f.field, f.value, f.max, f.required); err != nil {
			return err
		}
	}
	if r.PurchaseYear != 0 && (r.PurchaseYear < 1900 || r.PurchaseYear > now.Year()) {
		return apperr.Invalid("purchase_year", "err.quote.purchase_year")
	}
	email, ok := listing.NormalizeEmail(strings.TrimSpace(r.Email))
	if !ok || len(email) > 254 {
		return apperr.Invalid("email", "err.quote.email")
	}
	r.Email = email
	return nil
}

// checkText checks one free text: present when required, not too long,
// no control characters but line breaks and tabs.
func checkText(field, value string, max int, required bool) error {
	switch {
	case required && value == "":
		return apperr.Invalid(field, "err.quote.missing")
	case !utf8.ValidString(value) || utf8.RuneCountInString(value) > max:
		return apperr.Invalid(field, "err.quote.too_long", "max", max)
	case strings.ContainsFunc(value, func(c rune) bool { return unicode.IsControl(c) && c != '\n' && c != '\r' && c != '\t' }):
		return apperr.Invalid(field, "err.quote.control_characters")
	}
	return nil
}

// Normalize trims the repairer's answer and checks it against Annex I:
// the defect and the repair proposed, a price or a method with its
// maximum, the time needed, the replacement good and where the good is
// handed over are required; bindingDays is how long it binds.
func (a *Answer) Normalize(bindingDays int) error {
	a.Good, a.Defect, a.Repair = strings.TrimSpace(a.Good), strings.TrimSpace(a.Defect), strings.TrimSpace(a.Repair)
	a.PriceMethod, a.Note = strings.TrimSpace(a.PriceMethod), strings.TrimSpace(a.Note)
	for _, f := range []struct {
		field, value string
		max          int
		required     bool
	}{{"good", a.Good, MaxText, true}, {"defect", a.Defect, MaxText, true}, {"repair", a.Repair, MaxText, true},
		{"price_method", a.PriceMethod, MaxText, false}, {"note", a.Note, MaxNote, false}} {
		if err := checkText(f.field, f.value, f.max, f.required); err != nil {
			return err
		}
	}
	switch {
	case a.PriceNOK != nil && (a.PriceMethod != "" || a.MaxPriceNOK != nil):
		return apperr.Invalid("price_nok", "err.quote.price_either")
	case a.PriceNOK == nil && (a.PriceMethod == "" || a.MaxPriceNOK == nil):
		return apperr.Invalid("price_nok", "err.quote.price_missing")
	case !inRange(a.PriceNOK, 0, MaxPriceNOK) || !inRange(a.MaxPriceNOK, 1, MaxPriceNOK):
		return apperr.Invalid("price_nok", "err.quote.price_range", "max", MaxPriceNOK)
	case a.Days < 1 || a.Days > MaxDays:
		return apperr.Invalid("days", "err.quote.days", "max", MaxDays)
	case !slices.Contains(Loaners, a.Loaner):
		return apperr.Invalid("loaner", "err.quote.loaner")
	case (a.Loaner == "paid") != (a.LoanerCostNOK != nil) || !inRange(a.LoanerCostNOK, 1, MaxPriceNOK):
		return apperr.Invalid("loaner_cost_nok", "err.quote.loaner_cost")
	case !slices.Contains(listing.RepairPlaces, a.HandOver):
		return apperr.Invalid("hand_over", "err.quote.hand_over")
	case bindingDays < MinBindingDays || bindingDays > MaxBindingDays:
		return apperr.Invalid("binding_days", "err.quote.binding_days", "min", MinBindingDays, "max", MaxBindingDays)
	}
	seen := map[string]bool{}
	for _, s := range a.Ancillary {
		if !slices.Contains(listing.AncillaryKinds, s.Kind) || seen[s.Kind] || s.CostNOK < 0 || s.CostNOK > MaxPriceNOK {
			return apperr.Invalid("ancillary_"+s.Kind, "err.quote.ancillary")
		}
		seen[s.Kind] = true
	}
	return nil
}

func inRange(v *int, low, high int) bool { return v == nil || (*v >= low && *v <= high) }

// Normalize checks a decline.
func (d *Decline) Normalize() error {
	d.Message = strings.TrimSpace(d.Message)
	if !slices.Contains(DeclineReasons, d.Reason) {
		return apperr.Invalid("reason", "err.quote.reason")
	}
	return checkText("message", d.Message, MaxNote, d.Reason == "other")
}
