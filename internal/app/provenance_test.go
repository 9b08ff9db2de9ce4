package app_test

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
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
	im := &importer.Importer{Listings: e.app.Listings, Districts: e.app.Districts, Suggestions: e.app.Store}
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
	if a := shop.get("/min-side/oppforing/" + trek.ID); a.Status != 200 {
		t.Fatalf("the approved owner's edit form: %d", a.Status)
	}

	// The website moves to another domain: the automatic approval is not
	// kept silently; the editor is asked to review the owner.
	trek = e.listing(trek.ID)
	trek.Website = "https://trek.example/"
	if err := e.app.Listings.Update(ctx, trek, listing.Change{Actor: "owner:post@trekbergen.no", Action: listing.ActionOwnerEdit}); err != nil {
		t.Fatal(err)
	}
	open, err := e.app.Store.OpenSuggestions(ctx)
	if err != nil || len(open) != 1 || open[0].Field != suggestion.FieldOwner || open[0].Current != "post@trekbergen.no" {
		t.Fatalf("owner review: %+v %v", open, err)
	}
	admin := e.adminVisitor()
	queue := admin.get("/admin")
	m := regexp.MustCompile(`action="(/admin/forslag/[^"]+/godta)"`).FindStringSubmatch(queue.Body)
	if m == nil || !strings.Contains(queue.Body, "Fjern eieren") {
		t.Fatal("the queue does not offer to remove the owner")
	}
	if a := admin.post(m[1], url.Values{"_csrf": {csrfOf(t, queue)}}); a.Status != 303 {
		t.Fatalf("remove owner: %d", a.Status)
	}
	// The removed owner's open session loses access at once.
	if a := shop.get("/min-side/oppforing/" + trek.ID); a.Status != 403 {
		t.Errorf("the removed owner's edit form: %d, want 403", a.Status)
	}

	// The municipality can also remove an owner from the listing's page;
	// the person is told by e-mail.
	other, _ := e.owned(place("Sykkelverksted Minde", [2]float64{60.372, 5.338}, []string{"sykkel"}, ""), "eier@minde.example")
	page := admin.get("/admin/oppforing/" + other.ID)
	if a := admin.post("/admin/oppforing/"+other.ID+"/eier/fjern", url.Values{"_csrf": {csrfOf(t, page)}, "email": {"eier@minde.example"},
		"reason": {"Solgt til ny eier."}}); a.Status != 303 {
		t.Fatalf("remove from the listing page: %d", a.Status)
	}
	if m := e.mail.WaitFor(t, "eier@minde.example"); !strings.Contains(m.Text, "Solgt til ny eier.") {
		t.Errorf("removal e-mail: %s", m.Text)
	}
	if a := admin.post("/admin/oppforing/"+other.ID+"/eier/fjern", url.Values{"_csrf": {csrfOf(t, page)}, "email": {"eier@minde.example"}}); a.Status != 404 {
		t.Errorf("removing a non-owner: %d, want 404", a.Status)
	}
}

// A routine re-import of OpenStreetMap after an owner's edits changes none
// of them: the differing OSM values become suggestions, raised once, and
// an editor's acceptance writes them through the listing service.
func TestReimportKeepsPeoplesEditsAndSuggestsInstead(t *testing.T) {
	e := start(t, setup{})
	ctx := context.Background()
	importRealData(t, e)
	trek, err := e.app.Store.GetBySource(ctx, listing.SourceOSM, "node/289529117")
	if err != nil {
		t.Fatal(err)
	}
	trek.Phone, trek.OrgNumber, trek.Services = "+4755999999", "974760673", []string{"sykkelreparasjon", "elsykkel"}
	if err := e.app.Listings.Update(ctx, trek, listing.Change{Actor: "owner:post@trekbergen.no", Action: listing.ActionOwnerEdit}); err != nil {
		t.Fatal(err)
	}
	_, addresses := testenv.OSMSnapshot(t)
	im := &importer.Importer{Listings: e.app.Listings, Districts: e.app.Districts, Suggestions: e.app.Store}
	changed := osmWith(t, "node/289529117", map[string]string{"phone": "+47 55 27 14 51", "opening_hours": "Mo-Fr 10:00-18:00"})
	for run := 1; run <= 2; run++ {
		report, err := im.ImportOSM(ctx, changed, addresses)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[int]int{1: 1, 2: 0}[run]; report.Suggested != want {
			t.Errorf("run %d: %d new suggestions, want %d (raised once)", run, report.Suggested, want)
		}
	}
	got := e.listing(trek.ID)
	if got.Phone != "+4755999999" || got.OrgNumber != "974760673" || len(got.Services) != 2 {
		t.Errorf("the re-import reverted the owner's edits: phone %q org %q services %v", got.Phone, got.OrgNumber, got.Services)
	}
	if listing.FieldText(got, "opening_hours") == listing.FieldText(trek, "opening_hours") {
		t.Error("hours still fed by OSM were not updated")
	}
	open, err := e.app.Store.OpenSuggestions(ctx)
	if err != nil || len(open) != 1 || open[0].Field != "phone" || open[0].Proposed != "+4755271451" || open[0].Current != "+4755999999" {
		t.Fatalf("suggestions %+v %v", open, err)
	}

	suggestions := &suggestion.Service{Store: e.app.Store, Listings: e.app.Listings, Now: e.clock.Now}
	if err := suggestions.Accept(ctx, open[0].ID, "red@bergen.kommune.no", nil); err != nil {
		t.Fatal(err)
	}
	if err := suggestions.Accept(ctx, open[0].ID, "red@bergen.kommune.no", nil); err != nil {
		t.Errorf("accepting twice: %v, want nothing more", err)
	}
	got = e.listing(trek.ID)
	if got.Phone != "+4755271451" || got.FieldOrigin("phone").Source != listing.SourceMunicipality {
		t.Errorf("after accepting: phone %q origin %+v", got.Phone, got.FieldOrigin("phone"))
	}
	history, _ := e.app.Store.History(ctx, trek.ID)
	last := history[len(history)-1]
	if last.Action != listing.ActionSuggestionAccepted || !strings.Contains(last.Note, open[0].ID) {
		t.Errorf("audit entry %+v, want the suggestion as its reason", last)
	}
	if err := suggestions.Reject(ctx, open[0].ID, "red", "feil"); apperr.CodeOf(err) != apperr.CodeConflict {
		t.Errorf("rejecting an accepted suggestion: %v", err)
	}

	// A suggestion whose field changed meanwhile is stale and refused.
	if _, err := e.app.Store.RaiseSuggestions(ctx, []suggestion.Suggestion{{ListingID: trek.ID, Field: "website", Current: got.Website,
		Proposed: "https://trek.example/", Source: listing.SourceOSM}}); err != nil {
		t.Fatal(err)
	}
	got.Website = "https://ny.trekbergen.no/"
	if err := e.app.Listings.Update(ctx, got, listing.Change{Actor: "owner:post@trekbergen.no", Action: listing.ActionOwnerEdit}); err != nil {
		t.Fatal(err)
	}
	open, _ = e.app.Store.OpenSuggestions(ctx)
	if len(open) != 1 || !open[0].Stale(e.listing(trek.ID)) {
		t.Fatalf("open %+v, want the website suggestion, stale", open)
	}
	if err := suggestions.Accept(ctx, open[0].ID, "red", nil); apperr.CodeOf(err) != apperr.CodeConflict {
		t.Errorf("accepting a stale suggestion: %v, want a conflict", err)
	}
	if err := suggestions.Reject(ctx, open[0].ID, "red", ""); apperr.CodeOf(err) != apperr.CodeInvalidParameter {
		t.Errorf("rejecting without a reason: %v", err)
	}
	if err := suggestions.Reject(ctx, open[0].ID, "red", "Bedriften har ny nettside."); err != nil {
		t.Fatal(err)
	}
}

// The editor decides suggestions in the review queue.
func TestEditorDecidesSuggestionsInTheQueue(t *testing.T) {
	e := start(t, setup{})
	ctx := context.Background()
	shop := e.create(place("Skomaker Sentrum", torgallmenningen, []string{"sko"}, ""))
	if _, err := e.app.Store.RaiseSuggestions(ctx, []suggestion.Suggestion{
		{ListingID: shop.ID, Field: "phone", Current: "", Proposed: "+4755112233", Source: listing.SourceOSM, Evidence: "OpenStreetMap node/1"},
		{ListingID: shop.ID, Field: "website", Current: "", Proposed: "https://sko.example/", Source: listing.SourceOSM, Evidence: "OpenStreetMap node/1"},
	}); err != nil {
		t.Fatal(err)
	}
	admin := e.adminVisitor()
	queue := admin.get("/admin")
	if !strings.Contains(queue.Body, "2 forslag til endringer") || !strings.Contains(queue.Body, "Fra OpenStreetMap") {
		t.Fatalf("the queue lacks the suggestions")
	}
	// Each card's forms, by the field it proposes (the order of two
	// suggestions raised together is not defined).
	form := func(field, verb string) string {
		m := regexp.MustCompile(`(?s)Skomaker Sentrum</a>: ` + field + `</h3>.*?action="(/admin/forslag/[^"]+/` + verb + `)"`).FindStringSubmatch(queue.Body)
		if m == nil {
			t.Fatalf("no %s form for %s", verb, field)
		}
		return m[1]
	}
	accept := [][]string{{"", form("Telefon", "godta")}}
	reject := [][]string{{"", form("Telefon", "avvis")}, {"", form("Nettsted", "avvis")}}
	token := csrfOf(t, queue)
	if a := e.visitor().post(accept[0][1], url.Values{"_csrf": {token}}); a.Status != 401 && a.Status != 403 && a.Status != 303 {
		t.Errorf("a visitor accepting: %d", a.Status)
	}
	if a := admin.post(accept[0][1], url.Values{"_csrf": {token}, "value": {"55 11 22 44"}}); a.Status != 303 {
		t.Fatalf("accept: %d %.300s", a.Status, a.Body)
	}
	if a := admin.post(accept[0][1], url.Values{"_csrf": {token}, "value": {"55 11 22 44"}}); a.Status != 303 {
		t.Errorf("accepting again: %d, want the same answer", a.Status)
	}
	if a := admin.post(reject[1][1], url.Values{"_csrf": {token}, "reason": {""}}); a.Status != 400 {
		t.Errorf("rejecting without a reason: %d, want 400", a.Status)
	}
	if a := admin.post(reject[1][1], url.Values{"_csrf": {token}, "reason": {"Ikke deres nettside."}}); a.Status != 303 {
		t.Errorf("reject: %d", a.Status)
	}
	got := e.listing(shop.ID)
	if got.Phone != "+4755112244" || got.Website != "" {
		t.Errorf("after deciding: phone %q website %q", got.Phone, got.Website)
	}
	if open, _ := e.app.Store.OpenSuggestions(ctx); len(open) != 0 {
		t.Errorf("%d still open", len(open))
	}
}

// The city's badge covers the facts it checked: an owner's change to an
// identifying fact after the check shows at once, says so instead of
// "verifisert", and puts the listing back in the review queue; a change to
// the hours does not.
func TestVerificationCoversTheFactsChecked(t *testing.T) {
	e := start(t, setup{})
	ctx := context.Background()
	admin := e.adminVisitor()
	shop := e.create(place("Skomaker Sentrum", torgallmenningen, []string{"sko"}, "Mo-Fr 10:00-17:00"))
	tailor := e.create(place("Nordnes Søm", nordnes, []string{"klaer"}, "Mo-Fr 09:00-16:30"))
	for _, l := range []*listing.Listing{shop, tailor} {
		if a := admin.act("/admin/oppforing/"+l.ID, "/admin/oppforing/"+l.ID+"/verifiser", nil); a.Status != 303 {
			t.Fatalf("verify: %d", a.Status)
		}
	}
	e.clock.Set(e.clock.Now().Add(48 * time.Hour))
	got := e.listing(shop.ID)
	got.Name, got.Website = "Skomaker Sentrum og Nøkler", "https://nokler.example/"
	if err := e.app.Listings.Update(ctx, got, listing.Change{Actor: "owner:eier@sentrum.no", Action: listing.ActionOwnerEdit}); err != nil {
		t.Fatal(err)
	}
	other := e.listing(tailor.ID)
	other.OpeningHours = hours("Mo-Sa 09:00-16:30")
	if err := e.app.Listings.Update(ctx, other, listing.Change{Actor: "owner:eier@nordnes.no", Action: listing.ActionOwnerEdit}); err != nil {
		t.Fatal(err)
	}
	e.waitIndexed()

	_, page := e.get("/reparator/" + got.Slug)
	if !strings.Contains(string(page), "Endret av bedriften etter siste kontroll (25. november 2026)") || strings.Contains(string(page), "Sist verifisert") {
		t.Errorf("the page of a listing changed after its check still says verified")
	}
	if _, page := e.get("/reparator/" + other.Slug); !strings.Contains(string(page), "Sist verifisert av Bergen kommune 23. november 2026") {
		t.Errorf("new hours took the verification away")
	}
	_, body := e.get("/api/v1/repairers/" + got.Slug)
	var api struct {
		VerifiedFields []string `json:"verified_fields"`
		Changed        bool     `json:"changed_since_verification"`
	}
	if err := json.Unmarshal(body, &api); err != nil || !api.Changed || !slices.Contains(api.VerifiedFields, "website") {
		t.Errorf("API: %+v %v", api, err)
	}
	admin = e.adminVisitor() // two days on, a new session
	if page := admin.get("/admin/oppforing/" + got.ID); !regexp.MustCompile(`Nettsted</th><td>https://nokler.example/</td><td>bedriften, 25\. november 2026 \(owner:eier@sentrum.no\)`).MatchString(page.Body) {
		t.Error("the console does not show where the website came from")
	}
	if page := admin.get("/admin/oppforing/" + got.ID); !strings.Contains(page.Body, "<th scope=\"row\">Mandag</th><td>10:00–17:00</td>") ||
		!strings.Contains(page.Body, `href="/admin/plakat/bergenhus"`) || !strings.Contains(page.Body, `id="listing-map"`) {
		t.Error("the review page lacks the hours in words, the district's poster or the map")
	}
	if queue := admin.get("/admin"); !strings.Contains(queue.Body, "1 oppføring endret etter kontroll") || !strings.Contains(queue.Body, "Skomaker Sentrum og Nøkler") {
		t.Error("the review queue does not ask for a new check")
	}
	r := e.search(url.Values{"q": {"Nøkler"}, "literal": {"true"}})
	if len(r.Hits) != 1 {
		t.Fatalf("search: %v", names(r))
	}
	// Verified again, the badge is back.
	if a := admin.act("/admin/oppforing/"+got.ID, "/admin/oppforing/"+got.ID+"/verifiser", nil); a.Status != 303 {
		t.Fatal("verify again")
	}
	if _, page := e.get("/reparator/" + got.Slug); !strings.Contains(string(page), "Sist verifisert av Bergen kommune 25. november 2026") {
		t.Error("a new verification does not restore the badge")
	}
}

// "Meld fra om feil" may propose the right value; it joins the
// suggestions, for an editor to accept.
func TestReportProposesAValue(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	v := e.visitor()
	form := v.get("/reparator/skomaker-sentrum/meld-feil")
	token := csrfOf(t, form)
	if a := v.post("/reparator/skomaker-sentrum/meld-feil", url.Values{"_csrf": {token}, "reason": {"contact"}, "message": {"Nytt nummer."},
		"correction_field": {"status"}, "correction": {"published"}}); a.Status != 400 {
		t.Errorf("a correction of a field the public may not propose: %d, want 400", a.Status)
	}
	if a := v.post("/reparator/skomaker-sentrum/meld-feil", url.Values{"_csrf": {token}, "reason": {"contact"}, "message": {"Nytt nummer."},
		"correction_field": {"phone"}, "correction": {"55 12 34 56"}}); a.Status != 303 {
		t.Fatalf("report: %d", a.Status)
	}
	open, err := e.app.Store.OpenSuggestions(context.Background())
	if err != nil || len(open) != 1 || open[0].Field != "phone" || open[0].Proposed != "55 12 34 56" || open[0].Source != listing.SourcePublicTip {
		t.Fatalf("suggestions %+v %v", open, err)
	}
	if queue := e.adminVisitor().get("/admin"); !strings.Contains(queue.Body, "Fra tips fra publikum") {
		t.Error("the queue does not show the public's proposal")
	}
}
