package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/quote"
)

// CreateQuote stores a resident's request, unconfirmed, giving it an id.
func (s *DB) CreateQuote(ctx context.Context, r *quote.Request, confirmHash string) error {
	r.ID = uuid.NewString()
	_, err := s.db.ExecContext(ctx, `INSERT INTO quote_requests (id, listing_id, district, category, brand, model, fault,
		purchase_year, email, lang, status, confirm_hash, created_at, delete_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.ListingID, r.District, r.Category, r.Brand, r.Model, r.Fault, r.PurchaseYear, r.Email, string(r.Lang),
		string(r.Status), confirmHash, formatTime(r.CreatedAt), formatTime(r.DeleteAfter))
	if err != nil {
		return fmt.Errorf("store: create quote request: %w", err)
	}
	return nil
}

const quoteColumns = `id, listing_id, district, category, brand, model, fault, purchase_year, email, lang, status,
	answer, decline, mail_due, repairer_expires, created_at, confirmed_at, closed_at, delete_after`

func scanQuote(row scanner) (*quote.Request, error) {
	var r quote.Request
	var lang, status, answer, decline string
	err := row.Scan(&r.ID, &r.ListingID, &r.District, &r.Category, &r.Brand, &r.Model, &r.Fault, &r.PurchaseYear, &r.Email,
		&lang, &status, &answer, &decline, &r.MailDue, optionalTimeIn(&r.RepairerExpires), timeIn(&r.CreatedAt),
		optionalTimeIn(&r.ConfirmedAt), optionalTimeIn(&r.ClosedAt), timeIn(&r.DeleteAfter))
	if err != nil {
		return nil, err
	}
	r.Lang, r.Status = i18n.Lang(lang), quote.Status(status)
	if answer != "" {
		r.Answer = new(quote.Answer)
		if err := json.Unmarshal([]byte(answer), r.Answer); err != nil {
			return nil, fmt.Errorf("quote %s: answer: %w", r.ID, err)
		}
	}
	if decline != "" {
		r.Decline = new(quote.Decline)
		if err := json.Unmarshal([]byte(decline), r.Decline); err != nil {
			return nil, fmt.Errorf("quote %s: decline: %w", r.ID, err)
		}
	}
	return &r, nil
}

// quoteTokenColumns are the columns a token of each kind is kept in.
var quoteTokenColumns = map[string]string{"confirm": "confirm_hash", "repairer": "repairer_hash", "resident": "resident_hash"}

// QuoteByToken finds the request a token of a kind belongs to.
func (s *DB) QuoteByToken(ctx context.Context, kind, hash string) (*quote.Request, error) {
	column, ok := quoteTokenColumns[kind]
	if !ok {
		return nil, fmt.Errorf("store: no quote token of kind %q", kind)
	}
	r, err := scanQuote(s.db.QueryRowContext(ctx, `SELECT `+quoteColumns+` FROM quote_requests WHERE `+column+` = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("err.quote.link_invalid")
	} else if err != nil {
		return nil, fmt.Errorf("store: quote by token: %w", err)
	}
	return r, nil
}

// ConfirmQuote moves an unconfirmed request to open.
func (s *DB) ConfirmQuote(ctx context.Context, id, repairerHash string, at, expires, deleteAfter time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE quote_requests SET status = ?, repairer_hash = ?, confirmed_at = ?,
		repairer_expires = ?, delete_after = ?, mail_due = ? WHERE id = ? AND status = ?`,
		string(quote.StatusOpen), repairerHash, formatTime(at), formatTime(expires), formatTime(deleteAfter), quote.MailRepairer,
		id, string(quote.StatusUnconfirmed))
	return oneRow(res, err, "confirm quote request", "err.quote.answered")
}

// CloseQuote moves an open request to its end and records its outcome.
func (s *DB) CloseQuote(ctx context.Context, r *quote.Request, residentHash string, out quote.Outcome) error {
	answer, decline := "", ""
	if r.Answer != nil {
		b, err := json.Marshal(r.Answer)
		if err != nil {
			return err
		}
		answer = string(b)
	}
	if r.Decline != nil {
		b, err := json.Marshal(r.Decline)
		if err != nil {
			return err
		}
		decline = string(b)
	}
	return s.inTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE quote_requests SET status = ?, answer = ?, decline = ?, resident_hash = ?,
			mail_due = ?, closed_at = ?, delete_after = ? WHERE id = ? AND status = ?`,
			string(r.Status), answer, decline, residentHash, r.MailDue, formatTime(*r.ClosedAt), formatTime(r.DeleteAfter),
			r.ID, string(quote.StatusOpen))
		if err := oneRow(res, err, "close quote request", "err.quote.answered"); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO quote_outcomes (month, category, district, outcome, minutes_to_answer,
			price_nok, decline_reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			out.Month, out.Category, out.District, out.Outcome, out.MinutesToAnswer, out.PriceNOK, out.DeclineReason)
		if err != nil {
			return fmt.Errorf("store: record quote outcome: %w", err)
		}
		return nil
	})
}

// oneRow turns an update that changed no row into apperr conflict key.
func oneRow(res sql.Result, err error, what, key string) error {
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	} else if n == 0 {
		return apperr.Conflict(key)
	}
	return nil
}

// SetQuoteMail sets the e-mail a request owes and, for kind "repairer"
// or "resident", the hash of that e-mail's new link.
func (s *DB) SetQuoteMail(ctx context.Context, id, due, kind, hash string) error {
	query, args := `UPDATE quote_requests SET mail_due = ? WHERE id = ?`, []any{due, id}
	switch kind {
	case "":
	case "repairer", "resident":
		query, args = `UPDATE quote_requests SET mail_due = ?, `+quoteTokenColumns[kind]+` = ? WHERE id = ?`, []any{due, hash, id}
	default:
		return fmt.Errorf("store: no quote e-mail of kind %q", kind)
	}
	if _, err := s.db.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("store: set quote e-mail: %w", err)
	}
	return nil
}

// QuotesOwingMail are requests whose e-mail is still owed, oldest first.
func (s *DB) QuotesOwingMail(ctx context.Context, limit int) ([]*quote.Request, error) {
	return collect(ctx, s.db, "quotes owing mail", scanQuote,
		`SELECT `+quoteColumns+` FROM quote_requests WHERE mail_due <> '' ORDER BY created_at LIMIT ?`, limit)
}

// ExpiredQuotes are open requests whose repairer's link has expired.
func (s *DB) ExpiredQuotes(ctx context.Context, now time.Time, limit int) ([]*quote.Request, error) {
	return collect(ctx, s.db, "expired quotes", scanQuote, `SELECT `+quoteColumns+` FROM quote_requests
		WHERE status = ? AND repairer_expires <= ? ORDER BY repairer_expires LIMIT ?`, string(quote.StatusOpen), formatTime(now), limit)
}

// DeleteQuotes deletes the requests past their time.
func (s *DB) DeleteQuotes(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM quote_requests WHERE delete_after <= ?`, formatTime(now))
	if err != nil {
		return 0, fmt.Errorf("store: delete quote requests: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// ConfirmedQuotesSince counts a listing's requests confirmed since a time.
func (s *DB) ConfirmedQuotesSince(ctx context.Context, listingID string, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM quote_requests WHERE listing_id = ? AND confirmed_at >= ?`,
		listingID, formatTime(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count quote requests: %w", err)
	}
	return n, nil
}

// QuoteOutcomes are the outcomes of requests asked in the months from
// since's on, and the requests open now.
func (s *DB) QuoteOutcomes(ctx context.Context, since time.Time) ([]quote.Outcome, error) {
	month := since.UTC().Format("2006-01")
	return collect(ctx, s.db, "quote outcomes", func(row scanner) (quote.Outcome, error) {
		var o quote.Outcome
		var minutes, price sql.NullInt64
		err := row.Scan(&o.Month, &o.Category, &o.District, &o.Outcome, &minutes, &price, &o.DeclineReason)
		o.MinutesToAnswer, o.PriceNOK = optionalInt(minutes), optionalInt(price)
		return o, err
	}, `SELECT month, category, district, outcome, minutes_to_answer, price_nok, decline_reason FROM quote_outcomes WHERE month >= ?
		UNION ALL
		SELECT substr(created_at, 1, 7), category, district, 'open', NULL, NULL, '' FROM quote_requests WHERE status = ?`,
		month, string(quote.StatusOpen))
}
