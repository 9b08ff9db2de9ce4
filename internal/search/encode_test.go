package search

import (
	"bytes"
	stdjson "encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

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
		core, err := encodeCore(Result{Hits: []Hit{h}})
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
