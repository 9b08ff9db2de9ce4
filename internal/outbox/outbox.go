// Package outbox drains the transactional outbox into the search index: the
// store queues a row with every write, and the worker pushes the listing's
// current state until the index accepts it.
package outbox

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Entry is one queued write.
type Entry struct {
	ID        int64
	ListingID string
	Attempts  int
}

// MaxRefusals is how often the index may refuse an entry before it is
// parked: kept in the outbox and counted, but left out of the batches. A
// new write of the listing queues a new entry, which is tried afresh.
const MaxRefusals = 3

// Queue is the outbox table.
type Queue interface {
	// Pending returns the oldest entries that are not parked.
	Pending(ctx context.Context, limit int) ([]Entry, error)
	Done(ctx context.Context, ids []int64) error
	// Failed records an attempt the index could not be reached for.
	Failed(ctx context.Context, ids []int64, reason string) error
	// Refused records an attempt the index refused.
	Refused(ctx context.Context, ids []int64, reason string) error
	PendingCount(ctx context.Context) (int, error)
}

// Index receives listings: published ones are upserted, others removed.
type Index interface {
	Apply(ctx context.Context, upsert []*listing.Listing, remove []string) error
}

// Generations is told when the index has accepted a batch, so caches can
// move to a new generation (the cache adapters implement it).
type Generations interface {
	Bump(ctx context.Context)
}

// Worker drains the queue.
type Worker struct {
	Queue       Queue
	Listings    listing.Store
	Index       Index
	Generations Generations
	Log         *slog.Logger
	// Batch is how many entries one push carries; while a backlog lasts
	// (an import, a yearly refresh) each full push doubles the next, up to
	// MaxBatch: Meilisearch indexes a few large batches far faster than
	// many small ones.
	Batch, MaxBatch int
	// MaxBackoff caps the wait between failed attempts.
	MaxBackoff time.Duration
	// Gate, when set, says whether this instance drains now (the one
	// holding the outbox's lease); the others leave the queue to it.
	Gate func(ctx context.Context) bool

	kick chan struct{}
	size int // the current batch size, between Batch and MaxBatch
}

// NewWorker returns a worker with sensible batch size and backoff.
func NewWorker(q Queue, listings listing.Store, index Index, generations Generations, log *slog.Logger) *Worker {
	return &Worker{Queue: q, Listings: listings, Index: index, Generations: generations, Log: log,
		Batch: 500, MaxBatch: 8000, MaxBackoff: 30 * time.Second, kick: make(chan struct{}, 1)}
}

// ListingWritten wakes the worker (listing.Notifier): the listing service
// calls it after commit, so a change reaches the index within milliseconds.
func (w *Worker) ListingWritten() { w.Kick() }

// Kick wakes the worker now instead of at its next poll.
func (w *Worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run drains the queue until ctx ends, polling every second and retrying
// with exponential backoff while the index cannot be reached.
func (w *Worker) Run(ctx context.Context) {
	const poll = time.Second
	backoff := time.Duration(0)
	for {
		n, err := w.Drain(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			// While the index is down, kicks do not shorten the wait.
			backoff = min(max(2*backoff, 250*time.Millisecond), w.MaxBackoff)
			w.Log.Warn("outbox: index unreachable; will retry", "error", err, "retry_in", backoff.String())
			if !sleep(ctx, backoff) {
				return
			}
			continue
		}
		backoff = 0
		if n > 0 {
			continue // more may be waiting
		}
		select {
		case <-ctx.Done():
			return
		case <-w.kick:
		case <-time.After(poll):
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// ErrRefused marks an error of an Index that received the batch and refused
// it (a document it cannot take), as opposed to one it could not be reached for.
var ErrRefused = errors.New("outbox: the index refused the batch")

// change is what one batch does to one listing.
type change struct {
	listingID string
	entryIDs  []int64
	upsert    *listing.Listing // nil: remove from the index
}

// Drain pushes one batch and returns how many entries it cleared. When the
// index refuses the batch, each listing is pushed on its own, so a listing
// the index cannot take holds up only itself.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	if w.Gate != nil && !w.Gate(ctx) {
		return 0, nil
	}
	size := max(w.size, w.Batch)
	entries, err := w.Queue.Pending(ctx, size)
	if err != nil || len(entries) == 0 {
		return 0, err
	}
	w.size = w.Batch
	if len(entries) == size { // a backlog: take more next time
		w.size = min(2*size, max(w.MaxBatch, w.Batch))
	}
	changes, err := w.changes(ctx, entries)
	if err != nil {
		return 0, err
	}
	err = w.push(ctx, changes)
	if !errors.Is(err, ErrRefused) {
		if err != nil {
			return 0, err
		}
		return len(entries), nil
	}
	// Meilisearch is up but refused the batch: find the listing it cannot
	// take by pushing each on its own. Not an outage, so no backoff.
	done := 0
	for _, c := range changes {
		if len(changes) > 1 {
			err = w.push(ctx, []change{c})
		}
		switch {
		case err == nil:
			done += len(c.entryIDs)
		case errors.Is(err, ErrRefused):
			w.Log.Error("outbox: the index refuses this listing; it stays queued and is parked after a few refusals",
				"listing_id", c.listingID, "error", err)
		default:
			return done, err
		}
	}
	return done, nil
}

// changes reads the current state of each listing in the batch; several
// entries for one listing become one change.
func (w *Worker) changes(ctx context.Context, entries []Entry) ([]change, error) {
	var out []change
	at := map[string]int{}
	for _, e := range entries {
		if i, ok := at[e.ListingID]; ok {
			out[i].entryIDs = append(out[i].entryIDs, e.ID)
			continue
		}
		at[e.ListingID] = len(out)
		out = append(out, change{listingID: e.ListingID, entryIDs: []int64{e.ID}})
	}
	ids := make([]string, len(out))
	for i, c := range out {
		ids[i] = c.listingID
	}
	current, err := w.Listings.GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if l, ok := current[out[i].listingID]; ok && l.Published() {
			out[i].upsert = l
		}
	}
	return out, nil
}

// push applies the changes and clears their entries, or records the failure.
func (w *Worker) push(ctx context.Context, changes []change) error {
	var upsert []*listing.Listing
	var remove []string
	var ids []int64
	for _, c := range changes {
		if c.upsert != nil {
			upsert = append(upsert, c.upsert)
		} else {
			remove = append(remove, c.listingID)
		}
		ids = append(ids, c.entryIDs...)
	}
	if err := w.Index.Apply(ctx, upsert, remove); err != nil {
		var rerr error
		switch {
		case errors.Is(err, ErrRefused) && len(changes) == 1:
			rerr = w.Queue.Refused(ctx, ids, err.Error())
		case errors.Is(err, ErrRefused):
			// A refused batch is not held against its listings: Drain
			// pushes each on its own next and finds the one refused.
		default:
			rerr = w.Queue.Failed(ctx, ids, err.Error())
		}
		return errors.Join(err, rerr)
	}
	// Move the cache on before the rows go: once the outbox is empty, no
	// answer from before the change can be served.
	if w.Generations != nil {
		w.Generations.Bump(ctx)
	}
	return w.Queue.Done(ctx, ids)
}
