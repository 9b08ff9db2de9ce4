package cli_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/cli"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/owner"
	"github.com/bergenreparerer/reparerer/internal/store"
)

func TestClaimsApprove(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	districts, err := district.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc := &listing.Service{Store: db, Districts: districts, Now: time.Now}
	l := &listing.Listing{Name: "Urmaker Ur", Categories: []string{"ur-smykker"}, Location: listing.Location{Lat: 60.3929, Lng: 5.3241},
		Status: listing.StatusPublished, Source: listing.Source{Kind: listing.SourceMunicipality}}
	if err := svc.Create(ctx, l, listing.Change{Actor: "test", Action: listing.ActionCreate}); err != nil {
		t.Fatal(err)
	}
	u, err := db.EnsureUser(ctx, "ur@gmail.com", auth.RoleOwner, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	c := owner.Claim{ListingID: l.ID, UserID: u.ID, Name: "Ulla", Role: "owner", Status: owner.StatusPending, CreatedAt: time.Now()}
	if err := db.CreateClaim(ctx, &c); err != nil {
		t.Fatal(err)
	}
	db.Close()

	env := []string{"REPARERER_DB=" + path}
	var out, errOut bytes.Buffer
	if code := cli.Main([]string{"claims", "list"}, env, &out, &errOut); code != 0 || !strings.Contains(out.String(), c.ID) {
		t.Fatalf("claims list: %d %s %s", code, out.String(), errOut.String())
	}
	out.Reset()
	if code := cli.Main([]string{"claims", "approve", c.ID}, env, &out, &errOut); code != 0 || !strings.Contains(out.String(), "approved") {
		t.Fatalf("claims approve: %d %s %s", code, out.String(), errOut.String())
	}
	if code := cli.Main([]string{"claims", "approve", c.ID}, env, &out, &errOut); code != 1 {
		t.Errorf("approving a decided claim again: exit %d, want 1", code)
	}
	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if owns, err := db.Owns(ctx, u.ID, l.ID); err != nil || !owns {
		t.Errorf("after approval the claimant owns the listing: %v %v", owns, err)
	}
}
