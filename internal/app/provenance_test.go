package app_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

// signIn signs a visitor in with a link sent to email, as a browser would.
func (e *env) signIn(t *testing.T, email string) *visitor {
	t.Helper()
	v := e.visitor()
	form := v.get("/min-side/logg-inn")
	v.post("/min-side/logg-inn", url.Values{"_csrf": {csrfOf(t, form)}, "email": {email}})
	link := signInLink(t, e.mail.WaitFor(t, email).Text)
	opened := v.get(link)
	token := strings.TrimPrefix(link, "/min-side/logg-inn/lenke?token=")
	if a := v.post("/min-side/logg-inn/lenke", url.Values{"_csrf": {csrfOf(t, opened)}, "token": {token}}); a.Status != 303 {
		t.Fatalf("signing in %s: %d", email, a.Status)
	}
	return v
}

// osmWith is the real OSM snapshot with one feature's tags changed, as
// anyone may change them on openstreetmap.org.
func osmWith(t *testing.T, ref string, tags map[string]string) []byte {
	t.Helper()
	data, _ := testenv.OSMSnapshot(t)
	var fc map[string]any
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatal(err)
	}
	for _, f := range fc["features"].([]any) {
		feature := f.(map[string]any)
		if feature["id"] == ref {
			props := feature["properties"].(map[string]any)
			for k, v := range tags {
				props[k] = v
			}
		}
	}
	out, err := json.Marshal(fc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The takeover through OpenStreetMap: whoever edits a shop's website in
// OSM to a domain they control must not become its owner after the next
// routine import.
func TestOSMWebsiteCannotHandOverAListing(t *testing.T) {
	e := start(t, setup{})
	ctx := context.Background()
	importRealData(t, e)
	_, addresses := testenv.OSMSnapshot(t)
	im := &importer.Importer{Listings: e.app.Listings, Districts: e.app.Districts}
	if _, err := im.ImportOSM(ctx, osmWith(t, "node/289529117", map[string]string{"website": "https://angriper.example/"}), addresses); err != nil {
		t.Fatal(err)
	}
	trek, err := e.app.Store.GetBySource(ctx, listing.SourceOSM, "node/289529117")
	if err != nil || trek.Website != "https://angriper.example/" {
		t.Fatalf("the re-import did not take the OSM website: %+v %v", trek, err)
	}
	attacker := e.signIn(t, "eier@angriper.example")
	form := attacker.get("/reparator/" + trek.Slug + "/eier")
	claimed := attacker.post("/reparator/"+trek.Slug+"/eier", url.Values{"_csrf": {csrfOf(t, form)}, "name": {"A. Ngriper"}, "role": {"owner"}})
	if claimed.Location != "/min-side?melding=claim_pending" {
		t.Fatalf("a claim by the domain an OSM edit put in: %d → %q, want it waiting for the municipality", claimed.Status, claimed.Location)
	}
	if a := attacker.get("/min-side/oppforing/" + trek.ID); a.Status != 403 {
		t.Errorf("the attacker's edit form: %d, want 403", a.Status)
	}

	// A website the municipality set is one the city vouches for.
	trek = e.listing(trek.ID)
	trek.Website = "https://trekbergen.no/"
	if err := e.app.Listings.Update(ctx, trek, listing.Change{Actor: "admin:red@bergen.kommune.no", Action: listing.ActionAdminEdit}); err != nil {
		t.Fatal(err)
	}
	shop := e.signIn(t, "post@trekbergen.no")
	form = shop.get("/reparator/" + trek.Slug + "/eier")
	if a := shop.post("/reparator/"+trek.Slug+"/eier", url.Values{"_csrf": {csrfOf(t, form)}, "name": {"Trek Bergen"}, "role": {"owner"}}); a.Location != "/min-side?melding=claim_approved" {
		t.Errorf("a claim at the domain the municipality set: %q, want approved at once", a.Location)
	}
	if o := e.listing(trek.ID).FieldOrigin("website"); o.Source != listing.SourceMunicipality || o.By != "admin:red@bergen.kommune.no" {
		t.Errorf("website origin %+v", o)
	}
}
