package cache_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/cache"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

type generationCache interface {
	Get(ctx context.Context, key string) ([]byte, uint64, error)
	Set(ctx context.Context, key string, gen uint64, value []byte) error
	Bump(ctx context.Context) error
}

func caches(t *testing.T) map[string]generationCache {
	r, err := cache.NewRedis(testenv.SharedRedis(t).URL(), testenv.Name(t)+":")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return map[string]generationCache{"redis": r, "memory": cache.NewMemory(100)}
}

func TestGenerations(t *testing.T) {
	ctx := context.Background()
	for name, c := range caches(t) {
		t.Run(name, func(t *testing.T) {
			v, gen, err := c.Get(ctx, "k")
			if err != nil || v != nil {
				t.Fatalf("empty cache: %q %v", v, err)
			}
			if err := c.Set(ctx, "k", gen, []byte("answer")); err != nil {
				t.Fatal(err)
			}
			if v, _, _ := c.Get(ctx, "k"); string(v) != "answer" {
				t.Fatalf("after Set: %q", v)
			}
			if err := c.Bump(ctx); err != nil {
				t.Fatal(err)
			}
			v, newGen, _ := c.Get(ctx, "k")
			if v != nil || newGen == gen {
				t.Errorf("after Bump: value %q generation %d→%d, want a miss in a new generation", v, gen, newGen)
			}
			// An answer computed before the bump must not be served after it.
			_ = c.Set(ctx, "k", gen, []byte("stale"))
			if v, _, _ := c.Get(ctx, "k"); v != nil {
				t.Errorf("stale answer served: %q", v)
			}
		})
	}
}

func TestRedisPrefixesAreIsolated(t *testing.T) {
	ctx := context.Background()
	url := testenv.SharedRedis(t).URL()
	a, _ := cache.NewRedis(url, testenv.Name(t)+"a:")
	b, _ := cache.NewRedis(url, testenv.Name(t)+"b:")
	defer a.Close()
	defer b.Close()
	_, gen, _ := a.Get(ctx, "k")
	_ = a.Set(ctx, "k", gen, []byte("a's"))
	if v, _, _ := b.Get(ctx, "k"); v != nil {
		t.Errorf("b sees a's key: %q", v)
	}
	_ = b.Bump(ctx)
	if v, _, _ := a.Get(ctx, "k"); string(v) != "a's" {
		t.Errorf("b's bump invalidated a: %q", v)
	}
}

// A bump on one instance reaches another through the generation channel,
// and returns only once it has: from then on the other's in-process copy
// no longer answers (the outbox bumps before it marks a change done).
func TestRedisBumpReachesOtherInstances(t *testing.T) {
	ctx := context.Background()
	url, prefix := testenv.SharedRedis(t).URL(), testenv.Name(t)+":"
	a, _ := cache.NewRedis(url, prefix)
	b, _ := cache.NewRedis(url, prefix)
	defer a.Close()
	defer b.Close()
	waitSubscribed(t, a)
	waitSubscribed(t, b)
	_, gen, _ := a.Get(ctx, "k")
	_ = a.Set(ctx, "k", gen, []byte("v1"))
	if v, _, _ := b.Get(ctx, "k"); string(v) != "v1" { // now in b's in-process copy too
		t.Fatalf("b: %q, want v1", v)
	}
	if err := a.Bump(ctx); err != nil {
		t.Fatal(err)
	}
	if v, _, err := b.Get(ctx, "k"); v != nil || err != nil {
		t.Fatalf("b right after a's bump: %q %v, want a miss", v, err)
	}
}

func waitSubscribed(t *testing.T, r *cache.Redis) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for r.Ping(context.Background()) != nil {
		if time.Now().After(deadline) {
			t.Fatal("not subscribed to the generation channel after 5 s")
		}
		time.Sleep(5 * time.Millisecond) // polling a condition
	}
}
