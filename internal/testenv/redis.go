package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Redis is a redis-server started for tests.
type Redis struct {
	Addr string
	p    *process
}

// URL returns the redis:// URL of database 0.
func (r *Redis) URL() string { return "redis://" + r.Addr + "/0" }

// SharedRedis returns the package's Redis, starting it on first use. Tests
// isolate themselves with their own key prefix.
func SharedRedis(tb testing.TB) *Redis {
	tb.Helper()
	mu.Lock()
	r := shared.redis
	mu.Unlock()
	if r == nil {
		var err error
		if r, err = startRedis(tb); err != nil {
			tb.Fatal(err)
		}
		mu.Lock()
		shared.redis = r
		mu.Unlock()
		atExit(r.p.stop)
	}
	return r
}

// StartRedis starts a Redis only this test uses, so it may Stop it.
func StartRedis(tb testing.TB) *Redis {
	tb.Helper()
	r, err := startRedis(tb)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(r.p.stop)
	return r
}

func startRedis(tb testing.TB) (*Redis, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("testenv: redis-server is not installed; run scripts/provision-redis.sh (Debian: apt-get install redis-server)")
	}
	dir, err := os.MkdirTemp("", "reparerer-redis-")
	if err != nil {
		return nil, err
	}
	atExit(func() { os.RemoveAll(dir) })
	port := FreePort(tb)
	r := &Redis{Addr: fmt.Sprintf("127.0.0.1:%d", port)}
	r.p = &process{name: bin, log: filepath.Join(dir, "redis.log"), args: []string{
		"--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir, "--daemonize", "no", "--protected-mode", "yes",
	}}
	if err := r.p.start(); err != nil {
		return nil, err
	}
	if err := waitTCP(r.Addr, 10*time.Second); err != nil {
		r.p.stop()
		return nil, fmt.Errorf("%w\nredis log:\n%s", err, r.p.tail())
	}
	return r, nil
}

// Stop kills the server.
func (r *Redis) Stop() { r.p.stop() }

// Restart kills the server and starts it again on the same port, empty,
// as a Redis without persistence comes back after a crash.
func (r *Redis) Restart(tb testing.TB) {
	tb.Helper()
	r.p.stop()
	if err := r.p.start(); err != nil {
		tb.Fatal(err)
	}
	if err := waitTCP(r.Addr, 10*time.Second); err != nil {
		tb.Fatalf("%v\nredis log:\n%s", err, r.p.tail())
	}
}
