// Package registertest is a stand-in for the register's open-data API,
// started inside a test process, that answers in the documented format
// (brreg/openAPI specs/enhetsregisteret.yml): units and entities by
// number (404 unknown, 410 deleted), searches by municipality and activity
// code with pages, and — when asked — slow answers, outages and garbage.
package registertest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/testenv"
)

// Unit is one entry the stand-in knows.
type Unit struct {
	OrgNumber, Name, OrgForm, Street, Postcode, City, Municipality, Parent, ClosedOn string
	Codes                                                                            []string
	// Entity makes it an entity (hovedenhet) rather than a unit.
	Entity              bool
	Bankrupt, WindingUp bool
	Deleted             bool // answered 410
}

// Server is the stand-in register.
type Server struct {
	*httptest.Server
	mu    sync.Mutex
	units map[string]Unit
	// Faults make it answer 503, a body that is not JSON, or late.
	testenv.Faults
	Requests int
}

// Start starts the stand-in with the units; it stops with the test.
func Start(tb testing.TB, units ...Unit) *Server {
	s := &Server{units: map[string]Unit{}}
	for _, u := range units {
		s.units[u.OrgNumber] = u
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// Set adds or replaces a unit.
func (s *Server) Set(u Unit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.units[u.OrgNumber] = u
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.Requests++
	s.mu.Unlock()
	if s.Inject(w, http.StatusServiceUnavailable, "<html>vedlikehold</html>") {
		return
	}
	path := r.URL.Path
	switch {
	case path == "/underenheter":
		s.search(w, r)
	case strings.HasPrefix(path, "/underenheter/"):
		s.one(w, strings.TrimPrefix(path, "/underenheter/"), false)
	case strings.HasPrefix(path, "/enheter/"):
		s.one(w, strings.TrimPrefix(path, "/enheter/"), true)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) one(w http.ResponseWriter, orgnr string, entity bool) {
	s.mu.Lock()
	u, ok := s.units[orgnr]
	s.mu.Unlock()
	switch {
	case !ok || u.Entity != entity:
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"timestamp":"2026-11-29T10:00:00.000+00:00","status":404,"error":"Not Found","message":"Ingen enhet med organisasjonsnummer ` + orgnr + ` ble funnet","path":"/enhetsregisteret/api"}`))
	case u.Deleted:
		w.WriteHeader(http.StatusGone)
		_ = json.NewEncoder(w).Encode(map[string]any{"organisasjonsnummer": orgnr, "slettedato": "2026-10-01"})
	default:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(document(u))
	}
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	codes := strings.Split(q.Get("naeringskode"), ",")
	size, _ := strconv.Atoi(q.Get("size"))
	page, _ := strconv.Atoi(q.Get("page"))
	if size <= 0 {
		size = 20
	}
	s.mu.Lock()
	var hits []map[string]any
	for _, u := range s.units {
		if u.Entity || u.Municipality != q.Get("kommunenummer") || len(u.Codes) == 0 || !slices.Contains(codes, u.Codes[0]) {
			continue
		}
		hits = append(hits, document(u))
	}
	s.mu.Unlock()
	slices.SortFunc(hits, func(a, b map[string]any) int {
		return strings.Compare(a["organisasjonsnummer"].(string), b["organisasjonsnummer"].(string))
	})
	total := len(hits)
	from, to := min(page*size, total), min((page+1)*size, total)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"_embedded": map[string]any{"underenheter": hits[from:to]},
		"page":      map[string]any{"size": size, "totalElements": total, "totalPages": (total + size - 1) / size, "number": page},
	})
}

// document is a unit or an entity in the register's JSON.
func document(u Unit) map[string]any {
	address := map[string]any{"land": "Norge", "landkode": "NO", "postnummer": u.Postcode, "poststed": strings.ToUpper(u.City),
		"adresse": []string{u.Street}, "kommune": "BERGEN", "kommunenummer": u.Municipality}
	d := map[string]any{"organisasjonsnummer": u.OrgNumber, "navn": u.Name,
		"organisasjonsform": map[string]any{"kode": u.OrgForm, "beskrivelse": "…"}, "registreringsdatoEnhetsregisteret": "2015-01-01"}
	for i, c := range u.Codes {
		d["naeringskode"+strconv.Itoa(i+1)] = map[string]any{"kode": c, "beskrivelse": "Reparasjon"}
	}
	if u.Entity {
		d["forretningsadresse"] = address
		d["konkurs"], d["underAvvikling"], d["underTvangsavviklingEllerTvangsopplosning"] = u.Bankrupt, u.WindingUp, false
	} else {
		d["beliggenhetsadresse"] = address
		d["overordnetEnhet"] = u.Parent
		if u.ClosedOn != "" {
			d["nedleggelsesdato"] = u.ClosedOn
		}
	}
	return d
}
