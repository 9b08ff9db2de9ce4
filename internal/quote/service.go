package quote

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/mail"
	"github.com/bergenreparerer/reparerer/internal/paths"
)

// Listings finds a request's listing.
type Listings interface {
	Get(ctx context.Context, id string) (*listing.Listing, error)
}

// Service runs the requests: it stores each step and sends its e-mail.
type Service struct {
	Store    Store
	Listings Listings
	Mailer   mail.Sender
	Messages *i18n.Catalogue
	// BaseURL makes the links in e-mails absolute.
	BaseURL string
	Now     func() time.Time
	Log     *slog.Logger
}

// MaxConfirmedPerDay bounds the requests one listing receives a day: past
// it, residents are asked to come back tomorrow. Only confirmed requests
// count, so nobody can close a repairer's door without that many real
// mailboxes.
const MaxConfirmedPerDay = 30

// Accepts reports whether l takes quote requests: its owner or an editor
// said so, and it has an address to send them to.
func Accepts(l *listing.Listing) bool {
	return l.Published() && l.Conditions.QuoteRequests == "yes" && l.Email != ""
}

// Ask stores a resident's request and e-mails them the link that confirms
// it; the repairer hears of it only then. r must have passed Normalize.
func (s *Service) Ask(ctx context.Context, l *listing.Listing, r *Request) error {
	if !Accepts(l) {
		return apperr.NotFound("err.quote.not_accepted")
	}
	now := s.Now().UTC()
	n, err := s.Store.ConfirmedQuotesSince(ctx, l.ID, now.Add(-24*time.Hour))
	if err != nil {
		return err
	}
	if n >= MaxConfirmedPerDay {
		return apperr.New(apperr.CodeRateLimited, "err.quote.listing_busy")
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	r.ListingID, r.District, r.Status, r.CreatedAt = l.ID, l.District, StatusUnconfirmed, now
	r.DeleteAfter = now.Add(ConfirmWithin)
	if err := s.Store.CreateQuote(ctx, r, hash); err != nil {
		return err
	}
	loc := s.Messages.For(r.Lang)
	link := paths.Absolute(s.BaseURL, paths.WithLang(paths.QuoteConfirm(token), string(r.Lang)))
	msg := mail.Message{To: r.Email, Subject: loc.T("mail.quote.confirm.subject", "name", l.Name),
		Text: loc.T("mail.quote.confirm.text", "name", l.Name, "good", GoodOf(loc, r), "link", link, "hours", loc.Int(int(ConfirmWithin.Hours())))}
	if err := s.Mailer.Send(ctx, msg); err != nil {
		return apperr.New(apperr.CodeMailUnavailable, "err.mail_unavailable").Wrap(err)
	}
	return nil
}

// Find returns the request a link's token belongs to; kind is "confirm",
// "repairer" or "resident".
func (s *Service) Find(ctx context.Context, kind, token string) (*Request, *listing.Listing, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, apperr.NotFound("err.quote.link_invalid")
	}
	r, err := s.Store.QuoteByToken(ctx, kind, auth.Hash(token))
	if err != nil {
		return nil, nil, err
	}
	l, err := s.Listings.Get(ctx, r.ListingID)
	if err != nil {
		return nil, nil, err
	}
	return r, l, nil
}

// Confirm is the resident confirming their address: the request goes to
// the repairer, with a link that works for AnswerWithin. Confirming twice
// changes nothing.
func (s *Service) Confirm(ctx context.Context, token string) (*Request, *listing.Listing, error) {
	r, l, err := s.Find(ctx, "confirm", token)
	if err != nil || r.Status != StatusUnconfirmed {
		return r, l, err
	}
	if !Accepts(l) {
		return nil, nil, apperr.NotFound("err.quote.not_accepted")
	}
	repairerToken, hash, err := auth.NewToken()
	if err != nil {
		return nil, nil, err
	}
	now := s.Now().UTC()
	expires := now.Add(AnswerWithin)
	if err := s.Store.ConfirmQuote(ctx, r.ID, hash, now, expires, expires.Add(Retention)); err != nil {
		return nil, nil, err
	}
	r.Status, r.ConfirmedAt, r.RepairerExpires, r.MailDue = StatusOpen, &now, &expires, MailRepairer
	s.deliver(ctx, r, l, repairerToken)
	return r, l, nil
}

// Answer stores the repairer's form, which binds them for bindingDays,
// and sends it to the resident.
func (s *Service) Answer(ctx context.Context, token string, a Answer, bindingDays int) (*Request, error) {
	r, l, err := s.openForRepairer(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := a.Normalize(bindingDays); err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	a.Repairer = repairerOf(l)
	a.AnsweredAt, a.ValidUntil = now, now.AddDate(0, 0, bindingDays)
	r.Answer, r.Status = &a, StatusAnswered
	out := s.outcome(r, now)
	out.PriceNOK = a.PriceNOK
	if out.PriceNOK == nil {
		out.PriceNOK = a.MaxPriceNOK
	}
	return r, s.close(ctx, r, l, now, a.ValidUntil, out)
}

// Decline stores the repairer's no and tells the resident.
func (s *Service) Decline(ctx context.Context, token string, d Decline) (*Request, error) {
	r, l, err := s.openForRepairer(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := d.Normalize(); err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	r.Decline, r.Status = &d, StatusDeclined
	out := s.outcome(r, now)
	out.DeclineReason = d.Reason
	return r, s.close(ctx, r, l, now, now, out)
}

// openForRepairer is the request of a repairer's link that may still be
// answered: one answered already is apperr conflict, one expired gone.
func (s *Service) openForRepairer(ctx context.Context, token string) (*Request, *listing.Listing, error) {
	r, l, err := s.Find(ctx, "repairer", token)
	switch {
	case err != nil:
		return nil, nil, err
	case r.Status != StatusOpen:
		return nil, nil, apperr.Conflict("err.quote.answered")
	case r.RepairerExpires == nil || !s.Now().Before(*r.RepairerExpires):
		return nil, nil, apperr.Conflict("err.quote.expired")
	}
	return r, l, nil
}

func (s *Service) outcome(r *Request, now time.Time) Outcome {
	out := Outcome{Month: r.CreatedAt.Format("2006-01"), Category: r.Category, District: r.District, Outcome: string(r.Status)}
	if r.ConfirmedAt != nil && r.Status != StatusExpired {
		minutes := int(now.Sub(*r.ConfirmedAt).Minutes())
		out.MinutesToAnswer = &minutes
	}
	return out
}

// close stores a request's end, kept until Retention past the later of
// now and binds, and sends the resident its e-mail.
func (s *Service) close(ctx context.Context, r *Request, l *listing.Listing, now, binds time.Time, out Outcome) error {
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	r.ClosedAt, r.MailDue, r.DeleteAfter = &now, MailResident, binds.Add(Retention)
	if err := s.Store.CloseQuote(ctx, r, hash, out); err != nil {
		return err
	}
	s.deliver(ctx, r, l, token)
	return nil
}

// deliver sends the e-mail r owes, with the link token; one that fails
// stays owed, and Sweep sends it with a new link.
func (s *Service) deliver(ctx context.Context, r *Request, l *listing.Listing, token string) {
	msg, err := s.message(r, l, token)
	if err == nil {
		err = s.Mailer.Send(ctx, msg)
	}
	if err == nil {
		err = s.Store.SetQuoteMail(ctx, r.ID, "", "", "")
	}
	if err != nil {
		s.Log.Warn("quote: e-mail not sent; sent again later", "quote_id", r.ID, "mail", r.MailDue, "error", err)
		return
	}
	r.MailDue = ""
}

// message is the e-mail r owes.
func (s *Service) message(r *Request, l *listing.Listing, token string) (mail.Message, error) {
	if r.MailDue == MailRepairer {
		return s.repairerMessage(r, l, token), nil
	}
	loc := s.Messages.For(r.Lang)
	link := paths.Absolute(s.BaseURL, paths.WithLang(paths.QuoteView(token), string(r.Lang)))
	others := paths.Absolute(s.BaseURL, paths.WithLang(paths.SearchCategory(r.Category), string(r.Lang)))
	args := []any{"name", l.Name, "good", GoodOf(loc, r), "link", link, "others", others}
	switch r.Status {
	case StatusAnswered:
		pdf, err := FormPDF(loc, r)
		if err != nil {
			return mail.Message{}, err
		}
		return mail.Message{To: r.Email, Subject: loc.T("mail.quote.answered.subject", "name", l.Name),
			Text:        loc.T("mail.quote.answered.text", append(args, "until", loc.Date(r.Answer.ValidUntil))...),
			Attachments: []mail.Attachment{{Name: loc.T("quote.pdf_name") + ".pdf", ContentType: "application/pdf", Data: pdf}}}, nil
	case StatusDeclined:
		return mail.Message{To: r.Email, Subject: loc.T("mail.quote.declined.subject", "name", l.Name),
			Text: loc.T("mail.quote.declined.text", append(args, "reason", loc.T("quote.reason."+r.Decline.Reason))...)}, nil
	case StatusExpired:
		return mail.Message{To: r.Email, Subject: loc.T("mail.quote.expired.subject", "name", l.Name),
			Text: loc.T("mail.quote.expired.text", append(args, "days", loc.Int(int(AnswerWithin.Hours()/24)))...)}, nil
	case StatusUnconfirmed, StatusOpen: // nothing is owed the resident before the end
	}
	return mail.Message{}, fmt.Errorf("quote: no e-mail for a request %s", r.Status)
}

// repairerMessage tells the repairer of a request, in both languages: the
// listing does not say which the repairer reads. The resident's address
// is not in it: the form goes back through the service.
func (s *Service) repairerMessage(r *Request, l *listing.Listing, token string) mail.Message {
	nb, en := s.Messages.For(i18n.NB), s.Messages.For(i18n.EN)
	text := func(loc *i18n.Localizer, lang i18n.Lang) string {
		return loc.T("mail.quote.repairer.text", "name", l.Name, "good", GoodOf(loc, r), "fault", r.Fault,
			"link", paths.Absolute(s.BaseURL, paths.WithLang(paths.QuoteAnswer(token), string(lang))), "until", loc.Date(*r.RepairerExpires),
			"edit", paths.Absolute(s.BaseURL, paths.Account))
	}
	return mail.Message{To: l.Email, Subject: nb.T("mail.quote.repairer.subject", "good", GoodOf(nb, r)),
		Text: text(nb, i18n.NB) + "\n\n---\n\n" + text(en, i18n.EN)}
}

// GoodOf names the good as the resident described it: "Sko – Ecco Soft 7".
func GoodOf(loc *i18n.Localizer, r *Request) string {
	g := r.Category
	if c, ok := category.Lookup(r.Category); ok {
		g = c.NameIn(loc.Lang)
	}
	if d := trimJoin(r.Brand, r.Model); d != "" {
		g += " – " + d
	}
	if r.PurchaseYear != 0 {
		g += " (" + loc.T("quote.bought", "year", r.PurchaseYear) + ")"
	}
	return g
}

func trimJoin(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

func repairerOf(l *listing.Listing) Repairer {
	addr := l.Address.Street
	if place := trimJoin(l.Address.Postcode, l.Address.City); place != "" {
		addr += ", " + place
	}
	return Repairer{Name: l.Name, OrgNumber: l.OrgNumber, Address: addr, Phone: l.Phone, Email: l.Email, Website: l.Website}
}

// Sweep is the housekeeping of requests: open ones whose link expired are
// closed (the resident is told), e-mails still owed are sent with new
// links, and requests past their time are deleted.
func (s *Service) Sweep(ctx context.Context) error {
	now := s.Now().UTC()
	expired, err := s.Store.ExpiredQuotes(ctx, now, 200)
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range expired {
		l, err := s.Listings.Get(ctx, r.ListingID)
		if err == nil {
			r.Status = StatusExpired
			err = s.close(ctx, r, l, now, now, s.outcome(r, now))
		}
		if err != nil && !apperr.Is(err, apperr.CodeConflict) {
			errs = append(errs, err)
		}
	}
	owing, err := s.Store.QuotesOwingMail(ctx, 200)
	if err != nil {
		return err
	}
	for _, r := range owing {
		if err := s.resend(ctx, r); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := s.Store.DeleteQuotes(ctx, now); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// resend sends an owed e-mail again, with a new link: the old one's
// token is not kept anywhere to send again.
func (s *Service) resend(ctx context.Context, r *Request) error {
	l, err := s.Listings.Get(ctx, r.ListingID)
	if err != nil {
		return err
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	if err := s.Store.SetQuoteMail(ctx, r.ID, r.MailDue, r.MailDue, hash); err != nil {
		return err
	}
	s.deliver(ctx, r, l, token)
	if r.MailDue != "" {
		return fmt.Errorf("quote %s: the %s e-mail is still not sent", r.ID, r.MailDue)
	}
	return nil
}

// Stats are the requests of a period, counted: what the municipality sees.
type Stats struct {
	Total Group
	// Categories and Districts, the most requested first.
	Categories, Districts []Group
	// Reasons counts the declines by reason, the most given first.
	Reasons []Count
}

// Group counts one category's or district's requests.
type Group struct {
	Key                                 string
	Requests, Answered, Declined, Open  int
	Expired                             int
	MedianHoursToAnswer, MedianPriceNOK *int
}

// Count is one reason and how often it was given.
type Count struct {
	Key string
	N   int
}

// Stats counts the requests asked since a time; prices are medians per
// category (a median across categories says nothing).
func (s *Service) Stats(ctx context.Context, since time.Time) (Stats, error) {
	outs, err := s.Store.QuoteOutcomes(ctx, since)
	if err != nil {
		return Stats{}, err
	}
	var st Stats
	st.Total = group("", outs, false)
	st.Categories = groups(outs, func(o Outcome) string { return o.Category }, true)
	st.Districts = groups(outs, func(o Outcome) string { return o.District }, false)
	reasons := map[string]int{}
	for _, o := range outs {
		if o.DeclineReason != "" {
			reasons[o.DeclineReason]++
		}
	}
	for k, n := range reasons {
		st.Reasons = append(st.Reasons, Count{k, n})
	}
	sort.Slice(st.Reasons, func(i, j int) bool {
		return st.Reasons[i].N > st.Reasons[j].N || st.Reasons[i].N == st.Reasons[j].N && st.Reasons[i].Key < st.Reasons[j].Key
	})
	return st, nil
}

func groups(outs []Outcome, key func(Outcome) string, prices bool) []Group {
	by := map[string][]Outcome{}
	for _, o := range outs {
		by[key(o)] = append(by[key(o)], o)
	}
	var gs []Group
	for k, os := range by {
		gs = append(gs, group(k, os, prices))
	}
	sort.Slice(gs, func(i, j int) bool {
		return gs[i].Requests > gs[j].Requests || gs[i].Requests == gs[j].Requests && gs[i].Key < gs[j].Key
	})
	return gs
}

func group(key string, outs []Outcome, prices bool) Group {
	g := Group{Key: key, Requests: len(outs)}
	var minutes, nok []int
	for _, o := range outs {
		switch o.Outcome {
		case string(StatusAnswered):
			g.Answered++
		case string(StatusDeclined):
			g.Declined++
		case string(StatusExpired):
			g.Expired++
		default:
			g.Open++
		}
		if o.MinutesToAnswer != nil {
			minutes = append(minutes, *o.MinutesToAnswer)
		}
		if o.PriceNOK != nil {
			nok = append(nok, *o.PriceNOK)
		}
	}
	if m, ok := median(minutes); ok {
		hours := (m + 30) / 60
		g.MedianHoursToAnswer = &hours
	}
	if m, ok := median(nok); prices && ok {
		g.MedianPriceNOK = &m
	}
	return g
}

// median is the middle value (the lower middle of an even count: a price
// someone actually quoted).
func median(v []int) (int, bool) {
	if len(v) == 0 {
		return 0, false
	}
	slices.Sort(v)
	return v[(len(v)-1)/2], true
}
