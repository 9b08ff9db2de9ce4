package moderation_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/mail"
	"github.com/bergenreparerer/reparerer/internal/moderation"
	"github.com/bergenreparerer/reparerer/internal/owner"
	"github.com/bergenreparerer/reparerer/internal/reminder"
	"github.com/bergenreparerer/reparerer/internal/report"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

func TestQueueAndDossier(t *testing.T) {
	ctx := context.Background()
	db := testenv.Store(t)
	districts := testenv.Districts(t)
	messages := testenv.Messages(t)
	now := func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }
	log := slog.New(slog.DiscardHandler)
	sender := &mail.Log{Log: log}
	listings := &listing.Service{Store: db, Districts: districts, Now: now}
	owners := &owner.Service{Store: db, Listings: db, Now: now, Log: log}
	reminders := &reminder.Service{Store: db, Listings: listings, Owners: db, Mailer: sender, Messages: messages, Now: now, Log: log}
	svc := &moderation.Service{Listings: listings, Audit: db, Claims: owners, Reports: db, Scans: db, Reminders: reminders,
		Mailer: sender, Messages: messages, Now: now, Log: log, BaseURL: "http://localhost"}

	repairer, _ := db.EnsureUser(ctx, "eier@sko.example", auth.RoleOwner, now())
	editor, _ := db.EnsureUser(ctx, "redaktor@bergen.kommune.no", auth.RoleAdmin, now())
	waiting := &listing.Listing{Name: "Ny skomaker", OrgNumber: "923609016", Categories: []string{"sko"},
		Location: listing.Location{Lat: 60.3929, Lng: 5.3241}}
	if err := listings.Register(ctx, waiting, listing.Editor{UserID: repairer.ID, Email: repairer.Email}); err != nil {
		t.Fatal(err)
	}
	live := &listing.Listing{Name: "Urmakeren", Categories: []string{"ur-smykker"}, Status: listing.StatusPublished,
		Source: listing.Source{Kind: listing.SourceMunicipality}, Location: listing.Location{Lat: 60.3929, Lng: 5.3241}}
	if err := listings.Create(ctx, live, listing.Change{Actor: "cli", Action: listing.ActionCreate}); err != nil {
		t.Fatal(err)
	}
	if _, err := owners.Submit(ctx, repairer, live, "Per", "owner", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateReport(ctx, &report.Report{ListingID: live.ID, Reason: "hours", Message: "Stengt på mandager."}); err != nil {
		t.Fatal(err)
	}
	if err := db.CountScan(ctx, live.ID, "2026-11-23"); err != nil {
		t.Fatal(err)
	}

	q, err := svc.Queue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Pending) != 1 || q.Pending[0].ID != waiting.ID {
		t.Errorf("pending %v", q.Pending)
	}
	if len(q.Claims) != 1 || q.Claims[0].ListingName != "Urmakeren" {
		t.Errorf("claims %+v", q.Claims)
	}
	if len(q.Edits) != 1 || q.Edits[0].ListingName != "Ny skomaker" || q.Edits[0].Item.Action != listing.ActionOwnerRegister {
		t.Errorf("edits %+v", q.Edits)
	}
	if len(q.Reports) != 1 || q.Reports[0].ListingName != "Urmakeren" || q.Reports[0].Item.Message != "Stengt på mandager." {
		t.Errorf("reports %+v", q.Reports)
	}

	if _, err := svc.Verify(ctx, editor, waiting.ID, waiting.Version, false); err != nil {
		t.Fatal(err)
	}
	d, err := svc.Dossier(ctx, waiting.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Listing.Published() || len(d.Owners) != 1 || d.Owners[0] != "eier@sko.example" || len(d.History) != 2 ||
		d.History[1].Action != listing.ActionVerify || d.UnansweredSince != nil {
		t.Errorf("dossier %+v", d)
	}
	if d, _ := svc.Dossier(ctx, live.ID); d.Scans != 1 {
		t.Errorf("scans %d, want 1", d.Scans)
	}
}
