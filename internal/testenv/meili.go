package testenv

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Meili is a Meilisearch server started for tests.
type Meili struct {
	URL string
	Key string
	p   *process
}

// MeiliBinary returns the path of the pinned Meilisearch binary, installing
// it with scripts/provision-meili.sh when needed ($MEILI_BIN overrides).
func MeiliBinary() (string, error) {
	if bin := os.Getenv("MEILI_BIN"); bin != "" {
		return bin, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	out, err := exec.Command(filepath.Join(root, "scripts", "provision-meili.sh")).Output()
	if err != nil {
		msg := err.Error()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			msg = string(ee.Stderr)
		}
		return "", fmt.Errorf("testenv: provisioning Meilisearch failed (run scripts/provision-meili.sh): %s", msg)
	}
	return strings.TrimSpace(string(out)), nil
}

// SharedMeili returns the package's Meilisearch, starting it on first use.
// Tests share the server and isolate themselves with their own index uid.
func SharedMeili(tb testing.TB) *Meili {
	tb.Helper()
	mu.Lock()
	m, err := shared.meili, shared.err
	mu.Unlock()
	if m == nil && err == nil {
		m, err = startMeili(tb)
		mu.Lock()
		shared.meili, shared.err = m, err
		mu.Unlock()
		if err == nil {
			atExit(m.p.stop)
		}
	}
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// StartMeili starts a Meilisearch only this test uses, so it may Stop and
// Start it; it is stopped when the test ends.
func StartMeili(tb testing.TB) *Meili {
	tb.Helper()
	m, err := startMeili(tb)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(m.p.stop)
	return m
}

func startMeili(tb testing.TB) (*Meili, error) {
	bin, err := MeiliBinary()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "reparerer-meili-")
	if err != nil {
		return nil, err
	}
	atExit(func() { os.RemoveAll(dir) })
	port := FreePort(tb)
	m := &Meili{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Key: RandomKey()}
	m.p = &process{name: bin, log: filepath.Join(dir, "meili.log"), args: []string{
		"--http-addr", fmt.Sprintf("127.0.0.1:%d", port),
		"--master-key", m.Key,
		"--db-path", filepath.Join(dir, "data.ms"),
		"--dump-dir", filepath.Join(dir, "dumps"),
		"--no-analytics",
		"--max-indexing-memory", "256MiB",
		"--max-indexing-threads", "2",
		"--log-level", "WARN",
	}}
	if err := m.Start(); err != nil {
		return nil, err
	}
	return m, nil
}

// Start (re)starts the server with the same port and data.
func (m *Meili) Start() error {
	if err := m.p.start(); err != nil {
		return err
	}
	if err := waitHTTP(m.URL+"/health", 30*time.Second); err != nil {
		m.p.stop()
		return fmt.Errorf("%w\nmeilisearch log:\n%s", err, m.p.tail())
	}
	return nil
}

// Stop kills the server, as a crash would.
func (m *Meili) Stop() { m.p.stop() }

// Hang stops the server without killing it (SIGSTOP): connections are
// accepted by the kernel and never answered, as a hung server does. The
// test's cleanup resumes it.
func (m *Meili) Hang(tb testing.TB) {
	tb.Helper()
	m.p.signal(tb, syscall.SIGSTOP)
	tb.Cleanup(func() { m.p.signal(tb, syscall.SIGCONT) })
}
