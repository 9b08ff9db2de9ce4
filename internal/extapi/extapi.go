// Package extapi calls the public services the directory reads from (the
// business register, the address register): a JSON GET with a timeout,
// retries with backoff when the service is down, one log line when it
// fails, and counts of calls and failures. The adapters that use it keep
// the services' formats to themselves.
package extapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

// ErrUnavailable is a service that did not answer usefully: down, too
// slow, a 5xx or 429, or a body that is not its JSON.
var ErrUnavailable = errors.New("unavailable")

// Client is one external service.
type Client struct {
	Name    string // for the log: "register", "geocoder"
	BaseURL string
	HTTP    *http.Client
	Log     *slog.Logger
	Retries int
	Backoff time.Duration

	calls, failures atomic.Int64
}

// New returns a client with a 10-second timeout and two retries.
func New(name, baseURL string, log *slog.Logger) *Client {
	return &Client{Name: name, BaseURL: baseURL, HTTP: &http.Client{Timeout: 10 * time.Second}, Log: log,
		Retries: 2, Backoff: 500 * time.Millisecond}
}

// ServiceName names the service in metrics: "register", "geocoder".
func (c *Client) ServiceName() string { return c.Name }

// Stats are the calls made and those that failed.
func (c *Client) Stats() (calls, failures int64) { return c.calls.Load(), c.failures.Load() }

// GetJSON fetches path (with its query) into v when the answer is 200 and
// returns the status; other 4xx statuses are returned for the caller to
// read (404, 410). Outages are retried with backoff and end as
// ErrUnavailable.
func (c *Client) GetJSON(ctx context.Context, path string, v any) (int, error) {
	var last error
	for attempt := 0; attempt <= c.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(c.Backoff << (attempt - 1)):
			}
		}
		status, err := c.once(ctx, path, v)
		if err == nil {
			return status, nil
		}
		last = err
		if !errors.Is(err, ErrUnavailable) {
			break
		}
	}
	c.failures.Add(1)
	c.Log.Warn("external service not answering; what needs it waits for the next try", "service", c.Name, "path", path, "error", last)
	return 0, last
}

func (c *Client) once(ctx context.Context, path string, v any) (int, error) {
	c.calls.Add(1)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+path, nil)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", c.Name, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s: %w: %w", c.Name, ErrUnavailable, err)
	}
	defer resp.Body.Close() //nolint:errcheck // a read-only answer; ReadAll reports read errors
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	switch {
	case err != nil:
		return 0, fmt.Errorf("%s: %w: %w", c.Name, ErrUnavailable, err)
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return 0, fmt.Errorf("%s: %w: status %d", c.Name, ErrUnavailable, resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return resp.StatusCode, nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return 0, fmt.Errorf("%s: %w: not its JSON: %w", c.Name, ErrUnavailable, err)
	}
	return http.StatusOK, nil
}
