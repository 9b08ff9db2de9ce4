package importer_test

import (
	"bytes"
	"context"
	"errors"
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
