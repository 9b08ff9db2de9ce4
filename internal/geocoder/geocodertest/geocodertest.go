// Package geocodertest is a stand-in for Kartverket's address API
// (adresser/v1/sok), started inside a test process, answering in its
// documented format — and, when asked, slowly, with outages or garbage.
package geocodertest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Address is one address the stand-in knows.
type Address struct {
	Text, Postcode, City, Municipality string
	Lat, Lon                           float64
}

// Server is the stand-in.
type Server struct {
	*httptest.Server
	mu            sync.Mutex
	addresses     []Address
	Down, Garbage bool
	Slow          time.Duration
	// Queries are the sok values asked for, so tests see what left.
	Queries []string
}

// Start starts the stand-in; it stops with the test.
func Start(tb testing.TB, addresses ...Address) *Server {
	s := &Server{addresses: addresses}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// Asked counts the searches for text.
func (s *Server) Asked(text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, q := range s.Queries {
		if q == text {
			n++
		}
	}
	return n
}

// SetSlow makes every answer wait d (0: answer at once).
func (s *Server) SetSlow(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Slow = d
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	s.Queries = append(s.Queries, q.Get("sok"))
	down, garbage, slow := s.Down, s.Garbage, s.Slow
	s.mu.Unlock()
	if slow > 0 {
		time.Sleep(slow)
	}
	switch {
	case down:
		http.Error(w, "Bad Gateway", http.StatusBadGateway)
		return
	case garbage:
		_, _ = w.Write([]byte("{\"adresser\": ["))
		return
	case r.URL.Path != "/sok":
		http.NotFound(w, r)
		return
	}
	var hits []map[string]any
	for _, a := range s.addresses {
		if !matches(a.Text, q.Get("sok")) || (q.Get("postnummer") != "" && a.Postcode != q.Get("postnummer")) ||
			(q.Get("kommunenummer") != "" && a.Municipality != q.Get("kommunenummer")) {
			continue
		}
		hits = append(hits, map[string]any{"adressetekst": a.Text, "postnummer": a.Postcode, "poststed": strings.ToUpper(a.City),
			"kommunenummer": a.Municipality, "kommunenavn": "BERGEN",
			"representasjonspunkt": map[string]any{"epsg": "EPSG:4258", "lat": a.Lat, "lon": a.Lon}})
	}
	if hits == nil {
		hits = []map[string]any{}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"metadata": map[string]any{"side": 0, "treff": len(hits), "totaltAntallTreff": len(hits), "viserFra": 0, "viserTil": len(hits)},
		"adresser": hits,
	})
}

// matches is the API's search as far as the tests need it: the whole text,
// or its beginning with a trailing wildcard ("Strandg*").
func matches(text, sok string) bool {
	if prefix, wild := strings.CutSuffix(sok, "*"); wild {
		return strings.HasPrefix(strings.ToLower(text), strings.ToLower(prefix))
	}
	return strings.EqualFold(text, sok)
}
