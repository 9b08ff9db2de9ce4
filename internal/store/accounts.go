package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/auth"
)

var _ auth.Store = (*DB)(nil)

// CreateLoginToken stores a sign-in link (its hash).
func (s *DB) CreateLoginToken(ctx context.Context, t auth.LoginToken) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO login_tokens (token_hash, email, next, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		t.Hash, t.Email, t.Next, formatTime(t.CreatedAt), formatTime(t.ExpiresAt))
	if err != nil {
		return fmt.Errorf("store: create sign-in link: %w", err)
	}
	return nil
}

// LoginToken returns the unspent sign-in link with the hash.
func (s *DB) LoginToken(ctx context.Context, hash string) (auth.LoginToken, error) {
	return scanLoginToken(s.db.QueryRowContext(ctx, `SELECT token_hash, email, next, created_at, expires_at
		FROM login_tokens WHERE token_hash = ? AND used_at IS NULL`, hash))
}

// SpendLoginToken marks the link spent if it is unspent and unexpired; the
// one UPDATE decides, so two clicks cannot both sign in.
func (s *DB) SpendLoginToken(ctx context.Context, hash string, now time.Time) (auth.LoginToken, error) {
	return scanLoginToken(s.db.QueryRowContext(ctx, `UPDATE login_tokens SET used_at = ?
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
		RETURNING token_hash, email, next, created_at, expires_at`, formatTime(now), hash, formatTime(now)))
}

func scanLoginToken(row scanner) (auth.LoginToken, error) {
	var t auth.LoginToken
	err := row.Scan(&t.Hash, &t.Email, &t.Next, timeIn(&t.CreatedAt), timeIn(&t.ExpiresAt))
	if errors.Is(err, sql.ErrNoRows) {
		return t, apperr.NotFound("err.store.no_link")
	} else if err != nil {
		return t, fmt.Errorf("store: read sign-in link: %w", err)
	}
	return t, nil
}

// EnsureUser returns the account of email, creating it with role if needed.
func (s *DB) EnsureUser(ctx context.Context, email string, role auth.Role, now time.Time) (auth.User, error) {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO users (id, email, role, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (email) DO NOTHING`, uuid.NewString(), email, role, formatTime(now)); err != nil {
		return auth.User{}, fmt.Errorf("store: create account: %w", err)
	}
	return s.UserByEmail(ctx, email)
}

// UserByEmail returns the account of an address.
func (s *DB) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	return scanUser(s.db.QueryRowContext(ctx, `SELECT id, email, role, created_at FROM users WHERE email = ?`, email))
}

// SetRole gives an account a role.
func (s *DB) SetRole(ctx context.Context, userID string, role auth.Role) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, role, userID); err != nil {
		return fmt.Errorf("store: set role: %w", err)
	}
	return nil
}

// UsersWithRole returns the accounts with a role, by address.
func (s *DB) UsersWithRole(ctx context.Context, role auth.Role) ([]auth.User, error) {
	return s.users(ctx, `WHERE u.role = ? ORDER BY u.email`, role)
}

func (s *DB) users(ctx context.Context, where string, args ...any) ([]auth.User, error) {
	return collect(ctx, s.db, "read accounts", scanUser, `SELECT u.id, u.email, u.role, u.created_at FROM users u `+where, args...)
}

func scanUser(row scanner) (auth.User, error) {
	var u auth.User
	err := row.Scan(&u.ID, &u.Email, &u.Role, timeIn(&u.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return u, apperr.NotFound("err.store.no_account")
	} else if err != nil {
		return u, fmt.Errorf("store: read account: %w", err)
	}
	return u, nil
}

// CreateSession stores a new session.
func (s *DB) CreateSession(ctx context.Context, sess auth.Session) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)`,
		sess.IDHash, sess.User.ID, formatTime(sess.CreatedAt), formatTime(sess.LastSeenAt))
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// Session returns the session with its user.
func (s *DB) Session(ctx context.Context, idHash string) (auth.Session, error) {
	var sess auth.Session
	err := s.db.QueryRowContext(ctx, `SELECT s.id_hash, s.created_at, s.last_seen_at, u.id, u.email, u.role, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, idHash).
		Scan(&sess.IDHash, timeIn(&sess.CreatedAt), timeIn(&sess.LastSeenAt), &sess.User.ID, &sess.User.Email, &sess.User.Role, timeIn(&sess.User.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return sess, apperr.NotFound("err.store.no_session")
	} else if err != nil {
		return sess, fmt.Errorf("store: read session: %w", err)
	}
	return sess, nil
}

// TouchSession records that the session was used at now.
func (s *DB) TouchSession(ctx context.Context, idHash string, now time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`, formatTime(now), idHash); err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends a session.
func (s *DB) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteExpired removes links that expired and sessions idle before the times.
func (s *DB) DeleteExpired(ctx context.Context, linksBefore, sessionsBefore time.Time) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_tokens WHERE expires_at < ?`, formatTime(linksBefore)); err != nil {
		return fmt.Errorf("store: delete expired links: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen_at < ?`, formatTime(sessionsBefore)); err != nil {
		return fmt.Errorf("store: delete idle sessions: %w", err)
	}
	return nil
}
