package cache

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the shared cache for deployments with several instances. All
// keys start with Prefix, so it can share a Redis with other users.
type Redis struct {
	client *redis.Client
	prefix string
	// bumpOwed is set when a bump failed: until it succeeds no answer is
	// served from Redis, because the answers there may predate the change.
	bumpOwed atomic.Bool
}

// getScript reads the generation and the answer stored under it in one
// round trip.
var getScript = redis.NewScript(`
local gen = redis.call('GET', KEYS[1]) or '0'
return {gen, redis.call('GET', ARGV[1] .. gen .. ':' .. ARGV[2])}
`)

var quietLibraryLog sync.Once

type silent struct{}

func (silent) Printf(context.Context, string, ...any) {}

// NewRedis connects lazily to the Redis at url (redis://host:port/db).
// Timeouts are short: a slow or absent Redis must not slow answers down.
func NewRedis(url, prefix string) (*Redis, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("cache: REDIS_URL: %w", err)
	}
	opts.DialTimeout = 250 * time.Millisecond
	opts.ReadTimeout = 250 * time.Millisecond
	opts.WriteTimeout = 250 * time.Millisecond
	opts.MaxRetries = -1 // no retries: fall back to the index at once
	opts.DialerRetries = 1
	// go-redis prints every failed dial to stderr on its own; the search
	// service logs when the cache goes down and comes back, once each.
	quietLibraryLog.Do(func() { redis.SetLogger(silent{}) })
	return &Redis{client: redis.NewClient(opts), prefix: prefix}, nil
}

func (r *Redis) genKey() string { return r.prefix + "gen" }

// Get returns the answer stored under key in the current generation.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, uint64, error) {
	if r.bumpOwed.Load() {
		if err := r.Bump(ctx); err != nil {
			return nil, 0, err
		}
	}
	res, err := getScript.Run(ctx, r.client, []string{r.genKey()}, r.prefix+"s:", key).Slice()
	if err != nil {
		return nil, 0, fmt.Errorf("cache: redis get: %w", err)
	}
	if len(res) != 2 {
		return nil, 0, errors.New("cache: redis get: unexpected reply")
	}
	genText, _ := res[0].(string)
	gen, err := strconv.ParseUint(genText, 10, 64)
	if err != nil {
		return nil, 0, fmt.Errorf("cache: redis generation %q: %w", genText, err)
	}
	if value, ok := res[1].(string); ok {
		return []byte(value), gen, nil
	}
	return nil, gen, nil
}

// Set stores an answer computed in generation gen.
func (r *Redis) Set(ctx context.Context, key string, gen uint64, value []byte) error {
	k := r.prefix + "s:" + strconv.FormatUint(gen, 10) + ":" + key
	if err := r.client.Set(ctx, k, value, TTL).Err(); err != nil {
		return fmt.Errorf("cache: redis set: %w", err)
	}
	return nil
}

// Bump moves to a new generation, for every instance sharing this Redis.
func (r *Redis) Bump(ctx context.Context) error {
	if err := r.client.Incr(ctx, r.genKey()).Err(); err != nil {
		r.bumpOwed.Store(true)
		return fmt.Errorf("cache: redis bump generation: %w", err)
	}
	r.bumpOwed.Store(false)
	return nil
}

// Ping checks that Redis answers.
func (r *Redis) Ping(ctx context.Context) error { return r.client.Ping(ctx).Err() }

// Close closes the connections.
func (r *Redis) Close() error { return r.client.Close() }
