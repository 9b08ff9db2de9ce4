package meili_test

import (
	"context"
	"encoding/json"
	"log/slog"
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
		Hits []struct {
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
}
