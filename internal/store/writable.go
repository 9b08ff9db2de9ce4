package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// recentRefusal is how long a refused write keeps readiness at read_only
// though the probe succeeds: the probe's row may fit where a listing does
// not.
const recentRefusal = 30 * time.Second

// Unwritable reports whether err is the store refusing to write — a full
// disk or size limit, a read-only file, an I/O error — and notes when, for
// readiness. Reads go on working meanwhile.
func (s *DB) Unwritable(err error) bool {
	if !refusesWrites(err) {
		return false
	}
	s.refusedAt.Store(time.Now().UnixNano())
	return true
}

// Writable checks that the store can write now: it commits a small row
// and deletes it. A write refused in the last recentRefusal counts too.
func (s *DB) Writable(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO health_probe (id, pad) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET pad = excluded.pad`, make([]byte, 4096))
	if err == nil {
		_, err = s.db.ExecContext(ctx, `DELETE FROM health_probe`)
	}
	if err != nil {
		s.Unwritable(err)
		return fmt.Errorf("store: write probe: %w", err)
	}
	if at := s.refusedAt.Load(); at != 0 && time.Since(time.Unix(0, at)) < recentRefusal {
		return errors.New("store: a write was refused moments ago")
	}
	return nil
}
