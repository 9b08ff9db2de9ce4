// Package auth signs people in without passwords: an e-mail link carrying
// a single-use token, then a server-side session. Only hashes of tokens and
// session ids are stored, so a copy of the database lets nobody sign in.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/mail"
	"github.com/bergenreparerer/reparerer/internal/paths"
)

// Role of an account.
type Role string

// The roles an account can have.
const (
	RoleOwner Role = "owner" // a repairer
	RoleAdmin Role = "admin" // the municipality
)

// LinkTTL is how long a sign-in link works.
const LinkTTL = 15 * time.Minute

// MaxSessionAge ends a session however active it is, so a stolen cookie
// does not work for ever.
const MaxSessionAge = 12 * time.Hour

// touchEvery limits the writes that keep a session alive to one a minute.
const touchEvery = time.Minute

// User is an account.
type User struct {
	ID        string
	Email     string
	Role      Role
	CreatedAt time.Time
}

// Admin reports whether u works for the municipality.
func (u *User) Admin() bool { return u.Role == RoleAdmin }

// LoginToken is a sign-in link as stored: the hash of its token.
type LoginToken struct {
	Hash      string
	Email     string
	Next      string // where to go after signing in
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Session is a signed-in browser.
type Session struct {
	IDHash     string
	User       User
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// Store keeps accounts, sign-in links and sessions.
type Store interface {
	CreateLoginToken(ctx context.Context, t LoginToken) error
	// LoginToken returns the unspent token with the hash, spent or not
	// found being apperr not_found.
	LoginToken(ctx context.Context, hash string) (LoginToken, error)
	// SpendLoginToken marks the token spent at now if it is unspent and
	// unexpired, and only then returns it; one caller at most succeeds.
	SpendLoginToken(ctx context.Context, hash string, now time.Time) (LoginToken, error)
	// EnsureUser returns the account of email, creating it with role.
	EnsureUser(ctx context.Context, email string, role Role, now time.Time) (User, error)
	CreateSession(ctx context.Context, s Session) error
	// Session returns the session with the id hash and its user.
	Session(ctx context.Context, idHash string) (Session, error)
	TouchSession(ctx context.Context, idHash string, now time.Time) error
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteExpired removes links expired and sessions idle before t.
	DeleteExpired(ctx context.Context, linksBefore, sessionsBefore time.Time) error
}

// Service signs people in and out.
type Service struct {
	Store Store
	Now   func() time.Time
	// IdleTimeout ends a session nobody used for this long.
	IdleTimeout time.Duration
	// Mailer sends the links; Messages words them; BaseURL starts them.
	Mailer   mail.Sender
	Messages *i18n.Catalogue
	BaseURL  string
}

// SendLink e-mails a sign-in link to email, worded in lang, and returns
// the address as normalised. Every valid address gets a link, whether or
// not it has an account (one is made when a link is first spent), so the
// answer tells nobody who has an account.
func (s *Service) SendLink(ctx context.Context, email, next string, lang i18n.Lang) (string, error) {
	token, address, err := s.RequestLink(ctx, email, next)
	if err != nil {
		return "", err
	}
	l := s.Messages.For(lang)
	link := paths.Absolute(s.BaseURL, paths.SignInLink(token))
	msg := mail.Message{To: address, Subject: l.T("mail.signin.subject"),
		Text: l.T("mail.signin.text", "link", link, "minutes", l.Int(int(LinkTTL.Minutes())))}
	if err := s.Mailer.Send(ctx, msg); err != nil {
		return "", apperr.New(apperr.CodeMailUnavailable, "err.mail_unavailable").Wrap(err)
	}
	return address, nil
}

func errLinkInvalid() error {
	return &apperr.Error{Code: apperr.CodeUnauthorized, Field: "token", Key: "err.auth.link_invalid"}
}

func errNoSession() error {
	return apperr.New(apperr.CodeUnauthorized, "err.auth.not_signed_in")
}

// RequestLink makes a sign-in link for email and returns its token, which
// goes into the e-mail and nowhere else, and the address as normalised
// (where to send it). next is where the link leads after signing in;
// anything but a path of this site becomes "".
func (s *Service) RequestLink(ctx context.Context, email, next string) (token, address string, err error) {
	address, ok := listing.NormalizeEmail(strings.TrimSpace(email))
	if !ok {
		return "", "", apperr.Invalid("email", "err.auth.email_invalid")
	}
	token, hash, err := NewToken()
	if err != nil {
		return "", "", err
	}
	now := s.Now().UTC()
	err = s.Store.CreateLoginToken(ctx, LoginToken{Hash: hash, Email: address, Next: SafeNext(next), CreatedAt: now, ExpiresAt: now.Add(LinkTTL)})
	if err != nil {
		return "", "", fmt.Errorf("auth: store sign-in link: %w", err)
	}
	return token, address, nil
}

// CheckLink reports whether token would sign in now, without spending it.
func (s *Service) CheckLink(ctx context.Context, token string) error {
	t, err := s.Store.LoginToken(ctx, Hash(token))
	if apperr.Is(err, apperr.CodeNotFound) || (err == nil && !s.Now().Before(t.ExpiresAt)) {
		return errLinkInvalid()
	}
	return err
}

// SpendLink signs in with token: it spends the token, makes the account
// if this address has none, and starts a session. It returns the session
// id for the cookie and where to go next.
func (s *Service) SpendLink(ctx context.Context, token string) (sessionID, next string, err error) {
	now := s.Now().UTC()
	t, err := s.Store.SpendLoginToken(ctx, Hash(token), now)
	if apperr.Is(err, apperr.CodeNotFound) {
		return "", "", errLinkInvalid()
	} else if err != nil {
		return "", "", err
	}
	user, err := s.Store.EnsureUser(ctx, t.Email, RoleOwner, now)
	if err != nil {
		return "", "", err
	}
	sessionID, hash, err := NewToken()
	if err != nil {
		return "", "", err
	}
	if err := s.Store.CreateSession(ctx, Session{IDHash: hash, User: user, CreatedAt: now, LastSeenAt: now}); err != nil {
		return "", "", err
	}
	return sessionID, t.Next, nil
}

// Authenticate returns the user of a live session and keeps it alive; an
// idle or too old session is ended.
func (s *Service) Authenticate(ctx context.Context, sessionID string) (User, error) {
	if sessionID == "" {
		return User{}, errNoSession()
	}
	hash := Hash(sessionID)
	sess, err := s.Store.Session(ctx, hash)
	if apperr.Is(err, apperr.CodeNotFound) {
		return User{}, errNoSession()
	} else if err != nil {
		return User{}, err
	}
	now := s.Now().UTC()
	if now.Sub(sess.LastSeenAt) >= s.IdleTimeout || now.Sub(sess.CreatedAt) >= MaxSessionAge {
		if err := s.Store.DeleteSession(ctx, hash); err != nil {
			return User{}, err
		}
		return User{}, errNoSession()
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := s.Store.TouchSession(ctx, hash, now); err != nil {
			return User{}, err
		}
	}
	return sess.User, nil
}

// Logout ends the session on the server, so the cookie is worthless even
// if it was copied.
func (s *Service) Logout(ctx context.Context, sessionID string) error {
	if sessionID == "" {
		return nil
	}
	return s.Store.DeleteSession(ctx, Hash(sessionID))
}

// Sweep deletes expired links and idle sessions; the periodic job calls it.
func (s *Service) Sweep(ctx context.Context) error {
	now := s.Now().UTC()
	return s.Store.DeleteExpired(ctx, now.Add(-24*time.Hour), now.Add(-s.IdleTimeout))
}

// NewToken returns a random token (256 bits, URL-safe) and its hash.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: random token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, Hash(token), nil
}

// Hash is what the store keeps of a token or session id.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// SafeNext returns next if it is a path of this site's own pages a
// sign-in may lead to, else "" (no open redirect to other sites).
func SafeNext(next string) string {
	if strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	for _, prefix := range paths.SignInReturns {
		if strings.HasPrefix(next, prefix) {
			return next
		}
	}
	return ""
}
