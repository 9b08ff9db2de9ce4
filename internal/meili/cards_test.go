package meili_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/search"
)

// While an upgrade re-indexes, the index holds documents from before they
// carried a card next to new ones: a search finds both, whole.
func TestSearchReadsDocumentsFromBeforeCards(t *testing.T) {
	ctx := context.Background()
	ix := newIndex(t)
	if err := ix.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	old := map[string]any{"id": "old-1", "slug": "gammel-skomaker", "name": "Gammel Skomaker", "name_sort": "gammel skomaker",
		"categories": []string{"sko"}, "services": []string{}, "district": "bergenhus", "anchor": "qqalleoppforinger",
		"address": map[string]string{"street": "Strandgaten 1", "postcode": "5013", "city": "Bergen"},
		"_geo":    map[string]float64{"lat": 60.3950, "lng": 5.3220}, "phone": "+47 55 11 22 33", "hours_known": false, "hours": []int{}}
	if err := ix.AddRaw(ctx, []map[string]any{old}); err != nil {
		t.Fatal(err)
	}
	fresh := &listing.Listing{ID: "new-1", Slug: "ny-skomaker", Name: "Ny Skomaker", Categories: []string{"sko"}, District: "bergenhus",
		Location: listing.Location{Lat: 60.3930, Lng: 5.3240}, Phone: "+47 55 44 55 66", Status: listing.StatusPublished}
	if err := ix.Apply(ctx, []*listing.Listing{fresh}, nil); err != nil {
		t.Fatal(err)
	}
	svc := &search.Service{Index: ix, Now: time.Now, Log: slog.New(slog.DiscardHandler)}
	origin := search.Point{Lat: 60.3929, Lng: 5.3241}
	body, err := svc.SearchJSON(ctx, search.Query{Categories: []string{"sko"}, Origin: &origin, Page: 1, PerPage: 20}, i18n.NB)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Facets struct{ Category, District map[string]int }
		Hits   []struct {
			Slug, Name, Phone, URL string
			DistanceM              *int `json:"distance_m"`
			Location               listing.Location
		}
	}
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 {
		t.Fatalf("hits: %s", body)
	}
	for _, h := range res.Hits {
		if h.Slug == "" || h.Name == "" || h.Phone == "" || h.URL != "/reparator/"+h.Slug || h.DistanceM == nil || h.Location.Lat == 0 {
			t.Errorf("a hit is not whole: %+v in %s", h, body)
		}
	}
	if res.Hits[0].Slug != "ny-skomaker" {
		t.Errorf("not nearest first: %s", body)
	}
	// The counts count both, though only the new one has facet_keys.
	if res.Facets.Category["sko"] != 2 || res.Facets.District["bergenhus"] != 2 || len(res.Facets.Category) != 1 || len(res.Facets.District) != 1 {
		t.Errorf("facets: %+v in %s", res.Facets, body)
	}
}

// A document with its card but from before facet keys is counted too
// (while the upgrade to them re-indexes), in a plain and in a read search.
func TestSearchCountsDocumentsFromBeforeFacetKeys(t *testing.T) {
	ctx := context.Background()
	ix := newIndex(t)
	if err := ix.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	older := &listing.Listing{ID: "old-1", Slug: "eldre-skredder", Name: "Eldre Skredder", Categories: []string{"klaer", "sko"}, District: "fana",
		Location: listing.Location{Lat: 60.3100, Lng: 5.3400}, Status: listing.StatusPublished}
	doc, err := ix.DocumentWithout(older, "facet_keys")
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.AddRaw(ctx, []map[string]any{doc}); err != nil {
		t.Fatal(err)
	}
	fresh := &listing.Listing{ID: "new-1", Slug: "ny-skomaker", Name: "Ny Skomaker", Categories: []string{"sko"}, District: "bergenhus",
		Location: listing.Location{Lat: 60.3930, Lng: 5.3240}, Status: listing.StatusPublished}
	if err := ix.Apply(ctx, []*listing.Listing{fresh}, nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []search.Query{{Page: 1, PerPage: 20}, {Text: "skredder", Implied: []string{"klaer"}, Page: 1, PerPage: 20}} {
		res, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want := search.Facets{Category: map[string]int{"sko": 2, "klaer": 1}, District: map[string]int{"bergenhus": 1, "fana": 1}}
		if len(q.Implied) > 0 {
			want = search.Facets{Category: map[string]int{"sko": 1, "klaer": 1}, District: map[string]int{"fana": 1}}
		}
		if res.Total != len(want.District) || !maps.Equal(res.Facets.Category, want.Category) || !maps.Equal(res.Facets.District, want.District) {
			t.Errorf("%q %v: total %d, facets %+v, want %+v", q.Text, q.Implied, res.Total, res.Facets, want)
		}
	}
}
