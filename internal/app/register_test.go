package app_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/geocoder/geocodertest"
	"github.com/bergenreparerer/reparerer/internal/linkcheck"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/register/registertest"
	"github.com/bergenreparerer/reparerer/internal/registersync"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
)

// The editor's day (issue 14's walk-through): five repair businesses the
// directory does not know come from the register and become pending
// listings in five clicks, placed at their doors (or marked approximate);
// a bankruptcy arrives as suggestions; a dead website too; nothing
// changes until the editor accepts, in the console.
func TestEditorDiscoversFromTheRegisterAndTheCheckSuggests(t *testing.T) {
	units := []registertest.Unit{{OrgNumber: "999000118", Name: "MORSELSKAP AS", OrgForm: "AS", Entity: true, Municipality: "4601"}}
	for _, u := range []struct{ orgnr, name, form, street, postcode, code string }{
		{"912000028", "FIKS MOBIL BERGEN", "BEDR", "Strandgaten 1", "5013", "95.12"},
		{"912000036", "HVITEVARESERVICE VEST", "BEDR", "Kokstadvegen 1", "5257", "95.22"},
		{"912000044", "KARI NORDMANN", "ENK", "Nygårdsgaten 1", "5015", "95.29"},
		{"912000052", "URMAKER LAGUNEN", "BEDR", "Laguneveien 1", "5239", "95.25"},
		{"912000060", "MØBELTAPETSERER SANDVIKEN", "BEDR", "Sandviksveien 1", "5035", "95.24"},
	} {
		units = append(units, registertest.Unit{OrgNumber: u.orgnr, Name: u.name, OrgForm: u.form, Street: u.street, Postcode: u.postcode,
			City: "Bergen", Municipality: "4601", Parent: "999000118", Codes: []string{u.code}})
	}
	srv := registertest.Start(t, units...)
	addresses := geocodertest.Start(t, // four of the five addresses; Laguneveien 1 has no match
		geocodertest.Address{Text: "Strandgaten 1", Postcode: "5013", Municipality: "4601", Lat: 60.3946, Lon: 5.3241},
		geocodertest.Address{Text: "Kokstadvegen 1", Postcode: "5257", Municipality: "4601", Lat: 60.2935, Lon: 5.2610},
		geocodertest.Address{Text: "Nygårdsgaten 1", Postcode: "5015", Municipality: "4601", Lat: 60.3887, Lon: 5.3280},
		geocodertest.Address{Text: "Sandviksveien 1", Postcode: "5035", Municipality: "4601", Lat: 60.4025, Lon: 5.3225})
	e := start(t, setup{registerURL: srv.URL, registerCheck: 50 * time.Millisecond, geocoderURL: addresses.URL})
	ctx := context.Background()
	admin := e.adminVisitor()
	page := admin.get("/admin/enhetsregisteret")
	if page.Status != 200 || !strings.Contains(page.Body, "5 reparasjonsbedrifter i Bergen") || !strings.Contains(page.Body, "Enkeltpersonforetak") {
		t.Fatalf("discovery page: %d", page.Status)
	}
	for i := 0; i < 5; i++ {
		add := regexp.MustCompile(`action="(/admin/enhetsregisteret/\d{9})"`).FindStringSubmatch(page.Body)
		if add == nil {
			t.Fatalf("no add button after %d", i)
		}
		added := admin.post(add[1], map[string][]string{"_csrf": {csrfOf(t, page)}})
		if added.Status != 303 || !strings.HasPrefix(added.Location, "/admin/oppforing/") {
			t.Fatalf("add %s: %d %q", add[1], added.Status, added.Location)
		}
		page = admin.get("/admin/enhetsregisteret")
	}
	if strings.Contains(page.Body, `action="/admin/enhetsregisteret/9`) {
		t.Error("added businesses are still offered")
	}
	l, err := e.app.Store.GetBySource(ctx, listing.SourceRegister, "orgnr:912000036")
	if err != nil || l.Status != listing.StatusPending || l.Name != "HVITEVARESERVICE VEST" || l.ApproximatePosition ||
		l.Location != (listing.Location{Lat: 60.2935, Lng: 5.2610}) || l.District != "ytrebygda" {
		t.Fatalf("added listing %+v %v", l, err)
	}
	// The one address without a match is at its postcode's centre, and the
	// finder shows the editor which to place by hand.
	if found := admin.get("/admin/oppforinger?omtrentlig=1"); !strings.Contains(found.Body, "1 oppføring") || !strings.Contains(found.Body, "URMAKER LAGUNEN") {
		t.Error("the finder does not list the approximate position")
	}

	// The sole proprietorship's name may be its owner's own: it is not
	// published until the editor confirms the owner agreed.
	kari, err := e.app.Store.GetBySource(ctx, listing.SourceRegister, "orgnr:912000044")
	if err != nil {
		t.Fatal(err)
	}
	dossier := admin.get("/admin/oppforing/" + kari.ID)
	if !strings.Contains(dossier.Body, `name="name_consent"`) {
		t.Error("the review page does not ask for consent to publish a sole proprietor's name")
	}
	verify := map[string][]string{"_csrf": {csrfOf(t, dossier)}, "version": {strconv.Itoa(kari.Version)}}
	if a := admin.post("/admin/oppforing/"+kari.ID+"/verifiser", verify); a.Status != 400 || !strings.Contains(a.Body, "samtykket") {
		t.Errorf("verifying without consent: %d", a.Status)
	}
	verify["name_consent"] = []string{"1"}
	if a := admin.post("/admin/oppforing/"+kari.ID+"/verifiser", verify); a.Status != 303 || e.listing(kari.ID).Status != listing.StatusPublished {
		t.Errorf("verifying with consent: %d", a.Status)
	}

	// The register reports the parent bankrupt; the background check
	// raises the suggestions, and nothing is hidden by itself.
	srv.Set(registertest.Unit{OrgNumber: "999000118", Name: "MORSELSKAP AS", OrgForm: "AS", Entity: true, Municipality: "4601", Bankrupt: true})
	var closure suggestion.Suggestion
	deadline := time.Now().Add(10 * time.Second)
	for closure.ID == "" {
		open, _ := e.app.Store.OpenSuggestions(ctx)
		for _, sg := range open {
			if sg.ListingID == l.ID && sg.Field == registersync.FieldClosed && strings.Contains(sg.Evidence, "konkurs") {
				closure = sg
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no bankruptcy suggestion after 10 s: %+v", open)
		}
		time.Sleep(20 * time.Millisecond) // polling a condition, not waiting for time to pass
	}
	if got := e.listing(l.ID); got.Status != listing.StatusPending {
		t.Errorf("the check changed the listing's status: %s", got.Status)
	}

	// A dead website: three failed weekly checks in a row.
	dead := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }))
	defer dead.Close()
	shop := place("Skomaker Død Lenke", nordnes, []string{"sko"}, "Mo-Fr 10:00-17:00")
	shop.Website = dead.URL + "/"
	e.create(shop)
	links := &linkcheck.Checker{Store: e.app.Store, Listings: e.app.Store, Log: slog.New(slog.DiscardHandler), Now: e.clock.Now,
		AllowPrivate: true, Suggestions: &suggestion.Service{Store: e.app.Store, Listings: e.app.Listings, Now: e.clock.Now}}
	for week := 0; week < 3; week++ {
		if _, err := links.Run(ctx); err != nil {
			t.Fatal(err)
		}
		e.clock.Set(e.clock.Now().Add(8 * 24 * time.Hour))
	}

	// Three weeks on, the editor signs in again; the queue shows both,
	// with their evidence; accepting one hides the bankrupt listing, the
	// other removes the dead link.
	admin = e.adminVisitor()
	queue := admin.get("/admin")
	if !strings.Contains(queue.Body, "konkurs") || !strings.Contains(queue.Body, "3 ganger") {
		t.Fatal("the queue does not show the bankruptcy and the dead website with their evidence")
	}
	open, _ := e.app.Store.OpenSuggestions(ctx)
	var deadLink suggestion.Suggestion
	for _, sg := range open {
		if sg.ListingID == shop.ID && sg.Field == "website" {
			deadLink = sg
		}
	}
	for _, sg := range []suggestion.Suggestion{closure, deadLink} {
		if a := admin.post(paths.AcceptSuggestion(sg.ID), map[string][]string{"_csrf": {csrfOf(t, queue)}}); a.Status != 303 {
			t.Fatalf("accepting %s: %d", sg.Field, a.Status)
		}
	}
	if got := e.listing(l.ID); got.Status != listing.StatusHidden || got.HideReason != "permanently_closed" {
		t.Errorf("after accepting the bankruptcy: %s %s", got.Status, got.HideReason)
	}
	if got := e.listing(shop.ID); got.Website != "" {
		t.Errorf("after accepting the dead link: website %q", got.Website)
	}
}

// The console finds any listing by name, number and filters.
func TestConsoleFindsListings(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	admin := e.adminVisitor()
	page := admin.get("/admin/oppforinger?q=skomaker&kategori=sko&status=published")
	if page.Status != 200 || !strings.Contains(page.Body, "2 oppføringer") || !strings.Contains(page.Body, "Skomaker Lagunen") ||
		strings.Contains(page.Body, "Skjult Skomaker") {
		t.Errorf("find: %d", page.Status)
	}
	if page := admin.get("/admin/oppforinger?bydel=asane"); !strings.Contains(page.Body, "1 oppføring") || !strings.Contains(page.Body, "Sykkelverksted Åsane") {
		t.Error("find by district")
	}
	// The data-quality panel measures the published listings (6 in the
	// fixture; none verified in the last 12 months).
	if stats := admin.get("/admin/statistikk"); !regexp.MustCompile(`(?s)Datakvalitet per bydel.*?Totalt</th><td>6</td><td>0 %</td>`).MatchString(stats.Body) {
		t.Error("the data-quality panel is missing or wrong")
	}
	if a := e.visitor().get("/admin/oppforinger?q=sko"); a.Status == 200 {
		t.Error("a visitor can use the finder")
	}
}

// A repairer's form fills in from the organisation number: checked against
// the register, for signed-in repairers only.
func TestFormFillsFromTheOrganisationNumber(t *testing.T) {
	srv := registertest.Start(t,
		registertest.Unit{OrgNumber: "912000028", Name: "FIKS MOBIL BERGEN", OrgForm: "BEDR", Street: "Strandgaten 1", Postcode: "5013",
			City: "Bergen", Municipality: "4601", Parent: "999000118", Codes: []string{"95.12"}},
		registertest.Unit{OrgNumber: "999000118", Name: "FIKS AS", OrgForm: "AS", Entity: true, Municipality: "4601"},
		registertest.Unit{OrgNumber: "912000036", Name: "NEDLAGT", Deleted: true},
	)
	e := start(t, setup{registerURL: srv.URL})
	owner := e.signIn(t, "eier@fiks.example")
	a := owner.get("/_/orgnr/912000028")
	var p struct {
		Name, Street, Postcode, City string
		Categories                   []string
	}
	if err := json.Unmarshal([]byte(a.Body), &p); a.Status != 200 || err != nil || p.Name != "FIKS MOBIL BERGEN" || p.Street != "Strandgaten 1" ||
		p.City != "Bergen" || len(p.Categories) != 1 || p.Categories[0] != "mobil-data" {
		t.Fatalf("lookup: %d %s", a.Status, a.Body)
	}
	if a := owner.get("/_/orgnr/912000044"); a.Status != 404 {
		t.Errorf("an unknown number: %d", a.Status)
	}
	if a := owner.get("/_/orgnr/912000036"); a.Status != 409 {
		t.Errorf("a deleted unit: %d", a.Status)
	}
	if a := e.visitor().get("/_/orgnr/912000028"); a.Status == 200 {
		t.Error("a visitor who is not signed in can use the register through the service")
	}
	if status, page := e.get("/for-reparatorer"); status != 200 || !strings.Contains(string(page), "Er dette din bedrift?") ||
		!strings.Contains(string(page), `href="/min-side/logg-inn"`) {
		t.Errorf("the landing page for repairers: %d", status)
	}
	page := owner.get("/min-side/ny")
	if !strings.Contains(page.Body, `id="orgnr-status"`) {
		t.Error("the register form has no place to say what the register said")
	}
	// Saving checks the number against the register.
	refused := owner.post("/min-side/ny", map[string][]string{"_csrf": {csrfOf(t, page)}, "name": {"Fiks"}, "org_number": {"912000044"},
		"category": {"mobil-data"}, "postcode": {"5013"}})
	if refused.Status != 400 || !strings.Contains(refused.Body, "Organisasjonsnummeret finnes ikke i Enhetsregisteret.") {
		t.Errorf("a number the register does not know: %d", refused.Status)
	}
}

// Each editor marks recent edits as seen for themselves.
func TestEditorsMarkEditsSeen(t *testing.T) {
	e := start(t, setup{})
	ctx := context.Background()
	shop, _ := e.owned(place("Sømverket", nordnes, []string{"klaer"}, ""), "eier@somverket.no")
	shop.Phone = "+4755000001"
	if err := e.app.Listings.Update(ctx, shop, listing.Change{Actor: "owner:eier@somverket.no", Action: listing.ActionOwnerEdit}); err != nil {
		t.Fatal(err)
	}
	first := e.adminVisitor()
	queue := first.get("/admin")
	m := regexp.MustCompile(`action="(/admin/endring/\d+/sett)"`).FindStringSubmatch(queue.Body)
	if m == nil {
		t.Fatal("no 'Merk som sett' button")
	}
	if a := first.post(m[1], map[string][]string{"_csrf": {csrfOf(t, queue)}}); a.Status != 303 {
		t.Fatalf("mark seen: %d", a.Status)
	}
	if page := first.get("/admin"); !strings.Contains(page.Body, `class="admin-card seen"`) || strings.Contains(page.Body, m[1]) {
		t.Error("the editor's own queue does not show the edit as seen")
	}
	if _, err := e.app.Store.EnsureUser(ctx, "annen@bergen.kommune.no", "admin", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	other := e.visitor()
	other.signIn("annen@bergen.kommune.no", "/admin")
	if page := other.get("/admin"); !strings.Contains(page.Body, m[1]) {
		t.Error("another editor sees the edit as seen too")
	}
}

// A repairer claiming a listing without an organisation number gives
// theirs: the register must know it, alive, under a name plausibly the
// listing's; approving the claim writes it to the listing as the owner's.
func TestClaimChecksTheOrganisationNumber(t *testing.T) {
	srv := registertest.Start(t,
		registertest.Unit{OrgNumber: "912000028", Name: "SKOMAKER HANSEN AS", OrgForm: "AS", Street: "Marken 1", Postcode: "5017",
			City: "Bergen", Municipality: "4601", Codes: []string{"95.23"}},
		registertest.Unit{OrgNumber: "912000036", Name: "HVITEVARESERVICE VEST AS", OrgForm: "AS", Street: "Kokstadvegen 1", Postcode: "5257",
			City: "Bergen", Municipality: "4601", Codes: []string{"95.22"}},
		registertest.Unit{OrgNumber: "912000044", Name: "SKOMAKER HANSEN NEDLAGT", Deleted: true},
	)
	e := start(t, setup{registerURL: srv.URL})
	hansen := e.create(&listing.Listing{Name: "Skomaker Hansen", Categories: []string{"sko"}, Status: listing.StatusPublished,
		Address: listing.Address{Street: "Marken 1", Postcode: "5017", City: "Bergen"}, Location: listing.Location{Lat: 60.3924, Lng: 5.3301},
		Source: listing.Source{Kind: listing.SourceOSM, Ref: "node/1"}})
	owner := e.signIn(t, "hans@gmail.example")
	claimPath := "/reparator/" + hansen.Slug + "/eier"
	page := owner.get(claimPath)
	if !strings.Contains(page.Body, `id="org_number"`) {
		t.Fatal("the claim form does not ask for the organisation number of a listing without one")
	}
	claim := func(orgnr string) answer {
		return owner.post(claimPath, map[string][]string{"_csrf": {csrfOf(t, page)}, "name": {"Hans Hansen"}, "role": {"owner"}, "org_number": {orgnr}})
	}
	for orgnr, want := range map[string]string{
		"912000036": "tilhører «HVITEVARESERVICE VEST AS» i Enhetsregisteret", // a mistyped number names another business
		"912000052": "finnes ikke i Enhetsregisteret",
		"912000044": "slettet eller nedlagt",
		"912000":    "ni siffer",
	} {
		if a := claim(orgnr); a.Status != 400 || !strings.Contains(a.Body, want) ||
			!regexp.MustCompile(`id="org_number"[^>]*aria-invalid="true"`).MatchString(a.Body) {
			t.Errorf("claim with %s: %d, want 400 saying %q", orgnr, a.Status, want)
		}
	}
	if a := claim("912 000 028"); a.Status != 303 || a.Location != "/min-side?melding=claim_pending" {
		t.Fatalf("claim with the right number: %d %q", a.Status, a.Location)
	}
	admin := e.adminVisitor()
	queue := admin.get("/admin")
	if !strings.Contains(queue.Body, "Oppgitt organisasjonsnummer: 912000028") {
		t.Error("the queue does not show the number the claimant gave")
	}
	claims, err := e.app.Owners.Pending(context.Background())
	if err != nil || len(claims) != 1 {
		t.Fatalf("pending claims %v %v", claims, err)
	}
	if _, err := e.app.Owners.Decide(context.Background(), claims[0].ID, true, "admin:red@bergen.kommune.no"); err != nil {
		t.Fatal(err)
	}
	got := e.listing(hansen.ID)
	if got.OrgNumber != "912000028" || got.FieldOrigin("org_number").Source != listing.SourceOwner {
		t.Errorf("after approval: number %q from %s", got.OrgNumber, got.FieldOrigin("org_number").Source)
	}
}

// A listing at its postcode's centre says so in the API, the list and the
// map's places, so nobody walks to the centre of a postcode.
func TestApproximatePositionsAreShown(t *testing.T) {
	e := start(t, setup{})
	at := place("Skredder Omtrent", nordnes, []string{"klaer"}, "Mo-Fr 10:00-17:00")
	at.ApproximatePosition = true
	e.create(at)
	exact := place("Skredder Presis", nordnes, []string{"klaer"}, "Mo-Fr 10:00-17:00")
	e.create(exact)
	e.waitIndexed()
	body := func(path string) string {
		status, b := e.get(path)
		if status != 200 {
			t.Fatalf("%s: %d", path, status)
		}
		return string(b)
	}
	api := body("/api/v1/search?category=klaer")
	if !regexp.MustCompile(`"name":"Skredder Omtrent".*?"approximate_position":true`).MatchString(api) ||
		!regexp.MustCompile(`"name":"Skredder Presis".*?"approximate_position":false`).MatchString(api) {
		t.Errorf("the API does not tell approximate positions: %s", api)
	}
	if page := body("/?kategori=klaer"); !regexp.MustCompile(`(?s)data-slug="skredder-omtrent"[^>]*data-approximate.*?omtrentlig plassering`).MatchString(page) ||
		regexp.MustCompile(`data-slug="skredder-presis"[^>]*data-approximate`).MatchString(page) {
		t.Error("the result list does not mark the approximate position")
	}
	if places := body("/_/kart?kategori=klaer"); !regexp.MustCompile(`"slug":"skredder-omtrent"[^}]*"approximate":true`).MatchString(places) {
		t.Errorf("the map's places do not mark it: %s", places)
	}
}
