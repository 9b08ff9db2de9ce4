package web

import (
	"context"
	"errors"
	"testing"
	"time"
)

// tally is a shared counter that can be made to fail.
type tally struct {
	counts map[string]int64
	down   bool
}

func (t *tally) Incr(_ context.Context, key string, _ time.Duration) (int64, error) {
	if t.down {
		return 0, errors.New("redis: connection refused")
	}
	t.counts[key]++
	return t.counts[key], nil
}

// A sticker's visitor is counted once a day: in the shared tally while it
// answers (only a hash is its key), in this process while it does not.
func TestStickerVisitsSeenOncePerDay(t *testing.T) {
	ctx := context.Background()
	shared := &tally{counts: map[string]int64{}}
	s := seenToday{shared: shared}
	if !s.first(ctx, "2026-11-30", "l1", "203.0.113.7") || s.first(ctx, "2026-11-30", "l1", "203.0.113.7") {
		t.Error("one client's two visits: want the first counted only")
	}
	if !s.first(ctx, "2026-11-30", "l2", "203.0.113.7") || !s.first(ctx, "2026-12-01", "l1", "203.0.113.7") {
		t.Error("another listing, or the next day, is another visit")
	}
	for key := range shared.counts {
		if len(key) != len("visit:")+32 {
			t.Errorf("the shared key %q is not a hash", key)
		}
	}
	shared.down = true
	if !s.first(ctx, "2026-11-30", "l3", "203.0.113.7") || s.first(ctx, "2026-11-30", "l3", "203.0.113.7") {
		t.Error("with the tally down, the visits are told apart in memory")
	}
}
