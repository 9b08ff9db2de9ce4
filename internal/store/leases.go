package store

import (
	"context"
	"fmt"
	"time"
)

// TakeLease gives holder the job name until now+ttl when nobody holds it
// or the lease lapsed, and renews it when holder has it; it reports
// whether holder has it now. One statement: two instances asking at once
// cannot both get it.
func (s *DB) TakeLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	now := time.Now() // the wall clock: a lease lapses in real time, whatever the service's clock says
	res, err := s.db.ExecContext(ctx, `INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
		WHERE leases.until < ? OR leases.holder = excluded.holder`,
		name, holder, now.Add(ttl).UnixMilli(), now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("store: take lease %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ReleaseLease hands a job back (a graceful stop), so another instance
// takes it at once.
func (s *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE leases SET until = 0 WHERE name = ? AND holder = ?`, name, holder); err != nil {
		return fmt.Errorf("store: release lease %s: %w", name, err)
	}
	return nil
}
