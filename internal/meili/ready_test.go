package meili_test

import (
	"context"
	"os"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/meili"
	"github.com/bergenreparerer/reparerer/internal/search"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// newIndex is an index of its own for the test, on the shared
// Meilisearch, closed at its end; not yet created.
func newIndex(t *testing.T) *meili.Index {
	t.Helper()
	districts, err := district.Load()
	if err != nil {
		t.Fatal(err)
	}
	m := testenv.SharedMeili(t)
	ix, err := meili.New(m.URL, m.Key, testenv.Name(t), districts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ix.Close)
	return ix
}

// Until the index exists with its settings, a search is "unavailable"
// (503, retry) and the index is not healthy — never an internal error
// from filtering on an attribute not yet filterable. Seen on a fresh
// start: a browse in the first second answered 500.
func TestSearchBeforeTheIndexIsReadyIsUnavailable(t *testing.T) {
	ctx := context.Background()
	ix := newIndex(t)
	browse := search.Query{Categories: []string{"klaer"}, Districts: []string{"bergenhus"}, Page: 1, PerPage: 20}
	// Another start (or a reindex) made the index without settings.
	if err := ix.CreateBare(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Search(ctx, browse); !apperr.Is(err, apperr.CodeUnavailable) {
		t.Errorf("search before Ensure: %v, want search_unavailable", err)
	}
	if _, err := ix.Services(ctx, "sko", 5); !apperr.Is(err, apperr.CodeUnavailable) {
		t.Errorf("suggest before Ensure: %v, want search_unavailable", err)
	}
	if err := ix.Health(ctx); err == nil {
		t.Error("healthy before its settings are applied")
	}
	if err := ix.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if res, err := ix.Search(ctx, browse); err != nil || res.Total != 0 {
		t.Errorf("search after Ensure: %+v %v", res, err)
	}
	if err := ix.Health(ctx); err != nil {
		t.Errorf("not healthy after Ensure: %v", err)
	}
}
