package coverage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/search"
)

// MinDaily is how often a search must have found nothing in one day
// before it is kept: rarer ones may identify a person and are forgotten.
const MinDaily = 3

// maxKeys bounds the day's counters in memory.
const maxKeys = 50_000

// Miss is a search that found nothing, in a form that identifies nobody.
type Miss struct {
	Query    string // normalised; empty for a browse by filters
	District string // filter, or the district of a "near me" search
	Category string // filters, comma-separated
	Cause    Cause
}

// Cause is why a search found nothing, as far as the answer tells.
type Cause string

// Causes of a miss. Only CauseOther and CauseNoListings are gaps in the
// city's repair supply for sure; CauseClosed is a time filter, and
// CauseUnknownWords may be a word the vocabulary lacks.
const (
	CauseOther        Cause = ""
	CauseClosed       Cause = "closed"        // open now / open at emptied it
	CauseNoListings   Cause = "no_listings"   // a category nobody repairs here yet
	CauseUnknownWords Cause = "unknown_words" // words no listing has
)

// CauseOf reads the cause from the alternatives the answer offered.
func CauseOf(alternatives []search.Alternative) Cause {
	for _, a := range alternatives {
		switch {
		case a.Reason == search.ReasonNoneInCategory && a.Total == 0:
			return CauseNoListings
		case a.Reason == search.ReasonClosedNow:
			return CauseClosed
		case a.Reason == search.ReasonUnknownWords:
			return CauseUnknownWords
		}
	}
	return CauseOther
}

// Missed is a day's count of one miss.
type Missed struct {
	Day   string // YYYY-MM-DD, Oslo time
	Miss  Miss
	Count int
}

// Store keeps the daily counts.
type Store interface {
	// AddMissed adds n to the day's count of m.
	AddMissed(ctx context.Context, day string, m Miss, n int) error
	// Missed returns the counts of the days from and to (inclusive),
	// the most frequent first.
	Missed(ctx context.Context, from, to string) ([]Missed, error)
}

// Recorder counts misses in memory for the current day and writes a miss
// to the store only once it has been seen MinDaily times that day; no
// address, id or time of day is ever kept.
type Recorder struct {
	Store Store
	// Districts places a "near me" search in its district.
	Districts *district.Map
	Now       func() time.Time
	Log       *slog.Logger
	// Tally, when set, counts in a store every instance adds to (Redis),
	// so that the daily threshold holds for the service, not per instance;
	// nil, or a tally that fails, counts in this process.
	Tally Tally

	mu     sync.Mutex
	day    string
	counts map[Miss]int
}

// RecordSearch counts a submitted search that found nothing, with its
// cause. A "near me" search is counted in the district of its origin; the
// origin itself is not kept. A map-area search says nothing about a
// district, and a later page of a search was counted on its first:
// neither is counted.
func (r *Recorder) RecordSearch(ctx context.Context, q search.Query, cause Cause) {
	if q.BBox != nil || q.Page > 1 {
		return
	}
	districts := strings.Join(q.Districts, ",")
	if districts == "" && q.Origin != nil {
		if d, ok := r.Districts.Locate(q.Origin.Lat, q.Origin.Lng); ok {
			districts = d.Slug
		}
	}
	r.Record(ctx, Miss{Query: q.Typed(), District: districts, Category: strings.Join(q.Categories, ","), Cause: cause})
}

// Record counts one search that found nothing.
func (r *Recorder) Record(ctx context.Context, m Miss) {
	q, ok := NormalizeQuery(m.Query)
	if !ok {
		return
	}
	m.Query = q
	day := r.Now().In(oslo).Format(time.DateOnly)
	n, ok := r.shared(ctx, day, m)
	if !ok {
		if n, ok = r.local(day, m); !ok {
			return
		}
	}
	add := 0
	switch {
	case n == MinDaily:
		add = MinDaily // the first time it is kept, with the earlier ones
	case n > MinDaily:
		add = 1
	}
	if add > 0 {
		if err := r.Store.AddMissed(ctx, day, m, add); err != nil {
			r.Log.Warn("coverage: missed search not counted", "error", err)
		}
	}
}

// Tally is a count every instance adds to.
type Tally interface {
	Incr(ctx context.Context, key string, ttl time.Duration) (int64, error)
}

// shared counts the miss in the tally, under a hash of the day and the
// miss (the query's text is not a key anywhere); ok is false without one.
func (r *Recorder) shared(ctx context.Context, day string, m Miss) (int, bool) {
	if r.Tally == nil {
		return 0, false
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{day, m.Query, m.District, m.Category, string(m.Cause)}, "\x00")))
	n, err := r.Tally.Incr(ctx, "miss:"+hex.EncodeToString(sum[:16]), 48*time.Hour)
	if err != nil {
		r.Log.Warn("coverage: shared tally unreachable; counting in this instance", "error", err)
		return 0, false
	}
	return int(n), true
}

// local counts the miss in this process; ok is false past the day's bound
// of distinct misses.
func (r *Recorder) local(day string, m Miss) (int, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if day != r.day || r.counts == nil {
		r.day, r.counts = day, map[Miss]int{}
	}
	n, seen := r.counts[m]
	if !seen && len(r.counts) >= maxKeys {
		return 0, false
	}
	n++
	r.counts[m] = n
	return n, true
}

var oslo = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// NormalizeQuery is the form a query is counted in: lower case, NFC,
// single spaces, no punctuation at the ends, at most 60 characters. It is
// not kept at all when it looks personal (an e-mail address, a phone or
// other long number).
func NormalizeQuery(q string) (string, bool) {
	q = strings.ToLower(norm.NFC.String(q))
	q = strings.Join(strings.Fields(q), " ")
	q = strings.TrimFunc(q, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	digits := 0
	for _, r := range q {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	if strings.ContainsRune(q, '@') || digits >= 5 {
		return "", false
	}
	if utf8.RuneCountInString(q) > 60 {
		q = string([]rune(q)[:60])
	}
	return q, true
}

// Total is a miss summed over several days.
type Total struct {
	Miss  Miss
	Count int
}

// Days is the last n days up to now's day, as Oslo dates.
func Days(now time.Time, n int) (from, to string) {
	today := now.In(oslo)
	return today.AddDate(0, 0, -(n - 1)).Format(time.DateOnly), today.Format(time.DateOnly)
}

// Missed returns the daily counts of the last days (up to today).
func (r *Recorder) Missed(ctx context.Context, days int) ([]Missed, error) {
	from, to := Days(r.Now(), days)
	return r.Store.Missed(ctx, from, to)
}

// Top sums the misses of the last days and returns the limit most
// frequent, most frequent first.
func (r *Recorder) Top(ctx context.Context, days, limit int) ([]Total, error) {
	missed, err := r.Missed(ctx, days)
	if err != nil {
		return nil, err
	}
	sums := map[Miss]int{}
	var order []Miss
	for _, m := range missed {
		if _, seen := sums[m.Miss]; !seen {
			order = append(order, m.Miss)
		}
		sums[m.Miss] += m.Count
	}
	slices.SortStableFunc(order, func(a, b Miss) int { return sums[b] - sums[a] })
	out := make([]Total, 0, min(len(order), limit))
	for _, m := range order[:min(len(order), limit)] {
		out = append(out, Total{m, sums[m]})
	}
	return out, nil
}
