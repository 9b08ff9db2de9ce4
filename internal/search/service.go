package search

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-json"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/paths"
)

// Card is what a hit says that does not change between indexings. The
// index stores it as it is sent (see Hit.Stored).
type Card struct {
	ID                   string           `json:"id"`
	Slug                 string           `json:"slug"`
	Name                 string           `json:"name"`
	Kind                 string           `json:"kind"`
	Categories           []string         `json:"categories"`
	Services             []string         `json:"services"`
	District             string           `json:"district"`
	Address              listing.Address  `json:"address"`
	Location             listing.Location `json:"location"`
	Phone                string           `json:"phone"`
	AcceptsRepairVoucher bool             `json:"accepts_repair_voucher"`
	VerifiedAt           *time.Time       `json:"verified_at"`
	// ChangedSinceVerification: an identifying fact changed after the
	// municipality's last check.
	ChangedSinceVerification bool `json:"changed_since_verification"`
	// ApproximatePosition: Location is the postcode's centre, not the
	// door (no exact match for the address yet).
	ApproximatePosition bool   `json:"approximate_position"`
	URL                 string `json:"url"`
}

// NewCard is the card of a listing.
func NewCard(l *listing.Listing) Card {
	_, _, changed := l.ChangedSinceVerification()
	return Card{ID: l.ID, Slug: l.Slug, Name: l.Name, Kind: l.Kind, Categories: nonNil(l.Categories), Services: nonNil(l.Services),
		District: l.District, Address: l.Address, Location: l.Location, Phone: l.Phone,
		AcceptsRepairVoucher: l.AcceptsRepairVoucher, VerifiedAt: l.VerifiedAt, ChangedSinceVerification: changed,
		ApproximatePosition: l.ApproximatePosition, URL: paths.Listing(l.Slug)}
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// Hit is one listing in a search answer: its card, and what is computed
// for each answer.
type Hit struct {
	Card
	DistanceM *int `json:"distance_m,omitempty"`
	// OpenNow is null when the opening hours are unknown.
	OpenNow *bool `json:"open_now"`
	// NextOpen is when a closed listing opens next, within three days.
	NextOpen *time.Time `json:"next_open"`
	// Hours come from the index (nil: unknown), so that OpenNow and
	// NextOpen are computed for each answer.
	Hours *openinghours.Schedule `json:"-"`
	// Stored is the card as the index returned it, encoded: sent on as it
	// is, without decoding and encoding it again (nil: encode Card).
	Stored []byte `json:"-"`
	// Sessions are the coming sessions from the index (a repair café's);
	// NextSession is the first that has not ended, and a running one
	// makes the place open now.
	Sessions    []listing.Session `json:"-"`
	NextSession *listing.Session  `json:"next_session,omitempty"`
}

// Facets count the matching listings per category and per district.
type Facets struct {
	Category map[string]int `json:"category"`
	District map[string]int `json:"district"`
	// Where counts the places repairs happen (repair conditions), Brand
	// the brands repaired, Loaner those that lend a replacement.
	Where  map[string]int `json:"where"`
	Brand  map[string]int `json:"brand"`
	Loaner int            `json:"loaner"`
	// Label counts the quality labels held.
	Label map[string]int `json:"label"`
}

// Result is one page of an answer.
type Result struct {
	Hits    []Hit  `json:"hits"`
	Total   int    `json:"total"`
	Page    int    `json:"page"`
	PerPage int    `json:"per_page"`
	Facets  Facets `json:"facets"`
	// Alternatives are the next steps when nothing was found.
	Alternatives []Alternative `json:"alternatives"`
	// Interpreted is what the text was read as; null for no text or a
	// literal search.
	Interpreted *Interpretation `json:"interpreted,omitempty"`
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
	// Reader reads the text of queries; nil searches it as typed.
	Reader *Reader
	// Messages labels the alternatives in the language asked for.
	Messages *i18n.Catalogue
	// Observer hears each answer's cache outcome and the index's time
	// (package metrics); nil: nobody.
	Observer Observer
	// IndexWait bounds the index's part of one answer (0: DefaultIndexWait):
	// a hung index is answered 503 at once, not when the request times out.
	IndexWait time.Duration
	// BusStops are the repair bus's stops, offered when a district has
	// nobody (nil: no bus).
	BusStops func(ctx context.Context) ([]BusStop, error)

	cacheDown atomic.Bool
	open      openMemo

	countsMu sync.Mutex
	counts   map[string]int // listings per category, read at countsAt
	countsAt time.Time
}

// SearchJSON returns the encoded answer to q, as sent to clients, with
// the alternatives labelled in lang.
func (s *Service) SearchJSON(ctx context.Context, q Query, lang i18n.Lang) ([]byte, error) {
	a, err := s.answer(ctx, q, lang)
	if err != nil {
		return nil, err
	}
	defer a.release()
	out := make([]byte, 0, len(a.core)+300)
	out = append(out, a.core...)
	return a.appendTail(out)
}

// WriteJSON writes SearchJSON's answer to w without assembling it first:
// a cached answer goes from the cache to the response in one copy.
func (s *Service) WriteJSON(ctx context.Context, q Query, lang i18n.Lang, w io.Writer) error {
	a, err := s.answer(ctx, q, lang)
	if err != nil {
		return err
	}
	defer a.release()
	if a.buf != nil { // the core's buffer is this answer's own: the tail goes after it
		if a.core, err = a.appendTail(a.core); err != nil {
			return err
		}
		_, err = w.Write(a.core)
		return err
	}
	tail, err := a.appendTail(make([]byte, 0, 300))
	if err != nil {
		return err
	}
	if _, err := w.Write(a.core); err != nil {
		return err
	}
	_, err = w.Write(tail)
	return err
}

// encoded is an answer's core (hits, totals, facets, alternatives: what
// the cache keeps) and what the tail added to each sending says.
type encoded struct {
	core    []byte
	in      *Interpretation
	status  string
	started time.Time
	// buf holds core when no cache keeps it (an uncached search): it goes
	// back to coreBuffers once the answer is written.
	buf *[]byte
}

// coreBuffers are the encoding buffers of answers no cache keeps. An
// uncached search's 10–15 KB answer was a third of what it allocated.
var coreBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// maxPooledBuffer keeps the rare large answer (per_page=100) out of the
// pool, where it would hold its memory for the small ones.
const maxPooledBuffer = 64 << 10

func (a *encoded) release() {
	if a.buf == nil || cap(a.core) > maxPooledBuffer {
		return
	}
	*a.buf = a.core[:0]
	coreBuffers.Put(a.buf)
	a.buf, a.core = nil, nil
}

func (s *Service) answer(ctx context.Context, q Query, lang i18n.Lang) (encoded, error) {
	started := time.Now()
	now := s.Now()
	if s.Reader != nil {
		s.Reader.Apply(&q)
	}
	status, key, gen := CacheBypass, "", uint64(0)
	if q.Cacheable() && s.Cache != nil {
		key = "search:" + q.CacheKey(now) + "|l=" + string(lang)
		cached, g, err := s.Cache.Get(ctx, key)
		if s.cacheHealthy(err) {
			if cached != nil {
				s.observe(CacheHit, 0)
				return encoded{core: cached, in: q.Interpreted, status: CacheHit, started: started}, nil
			}
			status, gen = CacheMiss, g
		}
	}
	// The index's deadline is set only when the index is asked: a cached
	// answer needs no timer.
	ctx, cancel := s.indexDeadline(ctx)
	defer cancel()
	asked := time.Now()
	res, err := s.Index.Search(ctx, q)
	if err != nil {
		return encoded{}, err
	}
	s.observe(status, time.Since(asked))
	res.Hits = s.complete(res.Hits, now)
	if res.Total == 0 {
		if res.Alternatives, err = s.alternatives(ctx, q, lang, now); err != nil {
			return encoded{}, err
		}
	}
	var buf *[]byte
	if status != CacheMiss { // no cache keeps it
		buf = coreBuffers.Get().(*[]byte)
	}
	core, err := encodeCore(bufferOf(buf), res)
	if err != nil {
		return encoded{}, err
	}
	if status == CacheMiss {
		s.cacheHealthy(s.Cache.Set(ctx, key, gen, core))
	}
	return encoded{core: core, in: q.Interpreted, status: status, started: started, buf: buf}, nil
}

// complete computes what each hit says about now: open now, opens next.
func (s *Service) complete(hits []Hit, now time.Time) []Hit {
	for i := range hits {
		h := &hits[i]
		if h.Hours != nil {
			open, next, ok := s.open.openNow(h.Hours, now)
			h.OpenNow = &open
			if ok && !open {
				t := next.In(now.Location())
				h.NextOpen = &t
			}
		}
		if len(h.Sessions) > 0 {
			withSessions(h, now)
		}
		if h.Stored == nil {
			h.URL = paths.Listing(h.Slug)
		}
	}
	return hits
}

// withSessions lets a hit's sessions say when it is open: a running
// session makes it open now, and one starting sooner than its hours open
// (within the three days NextOpen looks) is when it opens next.
func withSessions(h *Hit, now time.Time) {
	for i := range h.Sessions {
		sn := h.Sessions[i]
		if !sn.End.After(now) {
			continue
		}
		next := listing.Session{Start: sn.Start.In(now.Location()), End: sn.End.In(now.Location())}
		h.NextSession = &next
		if !sn.Start.After(now) {
			open := true
			h.OpenNow, h.NextOpen = &open, nil
			return
		}
		if h.OpenNow == nil {
			closed := false
			h.OpenNow = &closed
		}
		if !*h.OpenNow && sn.Start.Before(now.Add(nextOpeningWithin)) && (h.NextOpen == nil || sn.Start.Before(*h.NextOpen)) {
			h.NextOpen = &next.Start
		}
		return
	}
}

// Search is SearchJSON decoded, for the pages: one path through the cache.
func (s *Service) Search(ctx context.Context, q Query, lang i18n.Lang) (Result, error) {
	var r Result
	body, err := s.SearchJSON(ctx, q, lang)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return r, fmt.Errorf("search: decode answer: %w", err)
	}
	return r, nil
}

// Observer hears how answers were made.
type Observer interface {
	Cache(outcome string)
	Meilisearch(took time.Duration)
}

func (s *Service) observe(outcome string, indexTook time.Duration) {
	if s.Observer == nil {
		return
	}
	s.Observer.Cache(outcome)
	if indexTook > 0 {
		s.Observer.Meilisearch(indexTook)
	}
}

// DefaultIndexWait is how long an answer waits for the index.
const DefaultIndexWait = 1500 * time.Millisecond

func (s *Service) indexDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	wait := s.IndexWait
	if wait == 0 {
		wait = DefaultIndexWait
	}
	return context.WithTimeout(ctx, wait)
}

// Suggestions complete what a resident is typing.
type Suggestions struct {
	Categories []category.Category
	// Words are vocabulary words that begin with the text ("glidelås"
	// for "glid"), of categories someone repairs.
	Words    []string
	Services []string
}

// MaxSuggestionText bounds the text a suggestion is asked for.
const MaxSuggestionText = 50

// Suggest offers the categories the text names or begins (by their names
// or the vocabulary), the vocabulary words and the listings' service words
// that begin with it; text must have passed ParseSuggestText. A category
// nobody in the directory repairs is not offered: it would find nothing.
func (s *Service) Suggest(ctx context.Context, text string) (Suggestions, error) {
	ctx, cancel := s.indexDeadline(ctx)
	defer cancel()
	services, err := s.Index.Services(ctx, text, 6)
	if err != nil {
		return Suggestions{}, err
	}
	counts, err := s.categoryCounts(ctx, false)
	if err != nil {
		return Suggestions{}, err
	}
	sg := Suggestions{Services: services}
	cats := category.Match(text)
	if s.Reader != nil {
		for _, slug := range s.Reader.Read(text).Categories {
			if c, ok := category.Lookup(slug); ok && !slices.ContainsFunc(cats, func(x category.Category) bool { return x.Slug == slug }) {
				cats = append(cats, c)
			}
		}
		sg.Words = s.completions(vocabularyForm(text), counts)
	}
	for _, c := range cats {
		if counts[c.Slug] > 0 {
			sg.Categories = append(sg.Categories, c)
		}
	}
	return sg, nil
}

// completions are the vocabulary words that complete a half-typed word.
// A whole word is not completed to its own forms ("såle" to "sålen").
func (s *Service) completions(text string, counts map[string]int) []string {
	v := s.Reader.Vocabulary()
	_, whole := v.Lookup(text)
	var out []string
	isForm := func(word, of string) bool { // "sålen" is a form of "såle"
		return strings.HasPrefix(word, of) && utf8.RuneCountInString(word)-utf8.RuneCountInString(of) <= 3
	}
	for _, w := range v.Complete(text, maxSuggestedWords*4) {
		switch {
		case w.Word == text, whole && isForm(w.Word, text):
		case slices.ContainsFunc(out, func(o string) bool { return isForm(w.Word, o) }):
		case slices.ContainsFunc(w.Categories, func(c string) bool { return counts[c] > 0 }):
			out = append(out, w.Word)
		}
		if len(out) == maxSuggestedWords {
			break
		}
	}
	return out
}

// maxSuggestedWords bounds the vocabulary words offered.
const maxSuggestedWords = 4

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

// encodeCore encodes the answer without its closing brace and without the
// interpretation, so that the interpretation, took_ms and the cache status
// can be appended without decoding a cached answer (queries that read
// differently may share one: "bytte glidelås" and "glidelås").
// It appends to out; for a nil out it makes one of the answer's size.
func encodeCore(out []byte, r Result) ([]byte, error) {
	if r.Alternatives == nil {
		r.Alternatives = []Alternative{}
	}
	rest, err := json.Marshal(resultRest{Total: r.Total, Page: r.Page, PerPage: r.PerPage, Facets: r.Facets, Alternatives: r.Alternatives})
	if err != nil {
		return nil, fmt.Errorf("search: encode answer: %w", err)
	}
	if out == nil {
		out = make([]byte, 0, 700*len(r.Hits)+len(rest)+16)
	}
	out = append(out, `{"hits":`...)
	if out, err = appendHits(out, r.Hits); err != nil {
		return nil, err
	}
	out = append(out, ',')
	return append(out, rest[1:len(rest)-1]...), nil
}

// bufferOf is the buffer buf holds, emptied; nil for none.
func bufferOf(buf *[]byte) []byte {
	if buf == nil {
		return nil
	}
	return (*buf)[:0]
}

// resultRest is Result without its hits.
type resultRest struct {
	Total        int           `json:"total"`
	Page         int           `json:"page"`
	PerPage      int           `json:"per_page"`
	Facets       Facets        `json:"facets"`
	Alternatives []Alternative `json:"alternatives"`
}

// appendHits encodes hits as a JSON array. A hit the index returned
// encoded (Stored) is copied with the fields of this answer added:
// decoding and encoding every hit again was most of the service's own
// work on an uncached search.
func appendHits(out []byte, hits []Hit) ([]byte, error) {
	out = append(out, '[')
	for i := range hits {
		if i > 0 {
			out = append(out, ',')
		}
		h := &hits[i]
		stored := bytes.TrimSpace(h.Stored)
		if len(stored) < 2 || stored[0] != '{' || stored[len(stored)-1] != '}' {
			b, err := json.Marshal(h)
			if err != nil {
				return nil, fmt.Errorf("search: encode hit: %w", err)
			}
			out = append(out, b...)
			continue
		}
		out = appendEscapedForHTML(out, stored[:len(stored)-1])
		if h.DistanceM != nil {
			out = append(out, `,"distance_m":`...)
			out = strconv.AppendInt(out, int64(*h.DistanceM), 10)
		}
		switch {
		case h.OpenNow == nil:
			out = append(out, `,"open_now":null`...)
		case *h.OpenNow:
			out = append(out, `,"open_now":true`...)
		default:
			out = append(out, `,"open_now":false`...)
		}
		if h.NextOpen == nil {
			out = append(out, `,"next_open":null`...)
		} else {
			out = append(out, `,"next_open":"`...)
			out = h.NextOpen.AppendFormat(out, time.RFC3339Nano)
			out = append(out, '"')
		}
		if sn := h.NextSession; sn != nil {
			out = append(out, `,"next_session":{"start":"`...)
			out = sn.Start.AppendFormat(out, time.RFC3339Nano)
			out = append(out, `","end":"`...)
			out = sn.End.AppendFormat(out, time.RFC3339Nano)
			out = append(out, `"}`...)
		}
		out = append(out, '}')
	}
	return append(out, ']'), nil
}

// appendEscapedForHTML appends encoded JSON with <, >, & and the line
// separators U+2028 and U+2029 escaped, as the encoder escapes them in
// everything else the service sends: the index does not. They can only
// stand inside strings, where the escapes mean the same.
func appendEscapedForHTML(out, encoded []byte) []byte {
	// Most cards have none of them: four vectorised scans say so sooner
	// than one byte by byte.
	if bytes.IndexByte(encoded, '&') < 0 && bytes.IndexByte(encoded, '<') < 0 &&
		bytes.IndexByte(encoded, '>') < 0 && bytes.IndexByte(encoded, 0xe2) < 0 {
		return append(out, encoded...)
	}
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(encoded); i++ {
		c := encoded[i]
		switch {
		case c == '<' || c == '>' || c == '&':
			out = append(out, encoded[start:i]...)
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			start = i + 1
		case c == 0xe2 && i+2 < len(encoded) && encoded[i+1] == 0x80 && (encoded[i+2] == 0xa8 || encoded[i+2] == 0xa9):
			out = append(out, encoded[start:i]...)
			out = append(out, '\\', 'u', '2', '0', '2', hex[encoded[i+2]&0xf])
			i += 2
			start = i + 1
		}
	}
	return append(out, encoded[start:]...)
}

// appendTail appends what each sending adds to the core: the reading of
// the text, the time taken and the cache's part, closing the object.
func (a encoded) appendTail(out []byte) ([]byte, error) {
	out = append(out, `,"interpreted":`...)
	b, err := json.Marshal(a.in)
	if err != nil {
		return nil, fmt.Errorf("search: encode interpretation: %w", err)
	}
	out = append(out, b...)
	out = append(out, `,"took_ms":`...)
	out = strconv.AppendInt(out, time.Since(a.started).Milliseconds(), 10)
	out = append(out, `,"cache":"`...)
	out = append(out, a.status...)
	return append(out, `"}`...), nil
}

// nextOpeningWithin is how far ahead "opens next" looks.
const nextOpeningWithin = 3 * 24 * time.Hour

// openNow says from one reading of the schedule whether the place is open
// at now and, when it opens within nextOpeningWithin, when it next opens.
func openNow(h *openinghours.Schedule, now time.Time) (open bool, next time.Time, ok bool) {
	for _, sp := range h.Spans(now, now.Add(nextOpeningWithin)) {
		switch {
		case !sp.Start.After(now):
			open = true // Spans clips to now: a span starting at now is open now
		case !ok:
			next, ok = sp.Start, true
		}
	}
	return open, next, ok
}
