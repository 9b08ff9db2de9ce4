package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/outbox"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

// index is the seam to Meilisearch: it records what it is given and
// fails or refuses as told.
type index struct {
	upserted, removed []string
	down              bool
	refuse            string // a listing name it will not take
}

func (x *index) Apply(_ context.Context, upsert []*listing.Listing, remove []string) error {
	if x.down {
		return errors.New("dial tcp: connection refused")
	}
	for _, l := range upsert {
		if l.Name == x.refuse {
			return fmt.Errorf("%w: bad document %s", outbox.ErrRefused, l.ID)
		}
	}
	for _, l := range upsert {
		x.upserted = append(x.upserted, l.Name)
	}
	x.removed = append(x.removed, remove...)
	return nil
}

type bumps struct{ n int }

func (b *bumps) Bump(context.Context) { b.n++ }

func TestDrainPushesRetriesAndIsolatesARefusedListing(t *testing.T) {
	ctx := context.Background()
	db := testenv.Store(t)
	districts := testenv.Districts(t)
	idx, gens := &index{}, &bumps{}
	w := outbox.NewWorker(db, db, idx, gens, slog.New(slog.DiscardHandler))
	svc := &listing.Service{Store: db, Districts: districts, Now: time.Now, Notify: w}
	create := func(name string, status listing.Status) *listing.Listing {
		l := &listing.Listing{Name: name, Categories: []string{"sko"}, Status: status, HideReason: "temporarily_closed",
			Source: listing.Source{Kind: listing.SourceMunicipality}, Location: listing.Location{Lat: 60.3929, Lng: 5.3241}}
		if err := svc.Create(ctx, l, listing.Change{Actor: "cli", Action: listing.ActionCreate}); err != nil {
			t.Fatal(err)
		}
		return l
	}
	create("Synlig", listing.StatusPublished)
	hidden := create("Skjult", listing.StatusHidden)

	idx.down = true
	if _, err := w.Drain(ctx); err == nil {
		t.Fatal("an unreachable index is an error")
	}
	if n, _ := db.PendingCount(ctx); n != 2 || gens.n != 0 {
		t.Fatalf("after an outage: %d pending, %d bumps; want both kept and no bump", n, gens.n)
	}
	idx.down = false
	if n, err := w.Drain(ctx); err != nil || n != 2 {
		t.Fatalf("drained %d, %v", n, err)
	}
	if !slices.Equal(idx.upserted, []string{"Synlig"}) || !slices.Equal(idx.removed, []string{hidden.ID}) || gens.n != 1 {
		t.Errorf("upserted %v, removed %v, bumps %d", idx.upserted, idx.removed, gens.n)
	}

	idx.refuse = "Umulig"
	create("Umulig", listing.StatusPublished)
	create("Grei", listing.StatusPublished)
	if n, err := w.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("a refused listing holds up only itself: drained %d, %v", n, err)
	}
	for i := 0; i < outbox.MaxRefusals; i++ {
		_, _ = w.Drain(ctx)
	}
	if parked, _ := db.ParkedCount(ctx); parked != 1 {
		t.Errorf("parked %d, want the refused listing after %d refusals", parked, outbox.MaxRefusals)
	}
	if !slices.Contains(idx.upserted, "Grei") {
		t.Errorf("upserted %v", idx.upserted)
	}
}

// A backlog is drained in growing batches (an import of thousands reaches
// the index in a few large pushes), and a trickle in small ones again.
func TestBacklogGrowsTheBatch(t *testing.T) {
	ctx := context.Background()
	db := testenv.Store(t)
	idx := &sizes{}
	w := outbox.NewWorker(db, db, idx, &bumps{}, slog.New(slog.DiscardHandler))
	w.Batch, w.MaxBatch = 10, 40
	svc := &listing.Service{Store: db, Districts: testenv.Districts(t), Now: time.Now}
	for i := 0; i < 125; i++ {
		l := &listing.Listing{Name: fmt.Sprintf("Skomaker %d", i), Categories: []string{"sko"}, Status: listing.StatusPublished,
			Source: listing.Source{Kind: listing.SourceMunicipality}, Location: listing.Location{Lat: 60.3929, Lng: 5.3241}}
		if err := svc.Create(ctx, l, listing.Change{Actor: "cli", Action: listing.ActionCreate}); err != nil {
			t.Fatal(err)
		}
	}
	for {
		n, err := w.Drain(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	if want := []int{10, 20, 40, 40, 15}; !slices.Equal(idx.pushes, want) {
		t.Errorf("batches %v, want %v", idx.pushes, want)
	}
}

// sizes records the size of each push.
type sizes struct{ pushes []int }

func (x *sizes) Apply(_ context.Context, upsert []*listing.Listing, remove []string) error {
	x.pushes = append(x.pushes, len(upsert)+len(remove))
	return nil
}
