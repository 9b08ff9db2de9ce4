package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/event"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// SaveEvent creates an event (no ID) or updates it at the version it was
// read at; the listing it belongs to goes to the index in the same
// transaction (its "next session" and open times change), and the
// listing's audit log records who did it.
func (s *DB) SaveEvent(ctx context.Context, e *event.Event) error {
	return s.inTx(ctx, func(tx *txn) error {
		was := ""
		if e.ID == "" {
			e.ID, e.Version = uuid.NewString(), 1
		} else {
			var err error
			if e.Version, err = nextVersion(ctx, tx, "events", e.ID, e.Version); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(listing_id, '') FROM events WHERE id = ?`, e.ID).Scan(&was); err != nil {
				return fmt.Errorf("store: read event %s: %w", e.ID, err)
			}
		}
		e.UpdatedAt = s.Now()
		data, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if e.Version == 1 {
			_, err = tx.ExecContext(ctx, `INSERT INTO events (id, listing_id, route_id, district, data, version, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, e.ID, nullString(e.ListingID), e.RouteID, e.Place.District, string(data), e.Version, formatTime(e.UpdatedAt))
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE events SET listing_id = ?, route_id = ?, district = ?, data = ?, version = ?, updated_at = ?
				WHERE id = ?`, nullString(e.ListingID), e.RouteID, e.Place.District, string(data), e.Version, formatTime(e.UpdatedAt), e.ID)
		}
		if err != nil {
			return fmt.Errorf("store: save event: %w", err)
		}
		return s.eventTouches(ctx, tx, e.UpdatedBy, "event "+e.ID+": "+e.Title, e.ListingID, was)
	})
}

// DeleteEvent removes an event.
func (s *DB) DeleteEvent(ctx context.Context, id, by string) error {
	return s.inTx(ctx, func(tx *txn) error {
		var listingID, title string
		var data string
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(listing_id, ''), data FROM events WHERE id = ?`, id).Scan(&listingID, &data)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFound("err.event.not_found")
		} else if err != nil {
			return fmt.Errorf("store: read event %s: %w", id, err)
		}
		var e event.Event
		if json.Unmarshal([]byte(data), &e) == nil {
			title = e.Title
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE id = ?`, id); err != nil {
			return fmt.Errorf("store: delete event %s: %w", id, err)
		}
		return s.eventTouches(ctx, tx, by, "event "+id+" deleted: "+title, listingID)
	})
}

// eventTouches queues the listings an event change touches for the index
// and records the change in their audit log.
func (s *DB) eventTouches(ctx context.Context, tx *txn, by, note string, listingIDs ...string) error {
	seen := map[string]bool{}
	for _, id := range listingIDs {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		var version int
		if err := tx.QueryRowContext(ctx, `SELECT version FROM listings WHERE id = ?`, id).Scan(&version); err != nil {
			return fmt.Errorf("store: event's listing %s: %w", id, err)
		}
		ch := listing.Change{Actor: by, Action: listing.ActionEvent, Note: note}
		if err := s.appendAudit(ctx, tx, id, ch, version, []listing.FieldChange{}); err != nil {
			return err
		}
		if err := s.enqueue(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// Event returns one event.
func (s *DB) Event(ctx context.Context, id string) (*event.Event, error) {
	es, err := s.events(ctx, `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, apperr.NotFound("err.event.not_found")
	}
	return es[0], nil
}

// Events returns every event, the bus's stops included.
func (s *DB) Events(ctx context.Context) ([]*event.Event, error) {
	return s.events(ctx, `ORDER BY id`)
}

// EventsOf returns the events of the listings, asked for in chunks so
// that no query outgrows an engine's bound on parameters (PostgreSQL:
// 65 535) however large a batch the index takes.
func (s *DB) EventsOf(ctx context.Context, listingIDs ...string) ([]*event.Event, error) {
	const chunk = 1000
	var out []*event.Event
	for i := 0; i < len(listingIDs); i += chunk {
		ids := listingIDs[i:min(i+chunk, len(listingIDs))]
		args := make([]any, len(ids))
		for j, id := range ids {
			args[j] = id
		}
		es, err := s.events(ctx, `WHERE listing_id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+`) ORDER BY id`, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
}

// ListingsWithRecurringEvents are the listings whose index documents need
// their coming sessions moved on now and then.
func (s *DB) ListingsWithRecurringEvents(ctx context.Context) ([]string, error) {
	es, err := s.events(ctx, `WHERE listing_id IS NOT NULL ORDER BY listing_id`)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range es {
		if e.Recurring() && (len(out) == 0 || out[len(out)-1] != e.ListingID) {
			out = append(out, e.ListingID)
		}
	}
	return out, nil
}

func (s *DB) events(ctx context.Context, where string, args ...any) ([]*event.Event, error) {
	return jsonRows(ctx, s, `SELECT data, version FROM events `+where, func(e *event.Event) *int { return &e.Version }, args...)
}

// jsonRows reads rows of (data, version): a value kept whole as JSON, and
// the version its optimistic updates check.
func jsonRows[T any](ctx context.Context, s *DB, query string, version func(*T) *int, args ...any) ([]*T, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %T: %w", *new(T), err)
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var data string
		v := new(T)
		if err := rows.Scan(&data, version(v)); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), v); err != nil {
			return nil, fmt.Errorf("store: %T: %w", *v, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SaveRoute creates a bus route (no ID) or updates it at its version.
func (s *DB) SaveRoute(ctx context.Context, r *event.Route) error {
	return s.inTx(ctx, func(tx *txn) error {
		if r.ID == "" {
			r.ID, r.Version = uuid.NewString(), 1
		} else {
			var err error
			if r.Version, err = nextVersion(ctx, tx, "bus_routes", r.ID, r.Version); err != nil {
				return err
			}
		}
		r.UpdatedAt = s.Now()
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if r.Version == 1 {
			_, err = tx.ExecContext(ctx, `INSERT INTO bus_routes (id, data, version, updated_at) VALUES (?, ?, ?, ?)`,
				r.ID, string(data), r.Version, formatTime(r.UpdatedAt))
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE bus_routes SET data = ?, version = ?, updated_at = ? WHERE id = ?`,
				string(data), r.Version, formatTime(r.UpdatedAt), r.ID)
		}
		if err != nil {
			return fmt.Errorf("store: save route: %w", err)
		}
		return nil
	})
}

// Routes returns the bus routes.
func (s *DB) Routes(ctx context.Context) ([]*event.Route, error) {
	return jsonRows(ctx, s, `SELECT data, version FROM bus_routes ORDER BY id`, func(r *event.Route) *int { return &r.Version })
}

// nextVersion is the version after read of a row of table (events or
// bus_routes), or why there is none: the row is gone, or someone changed
// it since it was read.
func nextVersion(ctx context.Context, tx *txn, table, id string, read int) (int, error) {
	var version int
	err := tx.QueryRowContext(ctx, `SELECT version FROM `+table+` WHERE id = ?`, id).Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, apperr.NotFound("err.event.not_found")
	case err != nil:
		return 0, fmt.Errorf("store: read %s %s: %w", table, id, err)
	case version != read:
		return 0, apperr.Conflict("err.event.changed")
	}
	return version + 1, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
