package meili

import (
	"bytes"

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

// hitHours reads a hit's schedule: the integers of encodeHours, or the
// schedule object documents held before them, until they are re-indexed
// (an upgrade must not break search while it re-indexes). Nil when
// neither reads: the hit then says nothing about now.
func hitHours(raw json.RawMessage) *openinghours.Schedule {
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
