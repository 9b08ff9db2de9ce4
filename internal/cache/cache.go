// Package cache keeps encoded search answers, in Redis when it is
// configured and in process otherwise. Every key carries the cache
// generation, which moves on with each published change, so a change is
// visible on the very next request and nothing has to be deleted.
package cache

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/bergenreparerer/reparerer/internal/search"
)

// TTL bounds how long an answer is kept. Answers are keyed by the minute
// they were computed in, so they are not worth more than that.
const TTL = 2 * time.Minute

var (
	_ search.Cache = (*Memory)(nil)
	_ search.Cache = (*Redis)(nil)
)

// local is a bounded in-process LRU of answers keyed by generation and key.
type local struct {
	entries *lru.Cache[string, localEntry]
	now     func() time.Time
}

type localEntry struct {
	value   []byte
	expires time.Time
}

func newLocal(size int) *local {
	entries, err := lru.New[string, localEntry](size)
	if err != nil {
		panic(err) // only for size <= 0, a programming error
	}
	return &local{entries: entries, now: time.Now}
}

func localKey(gen uint64, key string) string { return strconv.FormatUint(gen, 10) + ":" + key }

func (l *local) get(gen uint64, key string) []byte {
	e, ok := l.entries.Get(localKey(gen, key))
	if !ok || l.now().After(e.expires) {
		return nil
	}
	return e.value
}

func (l *local) set(gen uint64, key string, value []byte) {
	l.entries.Add(localKey(gen, key), localEntry{value: value, expires: l.now().Add(TTL)})
}

// Memory is the in-process cache for a single instance.
type Memory struct {
	gen   atomic.Uint64
	local *local
	mu    sync.Mutex // orders Set against Bump
}

// NewMemory returns an in-process cache holding at most size answers.
func NewMemory(size int) *Memory { return &Memory{local: newLocal(size)} }

// Get returns the answer stored under key in the current generation.
func (m *Memory) Get(_ context.Context, key string) ([]byte, uint64, error) {
	gen := m.gen.Load()
	return m.local.get(gen, key), gen, nil
}

// Set stores an answer computed in generation gen; an answer from before a
// bump is dropped.
func (m *Memory) Set(_ context.Context, key string, gen uint64, value []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if gen == m.gen.Load() {
		m.local.set(gen, key, value)
	}
	return nil
}

// Bump moves to a new generation, making every stored answer unreachable.
func (m *Memory) Bump(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen.Add(1)
	return nil
}

// Ping always succeeds: the memory cache cannot be down.
func (m *Memory) Ping(context.Context) error { return nil }

// Close does nothing; it is there so both caches can be closed alike.
func (m *Memory) Close() error { return nil }
