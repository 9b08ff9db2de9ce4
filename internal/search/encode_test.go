package search

import (
	"bytes"
	"context"
	stdjson "encoding/json"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// A hit passed on as the index stored it says exactly what the same hit
// encoded field by field says, with the characters the encoder escapes
// escaped alike.
func TestStoredHitsEncodeAsDecodedOnes(t *testing.T) {
	verified := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	card := NewCard(&listing.Listing{ID: "id-1", Slug: "sko-og-nokkel", Name: "Sko & Nøkkel <Nord>\u2028\u2029", Categories: []string{"sko"},
		District: "bergenhus", Location: listing.Location{Lat: 60.39, Lng: 5.32}, VerifiedAt: &verified, Phone: "+47 55 00 00 00"})
	// As the index sends it: nothing escaped.
	var buf bytes.Buffer
	enc := stdjson.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(card); err != nil {
		t.Fatal(err)
	}
	stored := bytes.ReplaceAll(bytes.ReplaceAll(buf.Bytes(), []byte(`\u2028`), []byte("\u2028")), []byte(`\u2029`), []byte("\u2029"))
	if !bytes.Contains(stored, []byte("& Nøkkel <Nord>\u2028")) {
		t.Fatalf("the stored card is escaped: %s", stored)
	}

	open, dist := false, 120
	next := time.Date(2026, 12, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	encode := func(h Hit) (string, map[string]any) {
		core, err := encodeCore(nil, Result{Hits: []Hit{h}})
		if err != nil {
			t.Fatal(err)
		}
		var decoded map[string]any
		if err := stdjson.Unmarshal(append(core, '}'), &decoded); err != nil {
			t.Fatalf("%v: %s", err, core)
		}
		return string(core), decoded
	}
	encodedText, encoded := encode(Hit{Card: card, DistanceM: &dist, OpenNow: &open, NextOpen: &next})
	passedText, passed := encode(Hit{Stored: stored, DistanceM: &dist, OpenNow: &open, NextOpen: &next})
	if !reflect.DeepEqual(encoded, passed) {
		t.Errorf("passed on:\n%s\nencoded:\n%s", passedText, encodedText)
	}
	for _, raw := range []string{"<", ">", "&", "\u2028", "\u2029"} {
		if strings.Contains(passedText, raw) {
			t.Errorf("%q is not escaped in %s", raw, passedText)
		}
	}
	unknown, _ := encode(Hit{Stored: stored})
	if !strings.Contains(unknown, `"open_now":null,"next_open":null}`) || strings.Contains(unknown, "distance_m") {
		t.Errorf("a hit without hours or distance: %s", unknown)
	}
}

// echoIndex answers each query with hits whose cards name the query's
// text, a number of them that depends on the text.
type echoIndex struct{}

func (echoIndex) Search(_ context.Context, q Query) (Result, error) {
	n := 1 + len(q.Text)%25
	hits := make([]Hit, n)
	for i := range hits {
		hits[i].Stored = stdjson.RawMessage(`{"id":"` + q.Text + `","name":"` + strings.Repeat(q.Text, i+1) + `"}`)
	}
	return Result{Hits: hits, Total: n, Page: 1, PerPage: 25}, nil
}

func (echoIndex) Services(context.Context, string, int) ([]string, error) { return nil, nil }

// Uncached answers are encoded in buffers that go back to a pool once
// written: answers written at the same time never share one, and a
// buffer's earlier answer never shows through a later one.
func TestUncachedAnswersNeverShareABuffer(t *testing.T) {
	svc := &Service{Index: echoIndex{}, Now: time.Now, Log: slog.New(slog.DiscardHandler)}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				text := fmt.Sprintf("s%d-%d", g, i*7919%1000)
				q := Query{Text: text, Literal: true, Origin: &Point{Lat: 60.39, Lng: 5.32}, Page: 1, PerPage: 25}
				var out bytes.Buffer
				write := svc.WriteJSON
				if i%2 == 1 {
					write = func(ctx context.Context, q Query, lang i18n.Lang, w io.Writer) error {
						b, err := svc.SearchJSON(ctx, q, lang)
						w.Write(b)
						return err
					}
				}
				if err := write(context.Background(), q, i18n.NB, &out); err != nil {
					t.Error(err)
					return
				}
				var answer struct {
					Hits []struct{ ID, Name string }
				}
				if err := stdjson.Unmarshal(out.Bytes(), &answer); err != nil {
					t.Errorf("%q: %v: %s", text, err, out.Bytes())
					return
				}
				if len(answer.Hits) != 1+len(text)%25 {
					t.Errorf("%q: %d hits", text, len(answer.Hits))
				}
				for j, h := range answer.Hits {
					if h.ID != text || h.Name != strings.Repeat(text, j+1) {
						t.Errorf("%q: hit %d is %+v", text, j, h)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}
