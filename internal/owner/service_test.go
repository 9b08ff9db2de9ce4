package owner_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/owner"
	"github.com/bergenreparerer/reparerer/internal/store"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

type fixture struct {
	db      *store.DB
	owners  *owner.Service
	sko, ur *listing.Listing
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	ctx := context.Background()
	db := testenv.Store(t)
	districts := testenv.Districts(t)
	now := func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }
	svc := &listing.Service{Store: db, Districts: districts, Now: now}
	f := fixture{db: db, owners: &owner.Service{Store: db, Listings: db, Now: now, Log: slog.New(slog.DiscardHandler)}}
	for _, l := range []**listing.Listing{&f.sko, &f.ur} {
		*l = &listing.Listing{Name: "Sko", Categories: []string{"sko"}, Status: listing.StatusPublished,
			Source: listing.Source{Kind: listing.SourceMunicipality}, Website: "https://sko.example",
			Location: listing.Location{Lat: 60.3929, Lng: 5.3241}}
	}
	f.ur.Name, f.ur.Website = "Urmaker", "https://ur.example"
	for _, l := range []*listing.Listing{f.sko, f.ur} {
		if err := svc.Create(ctx, l, listing.Change{Actor: "cli", Action: listing.ActionCreate}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f fixture) user(t *testing.T, email string, role auth.Role) auth.User {
	t.Helper()
	u, err := f.db.EnsureUser(context.Background(), email, role, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestEditableOnlyToOwnersAndTheMunicipality(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	owns := f.user(t, "post@sko.example", auth.RoleOwner)
	if _, err := f.owners.Submit(ctx, owns, f.sko, "Per", "owner", ""); err != nil { // same domain: approved at once
		t.Fatal(err)
	}
	other := f.user(t, "annen@gmail.example", auth.RoleOwner)
	admin := f.user(t, "redaktor@bergen.kommune.no", auth.RoleAdmin)
	tests := []struct {
		name string
		user auth.User
		id   string
		code apperr.Code
	}{
		{"its owner", owns, f.sko.ID, ""},
		{"the municipality", admin, f.ur.ID, ""},
		{"another repairer", other, f.sko.ID, apperr.CodeNotOwner},
		{"an owner, another listing", owns, f.ur.ID, apperr.CodeNotOwner},
		{"another repairer, no such listing", other, "finnes-ikke", apperr.CodeNotOwner}, // learns nothing
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := f.owners.Editable(ctx, tt.user, tt.id)
			if tt.code == "" && (err != nil || l.ID != tt.id) {
				t.Errorf("got %v, %v; want the listing", l, err)
			}
			if tt.code != "" && (!apperr.Is(err, tt.code) || l != nil) {
				t.Errorf("got %v, %v; want %s", l, err, tt.code)
			}
		})
	}
}

func TestOverviewAndPendingNameTheirListings(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	u := f.user(t, "post@sko.example", auth.RoleOwner)
	if _, err := f.owners.Submit(ctx, u, f.sko, "Per", "owner", ""); err != nil {
		t.Fatal(err)
	}
	waiting, err := f.owners.Submit(ctx, u, f.ur, "Per", "employee", "")
	if err != nil || waiting.Status != owner.StatusPending {
		t.Fatalf("claim on another domain: %+v %v", waiting, err)
	}
	o, err := f.owners.Overview(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Listings) != 1 || o.Listings[0].ID != f.sko.ID {
		t.Errorf("owned %v, want the approved one only", o.Listings)
	}
	if len(o.Claims) != 1 || o.Claims[0].ListingName != "Urmaker" || o.Claims[0].Status != owner.StatusPending {
		t.Errorf("claims %+v, want the waiting one, named", o.Claims)
	}
	pending, err := f.owners.Pending(ctx)
	if err != nil || len(pending) != 1 || pending[0].ListingName != "Urmaker" || pending[0].Email != "post@sko.example" {
		t.Errorf("pending %+v %v", pending, err)
	}
	emails, err := f.owners.OwnerEmails(ctx, f.sko.ID)
	if err != nil || len(emails) != 1 || emails[0] != "post@sko.example" {
		t.Errorf("owners %v %v", emails, err)
	}
}
