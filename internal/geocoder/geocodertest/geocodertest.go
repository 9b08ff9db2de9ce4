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

	"github.com/bergenreparerer/reparerer/internal/testenv"
)

// Address is one address the stand-in knows.
type Address struct {
	Text, Postcode, City, Municipality string
	Lat, Lon                           float64
}

// Server is the stand-in.
type Server struct {
	*httptest.Server
	// Faults make it answer 502, garbage or late.
	testenv.Faults
	mu        sync.Mutex
	addresses []Address
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

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	s.Queries = append(s.Queries, q.Get("sok"))
	s.mu.Unlock()
	if s.Inject(w, http.StatusBadGateway, `{"adresser": [`) {
		return
	}
	switch {
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
