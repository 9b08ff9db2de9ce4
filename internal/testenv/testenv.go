// Package testenv starts the real Meilisearch and Redis servers that
// integration tests talk to, on free ports with their own data, and stops
// them when the test binary ends. Tests never touch a server they did not
// start.
package testenv

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	mu      sync.Mutex
	cleanup []func()
	shared  struct {
		meili *Meili
		redis *Redis
		err   error
	}
)

// Main runs the tests of a package and then stops every server started for
// them. Call it from TestMain: os.Exit(testenv.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	for i := len(cleanup) - 1; i >= 0; i-- {
		cleanup[i]()
	}
	return code
}

func atExit(f func()) {
	mu.Lock()
	defer mu.Unlock()
	cleanup = append(cleanup, f)
}

// repoRoot finds the folder with go.mod above the test's working folder.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("testenv: no go.mod above %s", dir)
		}
		dir = parent
	}
}

// FreePort returns a TCP port on 127.0.0.1 that nothing listens on now.
func FreePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("testenv: find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// RandomKey returns a random hex key.
func RandomKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// Name turns the test's name into an identifier unique to this run, for an
// index uid or a key prefix.
func Name(tb testing.TB) string {
	n := unsafeChars.ReplaceAllString(tb.Name(), "_")
	if len(n) > 60 {
		n = n[:60]
	}
	return "t_" + n + "_" + RandomKey()[:8]
}

// waitHTTP polls url until it answers 200 or the deadline passes.
func waitHTTP(url string, deadline time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	end := time.Now().Add(deadline)
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(end) {
			return fmt.Errorf("testenv: %s did not answer within %s (last error: %w)", url, deadline, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitTCP polls addr until it accepts connections.
func waitTCP(addr string, deadline time.Duration) error {
	end := time.Now().Add(deadline)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(end) {
			return fmt.Errorf("testenv: %s did not accept connections within %s: %w", addr, deadline, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// process is a server child process that can be stopped and started again
// with the same arguments (and so the same port and data).
type process struct {
	name string
	args []string
	log  string
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
	mu   sync.Mutex
}

func (p *process) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	logFile, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(p.name, p.args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("testenv: start %s: %w", p.name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); logFile.Close(); close(done) }()
	p.cmd, p.done = cmd, done
	return nil
}

func (p *process) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
	}
	p.cmd = nil
}

func (p *process) signal(tb testing.TB, sig os.Signal) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return
	}
	if err := p.cmd.Process.Signal(sig); err != nil {
		tb.Errorf("testenv: signal %s: %v", p.name, err)
	}
}

func (p *process) tail() string {
	b, _ := os.ReadFile(p.log)
	s := string(b)
	if len(s) > 2000 {
		s = s[len(s)-2000:]
	}
	return strings.TrimSpace(s)
}
