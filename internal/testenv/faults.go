package testenv

import (
	"net/http"
	"sync"
	"time"
)

// Faults are what an in-process stand-in for an external service can be
// made to do, as the real one does now and then: answer an error (Down),
// answer 200 with a body that is not its format (Garbage), or answer late
// (Slow). Set them before the requests they are for, or through Set.
type Faults struct {
	mu            sync.Mutex
	Down, Garbage bool
	Slow          time.Duration
}

// SetSlow makes every answer wait d (0: answer at once), safely while
// requests are in flight.
func (f *Faults) SetSlow(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Slow = d
}

// Inject waits when Slow, then answers for a Down (downStatus) or a
// Garbage (garbage as the body) service; it reports whether it answered,
// so the stand-in answers only when it did not.
func (f *Faults) Inject(w http.ResponseWriter, downStatus int, garbage string) bool {
	f.mu.Lock()
	down, junk, slow := f.Down, f.Garbage, f.Slow
	f.mu.Unlock()
	if slow > 0 {
		time.Sleep(slow) // an answer that takes long, as the real one can
	}
	switch {
	case down:
		http.Error(w, http.StatusText(downStatus), downStatus)
		return true
	case junk:
		_, _ = w.Write([]byte(garbage))
		return true
	}
	return false
}
