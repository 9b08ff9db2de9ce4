package meili

import (
	"bytes"
	"sync"

	"github.com/goccy/go-json" // the search path's decoder, as in client.go

	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

// A hit carries its schedule so that "open now" and "opens next" are
// computed for each answer. It is stored as flat integers, which decode
// several times faster than the schedule's JSON objects on the search path:
//
//	[holidayRule 0|1,
//	 n, (weekday start end) × n,   weekly intervals, Monday = 0
//	 n, (start end) × n,           public-holiday intervals
//	 n, (year month day k (start end) × k) × n]   dated exceptions
//
// Unknown hours are an empty list.

func encodeHours(s *openinghours.Schedule) []int {
	if !s.Known() {
		return []int{}
	}
	out := []int{0}
	if s.HolidayRule {
		out[0] = 1
	}
	n := 0
	for _, ivs := range s.Week {
		n += len(ivs)
	}
	out = append(out, n)
	for day, ivs := range s.Week {
		for _, iv := range ivs {
			out = append(out, day, iv.Start, iv.End)
		}
	}
	out = append(out, len(s.Holidays))
	for _, iv := range s.Holidays {
		out = append(out, iv.Start, iv.End)
	}
	out = append(out, len(s.Exceptions))
	for _, e := range s.Exceptions {
		out = append(out, e.Year, e.Month, e.Day, len(e.Intervals))
		for _, iv := range e.Intervals {
			out = append(out, iv.Start, iv.End)
		}
	}
	return out
}

// decodeHours reads encodeHours' list; false for unknown hours or a list
// it cannot read (a document of another format, until it is re-indexed).
func decodeHours(v []int) (*openinghours.Schedule, bool) {
	r := &intReader{v: v}
	s := &openinghours.Schedule{HolidayRule: r.next() == 1}
	for n := r.next(); n > 0 && r.ok(); n-- {
		day, iv := r.next(), r.interval()
		if day < 0 || day > 6 {
			return nil, false
		}
		s.Week[day] = append(s.Week[day], iv)
	}
	for n := r.next(); n > 0 && r.ok(); n-- {
		s.Holidays = append(s.Holidays, r.interval())
	}
	for n := r.next(); n > 0 && r.ok(); n-- {
		e := openinghours.Exception{Year: r.next(), Month: r.next(), Day: r.next()}
		for k := r.next(); k > 0 && r.ok(); k-- {
			e.Intervals = append(e.Intervals, r.interval())
		}
		s.Exceptions = append(s.Exceptions, e)
	}
	if len(v) == 0 || !r.ok() || r.i != len(v) {
		return nil, false
	}
	s.Text = "(index)" // Known() asks for something; the OSM text itself is the store's
	return s, true
}

type intReader struct {
	v   []int
	i   int
	bad bool
}

func (r *intReader) next() int {
	if r.i >= len(r.v) {
		r.bad = true
		return 0
	}
	r.i++
	return r.v[r.i-1]
}

func (r *intReader) interval() openinghours.Interval {
	return openinghours.Interval{Start: r.next(), End: r.next()}
}

func (r *intReader) ok() bool { return !r.bad }

// schedules are the schedules read from hits, by their encoded form: the
// same listings come back in answer after answer, so each is read once,
// and each listing's hours are one schedule, which "open now" remembers
// for the minute (search.openMemo). They are shared: nobody changes a
// schedule read from the index.
var schedules = struct {
	sync.RWMutex
	m map[string]*openinghours.Schedule
}{m: map[string]*openinghours.Schedule{}}

// maxSchedules bounds schedules; it starts afresh when full.
const maxSchedules = 50_000

// hitHours reads a hit's schedule (see readHours), once for each encoded
// form.
func hitHours(raw json.RawMessage) *openinghours.Schedule {
	schedules.RLock()
	s, ok := schedules.m[string(raw)]
	schedules.RUnlock()
	if ok {
		return s
	}
	s = readHours(raw)
	schedules.Lock()
	if len(schedules.m) >= maxSchedules {
		schedules.m = map[string]*openinghours.Schedule{}
	}
	schedules.m[string(raw)] = s
	schedules.Unlock()
	return s
}

// readHours reads a hit's schedule: the integers of encodeHours, or the
// schedule object documents held before them, until they are re-indexed
// (an upgrade must not break search while it re-indexes). Nil when
// neither reads: the hit then says nothing about now.
func readHours(raw json.RawMessage) *openinghours.Schedule {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) > 0 && raw[0] == '[':
		var v []int
		if json.Unmarshal(raw, &v) == nil {
			if s, ok := decodeHours(v); ok {
				return s
			}
		}
	case len(raw) > 0 && raw[0] == '{':
		var s openinghours.Schedule
		if json.Unmarshal(raw, &s) == nil && s.Known() {
			return &s
		}
	}
	return nil
}
