// Package linkcheck finds listings whose website has died or moved: one
// polite request to each listing's own home page, at most one request per
// host a minute, a result kept for a week, and a suggestion for an editor
// after three failed checks in a row or a move to another domain. It only
// ever requests a listing's own http(s) website, and never connects to a
// private, loopback or link-local address, also after a redirect (tests
// allow it on purpose).
package linkcheck

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
)

// Bounds of the checks.
const (
	PerHost        = time.Minute
	KeepResult     = 7 * 24 * time.Hour
	FailuresToFlag = 3
	SourceCheck    = "linkcheck" // the source of its suggestions
)

// State is what the checks know of one listing's website.
type State struct {
	URL       string
	CheckedAt time.Time
	Failures  int // in a row
	LastError string
}

// Store keeps the check states.
type Store interface {
	LinkState(ctx context.Context, listingID string) (State, bool, error)
	SaveLinkState(ctx context.Context, listingID string, s State) error
}

// Checker checks websites.
type Checker struct {
	Store       Store
	Listings    listing.Store
	Suggestions *suggestion.Service
	Log         *slog.Logger
	Now         func() time.Time
	// AllowPrivate lets tests check servers on loopback.
	AllowPrivate bool

	once   sync.Once
	client *http.Client
	mu     sync.Mutex
	last   map[string]time.Time // host → last request
}

// errPrivate refuses a connection to an address that is not public.
var errPrivate = errors.New("linkcheck: not a public address")

func (c *Checker) http() *http.Client {
	c.once.Do(func() {
		dialer := &net.Dialer{Timeout: 10 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			ip := net.ParseIP(host)
			if !c.AllowPrivate && (ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsMulticast()) {
				return errPrivate
			}
			return nil
		}}
		c.client = &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{DialContext: dialer.DialContext, Proxy: nil},
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 5 {
					return errors.New("linkcheck: too many redirects")
				}
				if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
					return errors.New("linkcheck: redirect to another scheme")
				}
				return nil
			}}
		c.last = map[string]time.Time{}
	})
	return c.client
}

// Report is what a run did.
type Report struct {
	Checked, Skipped, Suggested int
}

// Run checks the websites of the listings that have one, skipping those
// checked within KeepResult and hosts asked within PerHost (they come next
// run).
func (c *Checker) Run(ctx context.Context) (Report, error) {
	var r Report
	all, err := c.Listings.All(ctx)
	if err != nil {
		return r, err
	}
	for _, l := range all {
		if l.Website == "" || l.Status == listing.StatusHidden {
			continue
		}
		n, checked, err := c.checkListing(ctx, l)
		if err != nil {
			return r, err
		}
		if checked {
			r.Checked++
		} else {
			r.Skipped++
		}
		r.Suggested += n
	}
	return r, nil
}

func (c *Checker) checkListing(ctx context.Context, l *listing.Listing) (int, bool, error) {
	state, known, err := c.Store.LinkState(ctx, l.ID)
	if err != nil {
		return 0, false, err
	}
	now := c.Now()
	if known && state.URL == l.Website && now.Sub(state.CheckedAt) < KeepResult {
		return 0, false, nil
	}
	u, ok := ownWebsite(l.Website)
	if !ok {
		return 0, false, nil // not a website this check may request
	}
	if !c.claimHost(u.Host, now) { // host and port: one server
		return 0, false, nil
	}
	if !known || state.URL != l.Website {
		state = State{URL: l.Website}
	}
	final, err := c.fetch(ctx, l.Website)
	state.CheckedAt = now
	var found []suggestion.Suggestion
	switch {
	case err != nil:
		state.Failures++
		state.LastError = err.Error()
		if state.Failures == FailuresToFlag {
			found = append(found, suggestion.Suggestion{ListingID: l.ID, Field: "website", Current: l.Website, Proposed: "",
				Source: SourceCheck, Evidence: fmt.Sprintf("ikke nådd %d ganger på rad, sist %s: %s", state.Failures, now.Format(time.DateOnly), state.LastError)})
		}
	case domain(final) != domain(u):
		state.Failures, state.LastError = 0, ""
		found = append(found, suggestion.Suggestion{ListingID: l.ID, Field: "website", Current: l.Website, Proposed: final.String(),
			Source: SourceCheck, Evidence: "nettstedet sender videre til " + final.Host + " (" + now.Format(time.DateOnly) + ")"})
	default:
		state.Failures, state.LastError = 0, ""
	}
	if err := c.Store.SaveLinkState(ctx, l.ID, state); err != nil {
		return 0, true, err
	}
	if len(found) == 0 {
		return 0, true, nil
	}
	n, err := c.Suggestions.Raise(ctx, found)
	return n, true, err
}

// claimHost reports whether host may be asked now, and books it.
func (c *Checker) claimHost(host string, now time.Time) bool {
	c.http()
	c.mu.Lock()
	defer c.mu.Unlock()
	if last, ok := c.last[host]; ok && now.Sub(last) < PerHost {
		return false
	}
	c.last[host] = now
	return true
}

// fetch requests the home page once and returns where it ended.
func (c *Checker) fetch(ctx context.Context, website string) (*url.URL, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, website, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "BergenReparerer-linkcheck/1 (Bergen kommune; one request a week)")
	resp, err := c.http().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close() //nolint:errcheck // nothing is read
	if resp.StatusCode >= 400 {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return resp.Request.URL, nil
}

// ownWebsite is the listing's website as a URL this check may request:
// http or https with a host.
func ownWebsite(website string) (*url.URL, bool) {
	u, err := url.Parse(website)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, false
	}
	return u, true
}

// domain is a URL's host without "www.".
func domain(u *url.URL) string { return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") }
