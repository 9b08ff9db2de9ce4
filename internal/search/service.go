package search

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/goccy/go-json"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
)

// Hit is one listing in a search answer.
type Hit struct {
	ID         string           `json:"id"`
	Slug       string           `json:"slug"`
	Name       string           `json:"name"`
	Categories []string         `json:"categories"`
	Services   []string         `json:"services"`
	District   string           `json:"district"`
	Address    listing.Address  `json:"address"`
	Location   listing.Location `json:"location"`
	DistanceM  *int             `json:"distance_m,omitempty"`
	// OpenNow is null when the opening hours are unknown.
	OpenNow              *bool      `json:"open_now"`
	AcceptsRepairVoucher bool       `json:"accepts_repair_voucher"`
	VerifiedAt           *time.Time `json:"verified_at"`
	URL                  string     `json:"url"`
	// HoursKnown and OpenSpans (flat pairs of unix minutes [start, end))
	// come from the index, so that OpenNow is computed for each answer.
	HoursKnown bool    `json:"-"`
	OpenSpans  []int64 `json:"-"`
}

// Facets count the matching listings per category and per district.
type Facets struct {
	Category map[string]int `json:"category"`
	District map[string]int `json:"district"`
}

// Result is one page of an answer.
type Result struct {
	Hits    []Hit  `json:"hits"`
	Total   int    `json:"total"`
	Page    int    `json:"page"`
	PerPage int    `json:"per_page"`
	Facets  Facets `json:"facets"`
}

// Index runs a validated query; when the index cannot answer it returns an
// apperr with CodeUnavailable.
type Index interface {
	Search(ctx context.Context, q Query) (Result, error)
	// Services returns up to limit service words starting with text.
	Services(ctx context.Context, text string, limit int) ([]string, error)
}

// Cache keeps encoded answers under a generation that moves on with every
// published change. Get returns a nil value on a miss, with the current
// generation to store the fresh answer under.
type Cache interface {
	Get(ctx context.Context, key string) (value []byte, generation uint64, err error)
	Set(ctx context.Context, key string, generation uint64, value []byte) error
}

// Cache status of an answer.
const (
	CacheHit    = "hit"
	CacheMiss   = "miss"
	CacheBypass = "bypass" // not a cacheable query, or the cache is down
)

// Service answers searches, from the cache when it can.
type Service struct {
	Index Index
	Cache Cache // nil: no cache at all
	Now   func() time.Time
	Log   *slog.Logger

	cacheDown atomic.Bool
}

// SearchJSON returns the encoded answer to q, as sent to clients.
func (s *Service) SearchJSON(ctx context.Context, q Query) ([]byte, error) {
	started := time.Now()
	now := s.Now()
	status, key, gen := CacheBypass, "", uint64(0)
	if q.Cacheable() && s.Cache != nil {
		key = "search:" + q.CacheKey(now)
		cached, g, err := s.Cache.Get(ctx, key)
		if s.cacheHealthy(err) {
			if cached != nil {
				return finish(cached, CacheHit, started), nil
			}
			status, gen = CacheMiss, g
		}
	}
	res, err := s.Index.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range res.Hits {
		h := &res.Hits[i]
		if h.HoursKnown {
			open := spansContain(h.OpenSpans, now.Unix()/60)
			h.OpenNow = &open
		}
		h.URL = paths.Listing(h.Slug)
	}
	core, err := encodeCore(res)
	if err != nil {
		return nil, err
	}
	if status == CacheMiss {
		s.cacheHealthy(s.Cache.Set(ctx, key, gen, core))
	}
	return finish(core, status, started), nil
}

// Search is SearchJSON decoded, for the pages: one path through the cache.
func (s *Service) Search(ctx context.Context, q Query) (Result, error) {
	var r Result
	body, err := s.SearchJSON(ctx, q)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return r, fmt.Errorf("search: decode answer: %w", err)
	}
	return r, nil
}

// Suggestions complete what a resident is typing.
type Suggestions struct {
	Categories []category.Category
	Services   []string
}

// MaxSuggestionText bounds the text a suggestion is asked for.
const MaxSuggestionText = 50

// Suggest offers the categories and the service words that start with
// text; text must have passed ParseSuggestText.
func (s *Service) Suggest(ctx context.Context, text string) (Suggestions, error) {
	services, err := s.Index.Services(ctx, text, 6)
	if err != nil {
		return Suggestions{}, err
	}
	return Suggestions{Categories: category.Match(text), Services: services}, nil
}

// cacheHealthy logs when the cache goes down or comes back, once each way,
// and reports whether err is nil.
func (s *Service) cacheHealthy(err error) bool {
	if err != nil {
		if !s.cacheDown.Swap(true) {
			s.Log.Warn("cache: unreachable; answering from the search index", "error", err)
		}
		return false
	}
	if s.cacheDown.Swap(false) {
		s.Log.Info("cache: reachable again")
	}
	return true
}

// encodeCore encodes the answer without its closing brace, so that took_ms
// and the cache status can be appended without decoding a cached answer.
func encodeCore(r Result) ([]byte, error) {
	if r.Hits == nil {
		r.Hits = []Hit{}
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("search: encode answer: %w", err)
	}
	return b[:len(b)-1], nil
}

func finish(core []byte, status string, started time.Time) []byte {
	out := make([]byte, 0, len(core)+40)
	out = append(out, core...)
	out = append(out, `,"took_ms":`...)
	out = strconv.AppendInt(out, time.Since(started).Milliseconds(), 10)
	out = append(out, `,"cache":"`...)
	out = append(out, status...)
	return append(out, `"}`...)
}

// spansContain reports whether minute lies in one of the flat pairs of
// unix minutes [start, end).
func spansContain(spans []int64, minute int64) bool {
	for i := 0; i+1 < len(spans); i += 2 {
		if spans[i] <= minute && minute < spans[i+1] {
			return true
		}
	}
	return false
}
