// Package follow tells residents what is new, with nothing but an e-mail
// address: the new sessions of a repair café, or the new repairers of a
// category in a district. A follow starts unconfirmed and sends nothing
// until its address confirms it (double opt-in); every e-mail carries a
// one-click unsubscribe (RFC 8058), which deletes the follow. Links are
// signed (HMAC) rather than stored, so the table holds no tokens, and an
// unconfirmed follow is deleted after a day.
package follow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/event"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/mail"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/signed"
)

// Limits of following.
const (
	// ConfirmWithin is how long a confirmation link works; an unconfirmed
	// follow is deleted after it.
	ConfirmWithin = 24 * time.Hour
	// MailsPerAddressHour bounds the confirmation e-mails to one address:
	// nobody can flood someone's inbox through the form.
	MailsPerAddressHour = 3
	// Every is how often a follow is written to at most.
	Every = 24 * time.Hour
	// MaxPerAddress bounds the follows of one address.
	MaxPerAddress = 30
)

// Follow is one resident's wish to hear of something new.
type Follow struct {
	ID    string
	Email string
	Lang  i18n.Lang
	// ListingID: the sessions of this listing (a repair café); otherwise
	// Category and District: new repairers of the category there.
	ListingID          string
	Category, District string
	CreatedAt          time.Time
	ConfirmedAt        *time.Time
	// Since is what was last told: only what is newer is news.
	Since time.Time
	// LastSent is when it was last written to.
	LastSent *time.Time
}

// Store keeps follows.
type Store interface {
	CreateFollow(ctx context.Context, f *Follow) error
	Follow(ctx context.Context, id string) (*Follow, error)
	ConfirmFollow(ctx context.Context, id string, at time.Time) error
	DeleteFollow(ctx context.Context, id string) error
	// FollowsTo counts the follows of an address, and those created
	// since.
	FollowsTo(ctx context.Context, email string, since time.Time) (all, recent int, err error)
	ConfirmedFollows(ctx context.Context) ([]*Follow, error)
	FollowSent(ctx context.Context, id string, since, at time.Time) error
	DeleteUnconfirmedFollows(ctx context.Context, before time.Time) (int, error)
}

// News reads what is new for a follow.
type News interface {
	EventsOf(ctx context.Context, listingIDs ...string) ([]*event.Event, error)
	Get(ctx context.Context, id string) (*listing.Listing, error)
	Published(ctx context.Context) ([]*listing.Listing, error)
	// PublishedSince are the listings first published after t.
	PublishedSince(ctx context.Context, t time.Time) (map[string]bool, error)
}

// Service runs follows.
type Service struct {
	Store     Store
	News      News
	Mailer    mail.Sender
	Messages  *i18n.Catalogue
	Districts *district.Map
	// Key signs the links.
	Key     []byte
	BaseURL string
	Now     func() time.Time
	Log     *slog.Logger
}

// Request is what the form asks for.
type Request struct {
	Email              string
	Lang               i18n.Lang
	ListingID          string
	Category, District string
}

// Ask creates an unconfirmed follow and sends its confirmation. Past the
// address's limits it does nothing and says the same, so the form tells
// nobody whether an address follows anything.
func (s *Service) Ask(ctx context.Context, r Request) error {
	email, ok := listing.NormalizeEmail(strings.TrimSpace(r.Email))
	if !ok {
		return apperr.Invalid("email", "err.follow.email")
	}
	f := &Follow{Email: email, Lang: r.Lang, ListingID: r.ListingID, Category: r.Category, District: r.District}
	if f.ListingID == "" && (!category.Valid(f.Category) || !district.ValidSlug(f.District)) {
		return apperr.Invalid("category", "err.follow.topic")
	}
	now := s.Now()
	all, recent, err := s.Store.FollowsTo(ctx, email, now.Add(-time.Hour))
	if err != nil {
		return err
	}
	if all >= MaxPerAddress || recent >= MailsPerAddressHour {
		s.Log.Info("follow: limit reached; nothing sent", "recent", recent, "all", all)
		return nil
	}
	f.CreatedAt, f.Since = now, now
	if err := s.Store.CreateFollow(ctx, f); err != nil {
		return err
	}
	l := s.Messages.For(f.Lang)
	what, err := s.Topic(ctx, l, f)
	if err != nil {
		return err
	}
	link := s.BaseURL + paths.WithLang(paths.FollowConfirm(s.sign("confirm", f.ID)), string(f.Lang))
	return s.Mailer.Send(ctx, mail.Message{To: email, Subject: l.T("follow.confirm_subject", "what", what),
		Text: l.T("follow.confirm_text", "what", what, "link", link, "hours", int(ConfirmWithin.Hours()))})
}

// Confirm starts a follow from its confirmation link.
func (s *Service) Confirm(ctx context.Context, token string) (*Follow, error) {
	f, err := s.byToken(ctx, "confirm", token)
	if err != nil {
		return nil, err
	}
	if f.ConfirmedAt != nil {
		return f, nil
	}
	if s.Now().Sub(f.CreatedAt) > ConfirmWithin {
		return nil, apperr.New(apperr.CodeNotFound, "err.follow.link")
	}
	now := s.Now()
	f.ConfirmedAt = &now
	return f, s.Store.ConfirmFollow(ctx, f.ID, now)
}

// Unsubscribe deletes the follow a link names. A link of a follow that is
// gone is no error: it is what was asked.
func (s *Service) Unsubscribe(ctx context.Context, token string) error {
	f, err := s.byToken(ctx, "stop", token)
	if apperr.Is(err, apperr.CodeNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.Store.DeleteFollow(ctx, f.ID)
}

// Describe names what a link's follow is about, for its pages.
func (s *Service) Describe(ctx context.Context, purpose, token string, l *i18n.Localizer) (string, error) {
	f, err := s.byToken(ctx, purpose, token)
	if err != nil {
		return "", err
	}
	return s.Topic(ctx, l, f)
}

func (s *Service) byToken(ctx context.Context, purpose, token string) (*Follow, error) {
	id, ok := s.verify(purpose, token)
	if !ok {
		return nil, apperr.New(apperr.CodeNotFound, "err.follow.link")
	}
	f, err := s.Store.Follow(ctx, id)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// sign is a link's token: the follow's id and an HMAC of it with the
// link's purpose.
// sign and verify make and check a follow's link for purpose.
func (s *Service) sign(purpose, id string) string { return signed.Token(s.Key, "follow:"+purpose, id) }

func (s *Service) verify(purpose, token string) (string, bool) {
	return signed.Check(s.Key, "follow:"+purpose, token)
}

// UnsubscribeURL is the one-click link of a follow.
func (s *Service) UnsubscribeURL(f *Follow) string {
	return s.BaseURL + paths.WithLang(paths.FollowStop(s.sign("stop", f.ID)), string(f.Lang))
}

// Topic names what a follow is about, in l's language.
func (s *Service) Topic(ctx context.Context, l *i18n.Localizer, f *Follow) (string, error) {
	if f.ListingID != "" {
		lst, err := s.News.Get(ctx, f.ListingID)
		if err != nil {
			return "", err
		}
		return l.T("follow.topic_listing", "name", lst.Name), nil
	}
	cat, _ := category.Lookup(f.Category)
	d, _ := s.Districts.Lookup(f.District)
	return l.T("follow.topic_area", "category", cat.NameIn(l.Lang), "district", d.Name), nil
}

// Send writes to each confirmed follow that has news and was not written
// to within Every: the sessions published or changed since it last heard,
// or the repairers listed since. Run by the housekeeping job.
func (s *Service) Send(ctx context.Context) (int, error) {
	follows, err := s.Store.ConfirmedFollows(ctx)
	if err != nil {
		return 0, err
	}
	now := s.Now()
	var published []*listing.Listing
	sent := 0
	var errs []error
	for _, f := range follows {
		if f.LastSent != nil && now.Sub(*f.LastSent) < Every {
			continue
		}
		l := s.Messages.For(f.Lang)
		var lines []string
		if f.ListingID != "" {
			lines, err = s.newSessions(ctx, l, f, now)
		} else {
			if published == nil {
				if published, err = s.News.Published(ctx); err != nil {
					return sent, err
				}
			}
			var fresh map[string]bool
			if fresh, err = s.News.PublishedSince(ctx, f.Since); err == nil {
				lines = newRepairers(l, f, published, fresh, s.BaseURL)
			}
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(lines) == 0 {
			continue
		}
		what, err := s.Topic(ctx, l, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		stop := s.UnsubscribeURL(f)
		m := mail.Message{To: f.Email, Subject: l.T("follow.news_subject", "what", what), Unsubscribe: stop,
			Text: l.T("follow.news_text", "what", what, "news", strings.Join(lines, "\n"), "stop", stop)}
		if err := s.Mailer.Send(ctx, m); err != nil {
			errs = append(errs, fmt.Errorf("follow %s: %w", f.ID, err))
			continue
		}
		if err := s.Store.FollowSent(ctx, f.ID, now, now); err != nil {
			errs = append(errs, err)
			continue
		}
		sent++
	}
	if _, err := s.Store.DeleteUnconfirmedFollows(ctx, now.Add(-ConfirmWithin)); err != nil {
		errs = append(errs, err)
	}
	return sent, errors.Join(errs...)
}

// newSessions are the coming sessions of events published or changed
// since the follow last heard.
func (s *Service) newSessions(ctx context.Context, l *i18n.Localizer, f *Follow, now time.Time) ([]string, error) {
	es, err := s.News.EventsOf(ctx, f.ListingID)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, e := range es {
		if !e.UpdatedAt.After(f.Since) {
			continue
		}
		for _, o := range e.Occurrences(now, now.Add(event.Ahead)) {
			line := "- " + l.Session(o.Start.In(openinghours.Oslo), o.End.In(openinghours.Oslo)) + ": " + e.Title + " (" + e.Place.Text() + ")"
			if o.Cancelled {
				line += " – " + l.T("event.cancelled")
			}
			lines = append(lines, line)
			if len(lines) >= 10 {
				return lines, nil
			}
		}
	}
	return lines, nil
}

// newRepairers are the places that repair the category in the district,
// first published (fresh) since the follow last heard: a registration
// counts when the municipality publishes it, however long it waited.
func newRepairers(l *i18n.Localizer, f *Follow, published []*listing.Listing, fresh map[string]bool, base string) []string {
	var lines []string
	for _, lst := range published {
		if lst.District != f.District || !slices.Contains(lst.Categories, f.Category) || !fresh[lst.ID] ||
			!listing.Repairs(lst.Kind) {
			continue
		}
		lines = append(lines, "- "+lst.Name+", "+lst.Address.Street+": "+base+paths.WithLang(paths.Listing(lst.Slug), string(l.Lang)))
	}
	return lines
}
