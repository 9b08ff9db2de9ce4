package listing_test

import (
	"context"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/store"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

// counter is a listing.Notifier that counts writes.
type counter struct{ n int }

func (c *counter) ListingWritten() { c.n++ }

func newService(t *testing.T) (*listing.Service, *store.DB, *counter) {
	t.Helper()
	db := testenv.Store(t)
	districts := testenv.Districts(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	notified := &counter{}
	return &listing.Service{Store: db, Districts: districts, Now: func() time.Time { return now }, Notify: notified}, db, notified
}

func business() *listing.Listing {
	return &listing.Listing{Name: "Skomaker Test", OrgNumber: "923609016", Categories: []string{"sko"},
		Address:  listing.Address{Street: "Strandgaten 1", Postcode: "5013", City: "Bergen"},
		Location: listing.Location{Lat: 60.3929, Lng: 5.3241}, AcceptsRepairVoucher: true}
}

func TestRegisterByAnOwner(t *testing.T) {
	ctx := context.Background()
	svc, db, notified := newService(t)
	u, err := db.EnsureUser(ctx, "eier@sko.example", auth.RoleOwner, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	l := business()
	l.Status = listing.StatusPublished // what a form cannot choose
	if err := svc.Register(ctx, l, listing.Editor{UserID: u.ID, Email: u.Email}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Get(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != listing.StatusPending || got.Source.Kind != listing.SourceOwner || got.AcceptsRepairVoucher || got.District != "bergenhus" {
		t.Errorf("registered %+v: want pending, source owner, no voucher (the municipality's to mark), district bergenhus", got)
	}
	if owns, err := db.Owns(ctx, u.ID, l.ID); err != nil || !owns {
		t.Errorf("the registrant owns it: %v %v", owns, err)
	}
	history, err := db.History(ctx, l.ID)
	if err != nil || len(history) != 1 || history[0].Actor != "owner:eier@sko.example" || history[0].Action != listing.ActionOwnerRegister {
		t.Errorf("audit %+v %v", history, err)
	}
	if notified.n != 1 {
		t.Errorf("notified %d times, want once", notified.n)
	}
}

func TestRegisterReportsEveryProblemAtOnce(t *testing.T) {
	svc, db, notified := newService(t)
	l := business()
	l.OrgNumber, l.Phone, l.Location = "", "not a number", listing.Location{Lat: 59.91, Lng: 10.75}
	err := svc.Register(context.Background(), l, listing.Editor{UserID: "u", Email: "e@x.example"})
	problems := listing.Problems(err)
	for _, field := range []string{"org_number", "phone", "location"} {
		if _, ok := problems[field]; !ok {
			t.Errorf("no problem for %s in %v", field, err)
		}
	}
	if p := problems["org_number"]; p == nil || p.Key == "" || p.Code != apperr.CodeInvalidParameter {
		t.Errorf("the problem carries a catalogue key: %+v", p)
	}
	if notified.n != 0 {
		t.Error("a refused registration was announced")
	}
	u, err := db.EnsureUser(context.Background(), "kafe@x.example", auth.RoleOwner, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cafe := business()
	cafe.OrgNumber, cafe.Categories = "", []string{"reparasjonskafe"}
	if err := svc.Register(context.Background(), cafe, listing.Editor{UserID: u.ID, Email: u.Email}); err != nil {
		t.Errorf("a repair café needs no organisation number: %v", err)
	}
}

func TestEditByOwnerAndByTheMunicipality(t *testing.T) {
	ctx := context.Background()
	svc, db, _ := newService(t)
	l := business()
	l.Status, l.Source = listing.StatusPublished, listing.Source{Kind: listing.SourceOSM, Ref: "node/1"}
	if err := svc.Create(ctx, l, listing.Change{Actor: "import:osm", Action: listing.ActionImport}); err != nil {
		t.Fatal(err)
	}
	current, _ := db.Get(ctx, l.ID)
	owner := listing.Editor{UserID: "u1", Email: "eier@sko.example"}

	edited := *current
	edited.Phone, edited.AcceptsRepairVoucher = "55 12 34 56", !current.AcceptsRepairVoucher
	if err := svc.Edit(ctx, current, &edited, current.Version, owner); err != nil {
		t.Fatal(err)
	}
	got, _ := db.Get(ctx, l.ID)
	if got.Phone != "+4755123456" || got.AcceptsRepairVoucher != current.AcceptsRepairVoucher {
		t.Errorf("owner edit: phone %q voucher %v; want the phone normalised and the voucher unchanged", got.Phone, got.AcceptsRepairVoucher)
	}
	stale := *current
	stale.Name = "Et annet navn"
	if err := svc.Edit(ctx, current, &stale, current.Version, owner); !apperr.Is(err, apperr.CodeConflict) {
		t.Errorf("an edit from a stale form: %v, want a conflict", err)
	}
	byCity := *got
	byCity.AcceptsRepairVoucher = !got.AcceptsRepairVoucher
	if err := svc.Edit(ctx, got, &byCity, got.Version, listing.Editor{Email: "redaktor@bergen.kommune.no", Admin: true}); err != nil {
		t.Fatal(err)
	}
	history, _ := db.History(ctx, l.ID)
	last := history[len(history)-1]
	if last.Actor != "admin:redaktor@bergen.kommune.no" || last.Action != listing.ActionAdminEdit || len(last.Changes) != 1 ||
		last.Changes[0].Field != "accepts_repair_voucher" {
		t.Errorf("admin edit recorded as %+v", last)
	}
	if owners := history[len(history)-2]; owners.Actor != "owner:eier@sko.example" || owners.Action != listing.ActionOwnerEdit {
		t.Errorf("owner edit recorded as %+v", owners)
	}
}
