package search

import (
	"sync"
	"time"

	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

// openMemo remembers, for the minute it is in, what openNow said of each
// schedule: the same listings come back in answer after answer (the index
// hands out one schedule per listing's hours), and reading their
// schedules was a tenth of an uncached search's work. What openNow says
// cannot change within a minute: every opening and closing falls on a
// whole minute.
type openMemo struct {
	mu     sync.Mutex
	minute int64
	states map[*openinghours.Schedule]openState
}

type openState struct {
	open, ok bool
	next     time.Time
}

// openMemoMax bounds the memo; it starts afresh when full.
const openMemoMax = 50_000

func (m *openMemo) openNow(h *openinghours.Schedule, now time.Time) (open bool, next time.Time, ok bool) {
	minute := now.Unix() / 60
	m.mu.Lock()
	if m.minute != minute || m.states == nil || len(m.states) >= openMemoMax {
		m.minute, m.states = minute, make(map[*openinghours.Schedule]openState)
	}
	st, known := m.states[h]
	m.mu.Unlock()
	if !known {
		st.open, st.next, st.ok = openNow(h, now)
		m.mu.Lock()
		if m.minute == minute {
			m.states[h] = st
		}
		m.mu.Unlock()
	}
	return st.open, st.next, st.ok
}
