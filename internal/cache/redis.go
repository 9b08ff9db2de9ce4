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
// keys start with a prefix, so it can share a Redis with other users.
//
// Answers live in Redis and, for speed, also in a small in-process LRU.
// The in-process copy is used only while this instance knows the current
// generation for certain: it subscribes to the generation channel, which
// every bump publishes to, and re-reads the generation on each
// (re)subscription. While the subscription is down, every lookup reads the
// generation from Redis itself, so no instance serves an answer from
// before a change.
type Redis struct {
	client *redis.Client
	prefix string
	local  *local

	gen      atomic.Uint64
	genKnown atomic.Bool
	// bumpOwed is set when a bump failed: until it succeeds no answer is
	// served, because the answers kept may predate the change.
	bumpOwed atomic.Bool

	cancel context.CancelFunc
	done   chan struct{}
}

// getScript reads the generation and the answer stored under it in one
// round trip.
var getScript = redis.NewScript(`
local gen = redis.call('GET', KEYS[1]) or '0'
return {gen, redis.call('GET', ARGV[1] .. gen .. ':' .. ARGV[2])}
`)

// bumpScript moves the generation on and tells every instance; it
// returns the new generation and how many instances were told. A Redis
// restarted empty counts from 1 again; ARGV[1] is the generation the
// bumping instance knows, and the new one is always past it, so no
// instance ever sees the generation go back to numbers it has answers
// cached under.
var bumpScript = redis.NewScript(`
local gen = redis.call('INCR', KEYS[1])
local known = tonumber(ARGV[1])
if gen <= known then
  gen = known + 1
  redis.call('SET', KEYS[1], gen)
end
return {gen, redis.call('PUBLISH', KEYS[1], gen)}
`)

// ackWait bounds how long a bump waits for the other instances to confirm
// the new generation. An instance slower than this (stalled, or its
// connection breaking) is not waited for: its subscription either
// delivers soon or drops, and a dropped one reads the generation from
// Redis on every lookup.
const ackWait = 2 * time.Second

// raiseScript moves a generation that went back (Redis restarted empty)
// past the one ARGV[1] an instance knows, and tells every instance.
var raiseScript = redis.NewScript(`
local gen = tonumber(redis.call('GET', KEYS[1]) or '0')
local known = tonumber(ARGV[1])
if gen <= known then
  gen = known + 1
  redis.call('SET', KEYS[1], gen)
  redis.call('PUBLISH', KEYS[1], gen)
end
return gen
`)

var quietLibraryLog sync.Once

type silent struct{}

func (silent) Printf(context.Context, string, ...any) {}

// NewRedis connects to the Redis at url (redis://host:port/db) and starts
// watching the generation. Timeouts are short: a slow or absent Redis must
// not slow answers down.
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
	ctx, cancel := context.WithCancel(context.Background())
	r := &Redis{client: redis.NewClient(opts), prefix: prefix, local: newLocal(4096), cancel: cancel, done: make(chan struct{})}
	go r.watch(ctx)
	return r, nil
}

func (r *Redis) genKey() string { return r.prefix + "gen" }

func (r *Redis) ackKey(gen uint64) string {
	return r.prefix + "ack:" + strconv.FormatUint(gen, 10)
}

// confirm tells the instance that bumped to gen that this one serves
// from gen on. A confirmation lost (Redis down) only makes the bump wait
// its bound.
func (r *Redis) confirm(ctx context.Context, gen uint64) {
	key := r.ackKey(gen)
	_, _ = r.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.RPush(ctx, key, 1)
		p.Expire(ctx, key, 2*ackWait)
		return nil
	})
}

func (r *Redis) answerKey(gen uint64, key string) string {
	return r.prefix + "s:" + strconv.FormatUint(gen, 10) + ":" + key
}

// watch keeps r.gen current through the generation channel.
func (r *Redis) watch(ctx context.Context) {
	defer close(r.done)
	backoff := 50 * time.Millisecond
	for ctx.Err() == nil {
		ps := r.client.Subscribe(ctx, r.genKey())
	receive:
		for {
			msg, err := ps.Receive(ctx)
			if err != nil {
				break
			}
			switch m := msg.(type) {
			case *redis.Subscription:
				// Subscribed: from now on no bump is missed, so read the
				// generation once and trust the messages after it.
				g, err := r.current(ctx)
				if err != nil {
					break receive
				}
				r.advance(g)
				r.genKnown.Store(true)
				backoff = 50 * time.Millisecond
			case *redis.Message:
				if g, err := strconv.ParseUint(m.Payload, 10, 64); err == nil {
					r.advance(g)
					r.confirm(ctx, g)
				}
			}
		}
		r.genKnown.Store(false)
		_ = ps.Close() // the connection is gone or going; a new one follows
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

// current reads the generation from Redis; one that went back below what
// this instance knows (Redis restarted empty) is first raised past it, for
// every instance.
func (r *Redis) current(ctx context.Context) (uint64, error) {
	g, err := r.client.Get(ctx, r.genKey()).Uint64()
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, err
	}
	if known := r.gen.Load(); g < known {
		return raiseScript.Run(ctx, r.client, []string{r.genKey()}, known).Uint64()
	}
	return g, nil
}

// advance moves the known generation forward, never back.
func (r *Redis) advance(g uint64) {
	for {
		cur := r.gen.Load()
		if g <= cur || r.gen.CompareAndSwap(cur, g) {
			return
		}
	}
}

// Get returns the answer stored under key in the current generation.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, uint64, error) {
	if r.bumpOwed.Load() {
		if err := r.Bump(ctx); err != nil {
			return nil, 0, err
		}
	}
	if r.genKnown.Load() {
		gen := r.gen.Load()
		if v := r.local.get(gen, key); v != nil {
			return v, gen, nil
		}
		v, err := r.client.Get(ctx, r.answerKey(gen, key)).Bytes()
		switch {
		case errors.Is(err, redis.Nil):
			return nil, gen, nil
		case err != nil:
			return nil, 0, fmt.Errorf("cache: redis get: %w", err)
		}
		r.local.set(gen, key, v)
		return v, gen, nil
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
	if err := r.client.Set(ctx, r.answerKey(gen, key), value, TTL).Err(); err != nil {
		return fmt.Errorf("cache: redis set: %w", err)
	}
	if r.genKnown.Load() && gen == r.gen.Load() {
		r.local.set(gen, key, value)
	}
	return nil
}

// Bump moves to a new generation, for every instance sharing this Redis,
// and returns once every instance listening has confirmed it (or after
// ackWait): the outbox bumps before it marks a change done, so once it is
// empty no instance serves an answer from before the change.
func (r *Redis) Bump(ctx context.Context) error {
	res, err := bumpScript.Run(ctx, r.client, []string{r.genKey()}, r.gen.Load()).Int64Slice()
	if err != nil || len(res) != 2 {
		r.bumpOwed.Store(true)
		return fmt.Errorf("cache: redis bump generation: %w %v", err, res)
	}
	g, told := uint64(res[0]), res[1]
	r.advance(g) // this instance sees its own change at once
	r.bumpOwed.Store(false)
	r.awaitConfirmations(ctx, g, told)
	return nil
}

// awaitConfirmations waits until told instances confirmed gen.
func (r *Redis) awaitConfirmations(ctx context.Context, gen uint64, told int64) {
	deadline := time.Now().Add(ackWait)
	for ; told > 0; told-- {
		left := time.Until(deadline)
		if left <= 0 || r.client.BLPop(ctx, left, r.ackKey(gen)).Err() != nil {
			return
		}
	}
	_ = r.client.Del(ctx, r.ackKey(gen)).Err()
}

// Ping checks that Redis answers and the generation is being watched.
func (r *Redis) Ping(ctx context.Context) error {
	if err := r.client.Ping(ctx).Err(); err != nil {
		return err
	}
	if !r.genKnown.Load() {
		return errors.New("cache: not subscribed to the generation channel")
	}
	return nil
}

// Close stops the watch and closes the connections.
func (r *Redis) Close() error {
	r.cancel()
	err := r.client.Close()
	<-r.done
	return err
}

// Counters is a key-value store in the same Redis, under its own part of
// the prefix, for what every instance must share: the rate limits' counts
// (its methods are fiber's Storage). Keys expire as asked; Reset removes
// only its own keys.
type Counters struct{ r *Redis }

// Counters returns the shared counter store.
func (r *Redis) Counters() *Counters { return &Counters{r} }

func (c *Counters) key(k string) string { return c.r.prefix + "limit:" + k }

// Get returns the value of key, or nil.
func (c *Counters) Get(key string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	v, err := c.r.client.Get(ctx, c.key(key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	return v, err
}

// Set stores value under key for exp (0: without end).
func (c *Counters) Set(key string, value []byte, exp time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return c.r.client.Set(ctx, c.key(key), value, exp).Err()
}

// Delete removes key.
func (c *Counters) Delete(key string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return c.r.client.Del(ctx, c.key(key)).Err()
}

// Reset removes every counter.
func (c *Counters) Reset() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	iter := c.r.client.Scan(ctx, 0, c.key("*"), 500).Iterator()
	for iter.Next(ctx) {
		if err := c.r.client.Del(ctx, iter.Val()).Err(); err != nil {
			return err
		}
	}
	return iter.Err()
}

// Close does nothing: the connection is the cache's.
func (c *Counters) Close() error { return nil }

// Incr adds one to the count under key (kept for ttl from its first count)
// and returns it: a tally every instance adds to.
func (c *Counters) Incr(ctx context.Context, key string, ttl time.Duration) (int64, error) {
	k := c.r.prefix + "tally:" + key
	n, err := c.r.client.Incr(ctx, k).Result()
	if err == nil && n == 1 {
		err = c.r.client.Expire(ctx, k, ttl).Err()
	}
	return n, err
}
