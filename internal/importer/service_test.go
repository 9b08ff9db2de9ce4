package importer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

func TestPreviewWritesNothingAndConfirmTwiceChangesNothing(t *testing.T) {
	ctx := context.Background()
	db := testenv.Store(t)
	districts := testenv.Districts(t)
	postcodes := testenv.Postcodes(t)
	now := func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }
	svc := &importer.Service{
		Planner: &importer.Planner{Listings: &listing.Service{Store: db, Districts: districts, Now: now}, Districts: districts, Postcodes: postcodes, Suggestions: db},
		Uploads: db, Now: now, Log: slog.New(slog.DiscardHandler),
	}
	file := []byte("navn;postnummer;kategori;telefon\nSyverksted Laksevåg;5161;klaer;55 12 34 56\nUkjent;0150;sko;\n")

	up, plan, err := svc.Preview(ctx, "syersker.csv", file, "redaktor@bergen.kommune.no")
	if err != nil {
		t.Fatal(err)
	}
	if up.Kind != importer.KindCSV || plan.Count(importer.Create) != 1 || plan.Count(importer.Invalid) != 1 {
		t.Errorf("preview: kind %s, %d new, %d invalid", up.Kind, plan.Count(importer.Create), plan.Count(importer.Invalid))
	}
	if all, _ := db.All(ctx); len(all) != 0 {
		t.Fatalf("the preview wrote %d listings", len(all))
	}

	_, done, err := svc.Confirm(ctx, up.ID, func(int) string { return "" }, "redaktor@bergen.kommune.no")
	if err != nil || done.Created != 1 {
		t.Fatalf("confirm: %+v %v", done, err)
	}
	all, _ := db.All(ctx)
	if len(all) != 1 || all[0].Phone != "+4755123456" || all[0].District != "laksevag" {
		t.Fatalf("imported %+v", all)
	}
	history, _ := db.History(ctx, all[0].ID)
	if len(history) != 1 || history[0].Actor != "admin:redaktor@bergen.kommune.no" || history[0].Note != "import "+up.ID+" syersker.csv" {
		t.Errorf("audit %+v", history)
	}
	if _, again, err := svc.Confirm(ctx, up.ID, func(int) string { return "" }, "redaktor@bergen.kommune.no"); err != nil || again != (importer.Applied{}) {
		t.Errorf("confirmed again: %+v %v, want nothing changed", again, err)
	}

	for name, body := range map[string][]byte{
		"too big":    bytes.Repeat([]byte("a"), importer.MaxUpload+1),
		"unreadable": []byte(`{"type": "FeatureCollection", "features": 7}`),
	} {
		_, _, err := svc.Preview(ctx, "x.csv", body, "r@b.no")
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.CodeInvalidParameter || ae.Field != "file" {
			t.Errorf("%s: %v, want invalid_parameter on file", name, err)
		}
	}
}

// A confirmation started in the background writes the file while the
// request that started it is gone, notes its progress, and records what
// it wrote; the service's stop waits for it.
func TestStartWritesInTheBackground(t *testing.T) {
	db := testenv.Store(t)
	districts := testenv.Districts(t)
	svc := &importer.Service{
		Planner: &importer.Planner{Listings: &listing.Service{Store: db, Districts: districts, Now: time.Now}, Districts: districts,
			Postcodes: testenv.Postcodes(t), Suggestions: db},
		Uploads: db, Runs: db, Now: time.Now, Log: slog.New(slog.DiscardHandler),
	}
	var file bytes.Buffer
	file.WriteString("navn;postnummer;kategori\n")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&file, "Skomaker %d;5003;sko\n", i)
	}
	up, _, err := svc.Preview(context.Background(), "mange.csv", file.Bytes(), "redaktor@bergen.kommune.no")
	if err != nil {
		t.Fatal(err)
	}
	request, cancel := context.WithCancel(context.Background())
	ended, err := svc.Start(request, up.ID, func(int) string { return "" }, "redaktor@bergen.kommune.no")
	if err != nil {
		t.Fatal(err)
	}
	cancel() // the request is answered; the run goes on
	wait, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	svc.Wait(wait)
	select {
	case <-ended:
	default:
		t.Fatal("Wait returned before the run ended")
	}
	run, started, err := db.Run(context.Background(), up.ID)
	if err != nil || !started || run.FinishedAt == nil || run.Failure != "" || run.Result == nil || run.Result.Created != 300 || run.Done != 300 || run.Total != 300 {
		t.Fatalf("run %+v %v %v", run, started, err)
	}
	if all, _ := db.All(context.Background()); len(all) != 300 {
		t.Errorf("%d listings written, want 300", len(all))
	}
}
