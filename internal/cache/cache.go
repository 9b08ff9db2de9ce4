// Package cache keeps encoded search answers, in Redis when it is
// configured and in process otherwise. Every key carries the cache
// generation, which moves on with each published change, so a change is
// visible on the very next request and nothing has to be deleted.
package cache

import (
	"context"
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

// Memory is the in-process cache: a bounded LRU.
type Memory struct {
	gen     atomic.Uint64
	entries *lru.Cache[string, memoryEntry]
	now     func() time.Time
	mu      sync.Mutex // serialises Set's check-and-add
}

type memoryEntry struct {
	value   []byte
	expires time.Time
}

// NewMemory returns an in-process cache holding at most size answers.
func NewMemory(size int) *Memory {
	entries, err := lru.New[string, memoryEntry](size)
	if err != nil {
		panic(err) // only for size <= 0, a programming error
	}
	return &Memory{entries: entries, now: time.Now}
}

func memoryKey(gen uint64, key string) string {
	return string(appendUint(nil, gen)) + ":" + key
}

// Get returns the answer stored under key in the current generation.
func (m *Memory) Get(_ context.Context, key string) ([]byte, uint64, error) {
	gen := m.gen.Load()
	e, ok := m.entries.Get(memoryKey(gen, key))
	if !ok || m.now().After(e.expires) {
		return nil, gen, nil
	}
	return e.value, gen, nil
}

// Set stores an answer computed in generation gen.
func (m *Memory) Set(_ context.Context, key string, gen uint64, value []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if gen == m.gen.Load() { // an answer from before a bump is not worth keeping
		m.entries.Add(memoryKey(gen, key), memoryEntry{value: value, expires: m.now().Add(TTL)})
	}
	return nil
}

// Bump moves to a new generation, making every stored answer unreachable.
func (m *Memory) Bump(context.Context) error {
	m.gen.Add(1)
	return nil
}

// Ping always succeeds: the memory cache cannot be down.
func (m *Memory) Ping(context.Context) error { return nil }

// Close does nothing; it is there so both caches can be closed alike.
func (m *Memory) Close() error { return nil }

func appendUint(b []byte, n uint64) []byte {
	if n >= 10 {
		b = appendUint(b, n/10)
	}
	return append(b, byte('0'+n%10))
}
