// Package meili is the Meilisearch adapter: it turns listings into index
// documents, applies the index settings kept in search/, runs searches and
// rebuilds the index with zero downtime. Meilisearch types stay inside it.
package meili

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/goccy/go-json"
	"github.com/meilisearch/meilisearch-go"

	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/outbox"
	"github.com/bergenreparerer/reparerer/internal/search"
)

var (
	_ search.Index = (*Index)(nil)
	_ outbox.Index = (*Index)(nil)
)

// Index is one Meilisearch index of published listings.
type Index struct {
	client    meilisearch.ServiceManager
	uid       string
	districts *district.Map
	settings  *meilisearch.Settings
	searcher  *searchClient
	// Now is the clock the open-time slots are computed from.
	Now func() time.Time
	// Sessions gives the listings' coming sessions (events) to index with
	// them; nil: none.
	Sessions func(ctx context.Context, ids []string) (map[string][]listing.Session, error)
	// OnLost is called (it must not block) when a search finds the index
	// or its settings gone; nil: nobody is told.
	OnLost func()
	// ready is set once Ensure has made the index with its settings;
	// before, searches would filter on attributes not yet filterable.
	ready atomic.Bool
}

// New returns the adapter for index uid at url. It does not contact
// Meilisearch; Ensure does.
func New(url, key, uid string, districts *district.Map) (*Index, error) {
	settings, err := loadSettings()
	if err != nil {
		return nil, err
	}
	// Go's default transport asks for gzip, and on kept-alive connections
	// every search then stalls ~44 ms: ask for plain responses, keep a pool.
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		DisableCompression:  true,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     90 * time.Second,
	}
	client := meilisearch.New(url,
		meilisearch.WithAPIKey(key),
		meilisearch.WithCustomClient(&http.Client{Transport: transport, Timeout: 30 * time.Second}),
		meilisearch.DisableRetries(), // callers decide: search fails fast, the outbox retries
		// goccy/go-json is a drop-in for encoding/json at a fraction of the
		// CPU; search answers are decoded on every uncached request.
		meilisearch.WithCustomJsonMarshaler(json.Marshal),
		meilisearch.WithCustomJsonUnmarshaler(json.Unmarshal),
	)
	searcher, err := newSearchClient(url, key, uid)
	if err != nil {
		return nil, err
	}
	return &Index{client: client, uid: uid, districts: districts, settings: settings, searcher: searcher, Now: time.Now}, nil
}

// Close releases idle connections.
func (ix *Index) Close() {
	ix.client.Close()
	ix.searcher.hc.CloseIdleConnections()
}

// maxTaskWait bounds the wait for one Meilisearch task.
const maxTaskWait = 2 * time.Minute

// errNotReady is why the index cannot answer before Ensure succeeded.
var errNotReady = errors.New("meili: the index and its settings are not ready yet")

// Health checks that Meilisearch answers and the index exists with its
// settings.
func (ix *Index) Health(ctx context.Context) error {
	if !ix.ready.Load() {
		return errNotReady
	}
	if _, err := ix.client.HealthWithContext(ctx); err != nil {
		return fmt.Errorf("meili: health: %w", err)
	}
	if _, err := ix.client.GetIndexWithContext(ctx, ix.uid); err != nil {
		return fmt.Errorf("meili: index %s: %w", ix.uid, err)
	}
	return nil
}

// Ensure creates the index if it is missing and applies the settings.
func (ix *Index) Ensure(ctx context.Context) error {
	_, err := ix.Restore(ctx)
	return err
}

// Restore is Ensure, and reports whether the index had to be created: a
// Meilisearch that lost its data, to be refilled from the store.
func (ix *Index) Restore(ctx context.Context) (created bool, err error) {
	if created, err = ix.create(ctx, ix.uid); err != nil {
		return created, err
	}
	if err := ix.applySettings(ctx, ix.uid); err != nil {
		return created, err
	}
	ix.ready.Store(true)
	return created, nil
}

func (ix *Index) create(ctx context.Context, uid string) (bool, error) {
	if _, err := ix.client.GetIndexWithContext(ctx, uid); err == nil {
		return false, nil
	} else if !isCode(err, "index_not_found") {
		return false, fmt.Errorf("meili: look up index %s: %w", uid, err)
	}
	task, err := ix.client.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: uid, PrimaryKey: "id"})
	if err != nil {
		return false, fmt.Errorf("meili: create index %s: %w", uid, err)
	}
	if err := ix.wait(ctx, task); err != nil && !isCode(err, "index_already_exists") {
		return false, fmt.Errorf("meili: create index %s: %w", uid, err)
	}
	return true, nil
}

func (ix *Index) applySettings(ctx context.Context, uid string) error {
	task, err := ix.client.Index(uid).UpdateSettingsWithContext(ctx, ix.settings)
	if err != nil {
		return fmt.Errorf("meili: update settings of %s: %w", uid, err)
	}
	if err := ix.wait(ctx, task); err != nil {
		return fmt.Errorf("meili: update settings of %s: %w", uid, err)
	}
	return nil
}

// withSessions are the listings with their coming sessions, copied: the
// callers' listings are left as they were.
func (ix *Index) withSessions(ctx context.Context, ls []*listing.Listing) ([]*listing.Listing, error) {
	if ix.Sessions == nil {
		return ls, nil
	}
	ids := make([]string, len(ls))
	for i, l := range ls {
		ids[i] = l.ID
	}
	sessions, err := ix.Sessions(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("meili: sessions: %w", err)
	}
	out := make([]*listing.Listing, len(ls))
	for i, l := range ls {
		out[i] = l
		if ss := sessions[l.ID]; len(ss) > 0 {
			withSessions := *l
			withSessions.Sessions = ss
			out[i] = &withSessions
		}
	}
	return out, nil
}

// Apply upserts the published listings and removes the others, and
// returns once Meilisearch has applied both.
func (ix *Index) Apply(ctx context.Context, upsert []*listing.Listing, remove []string) error {
	return ix.apply(ctx, ix.uid, upsert, remove)
}

func (ix *Index) apply(ctx context.Context, uid string, upsert []*listing.Listing, remove []string) error {
	index := ix.client.Index(uid)
	if len(upsert) > 0 {
		upsert, err := ix.withSessions(ctx, upsert)
		if err != nil {
			return err
		}
		docs := ix.documents(upsert)
		pk := "id"
		task, err := index.AddDocumentsWithContext(ctx, docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
		if err != nil {
			return fmt.Errorf("meili: add %d documents: %w", len(docs), err)
		}
		if err := ix.wait(ctx, task); err != nil {
			return fmt.Errorf("meili: add %d documents: %w", len(docs), err)
		}
	}
	if len(remove) > 0 {
		task, err := index.DeleteDocumentsWithContext(ctx, remove, nil)
		if err != nil {
			return fmt.Errorf("meili: delete %d documents: %w", len(remove), err)
		}
		if err := ix.wait(ctx, task); err != nil {
			return fmt.Errorf("meili: delete %d documents: %w", len(remove), err)
		}
	}
	return nil
}

// ChangeSource is what Reindex reads from: the store.
type ChangeSource interface {
	Published(ctx context.Context) ([]*listing.Listing, error)
	ChangedSince(ctx context.Context, t time.Time) ([]*listing.Listing, error)
}

// Reindex rebuilds the index from the store with zero downtime: it fills a
// new index, swaps it with the live one, deletes the old one, and finally
// re-applies whatever was written while it worked. It returns the number of
// documents indexed.
func (ix *Index) Reindex(ctx context.Context, src ChangeSource) (int, error) {
	started := time.Now()
	listings, err := src.Published(ctx)
	if err != nil {
		return 0, err
	}
	tmp := fmt.Sprintf("%s_reindex_%d", ix.uid, started.UnixNano())
	if _, err := ix.create(ctx, tmp); err != nil {
		return 0, err
	}
	cleanup := func() { _, _ = ix.client.DeleteIndexWithContext(context.WithoutCancel(ctx), tmp) }
	if err := ix.applySettings(ctx, tmp); err != nil {
		cleanup()
		return 0, err
	}
	const batch = 1000
	for i := 0; i < len(listings); i += batch {
		if err := ix.apply(ctx, tmp, listings[i:min(i+batch, len(listings))], nil); err != nil {
			cleanup()
			return 0, err
		}
	}
	if _, err := ix.create(ctx, ix.uid); err != nil { // swapping needs both to exist
		cleanup()
		return 0, err
	}
	task, err := ix.client.SwapIndexesWithContext(ctx, []*meilisearch.SwapIndexesParams{{Indexes: []string{ix.uid, tmp}}})
	if err == nil {
		err = ix.wait(ctx, task)
	}
	if err != nil {
		cleanup()
		return 0, fmt.Errorf("meili: swap %s and %s: %w", ix.uid, tmp, err)
	}
	cleanup() // tmp now holds the old documents
	// Writes that landed while the new index was filled went to the old one.
	changed, err := src.ChangedSince(ctx, started.Add(-time.Second))
	if err != nil {
		return 0, err
	}
	var upsert []*listing.Listing
	var remove []string
	for _, l := range changed {
		if l.Published() {
			upsert = append(upsert, l)
		} else {
			remove = append(remove, l.ID)
		}
	}
	if err := ix.Apply(ctx, upsert, remove); err != nil {
		return 0, err
	}
	return len(listings), nil
}

// wait waits for a task and turns a failed task into an error: the client's
// WaitForTask returns a nil error for a task that failed.
func (ix *Index) wait(ctx context.Context, info *meilisearch.TaskInfo) error {
	if _, ok := ctx.Deadline(); !ok {
		// Nothing waits forever on a task a busy Meilisearch has not yet
		// started: the outbox retries, a start-up Ensure tries again.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, maxTaskWait)
		defer cancel()
	}
	task, err := ix.client.WaitForTaskWithContext(ctx, info.TaskUID, 10*time.Millisecond)
	if err != nil {
		return fmt.Errorf("meili: wait for task %d: %w", info.TaskUID, err)
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return &taskError{uid: task.UID, status: string(task.Status), code: task.Error.Code, message: task.Error.Message}
	}
	return nil
}

type taskError struct {
	uid                   int64
	status, code, message string
}

// Is makes a refused task an outbox.ErrRefused: Meilisearch was reached and
// said no, so retrying the same batch cannot help.
func (e *taskError) Is(target error) bool { return target == outbox.ErrRefused }

func (e *taskError) Error() string {
	return fmt.Sprintf("meili: task %d %s: %s (%s)", e.uid, e.status, e.message, e.code)
}

// isCode reports whether err is a Meilisearch error with the given code.
func isCode(err error, code string) bool {
	var te *taskError
	if errors.As(err, &te) {
		return te.code == code
	}
	var me *meilisearch.Error
	return errors.As(err, &me) && me.MeilisearchApiError.Code == code
}
