package app_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// The whole way of a repairer: claim → sign in by e-mail → edit →
// conflict, through the real router, a real SMTP server and a real index.
func TestClaimSignInAndEdit(t *testing.T) {
	e := start(t, setup{})
	ctx := context.Background()
	hansen := place("Skomaker Hansen", torgallmenningen, []string{"sko"}, "Mo-Fr 10:00-17:00")
	hansen.Website = "https://www.hansen-sko.no/"
	e.create(hansen)
	other := e.create(place("Annen Syer", nordnes, []string{"klaer"}, "Mo-Fr 09:00-16:00"))
	e.waitIndexed()

	owner := e.visitor()
	// Not signed in, the claim page asks for a sign-in that comes back here.
	claimPage := owner.get("/reparator/skomaker-hansen/eier")
	if claimPage.Status != 200 || !strings.Contains(claimPage.Body, `name="next" value="/reparator/skomaker-hansen/eier"`) {
		t.Fatalf("claim page before signing in: %d", claimPage.Status)
	}
	sent := owner.post("/min-side/logg-inn", url.Values{"_csrf": {csrfOf(t, claimPage)}, "email": {"Hans@Hansen-Sko.no"},
		"next": {"/reparator/skomaker-hansen/eier"}})
	if sent.Status != 200 || !strings.Contains(sent.Body, "hans@hansen-sko.no") {
		t.Fatalf("asking for a link: %d", sent.Status)
	}
	mail := e.mail.WaitFor(t, "hans@hansen-sko.no")
	if mail.Subject != "Logg inn på Bergen Reparerer" || !strings.Contains(mail.Text, "15 minutter") {
		t.Errorf("sign-in e-mail: %q\n%s", mail.Subject, mail.Text)
	}
	link := signInLink(t, mail.Text)
	token := strings.TrimPrefix(link, "/min-side/logg-inn/lenke?token=")
	// Only the hash is stored.
	if _, err := e.app.Store.LoginToken(ctx, token); !apperr.Is(err, apperr.CodeNotFound) {
		t.Errorf("the raw token is in the database: %v", err)
	}
	if _, err := e.app.Store.LoginToken(ctx, auth.Hash(token)); err != nil {
		t.Errorf("the token's hash is not in the database: %v", err)
	}
	// Opening the link (as a mail scanner would, twice) spends nothing.
	for i := 0; i < 2; i++ {
		if a := e.visitor().get(link); a.Status != 200 || !strings.Contains(a.Body, `name="token"`) {
			t.Fatalf("opening the link: %d", a.Status)
		}
	}
	opened := owner.get(link)
	if noCSRF := owner.post("/min-side/logg-inn/lenke", url.Values{"token": {token}}); noCSRF.Status != 403 {
		t.Errorf("spending the link without the CSRF token: %d", noCSRF.Status)
	}
	signedIn := owner.post("/min-side/logg-inn/lenke", url.Values{"_csrf": {csrfOf(t, opened)}, "token": {token}})
	if signedIn.Status != 303 || signedIn.Location != "/reparator/skomaker-hansen/eier" {
		t.Fatalf("signing in: %d → %q", signedIn.Status, signedIn.Location)
	}
	cookie := ""
	for _, c := range signedIn.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "sid=") {
			cookie = c
		}
	}
	for _, want := range []string{"sid=", "HttpOnly", "SameSite=Lax", "path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	// The form token changed with the session: the page's old one is
	// refused, and the link works once.
	if stale := owner.post("/min-side/logg-inn/lenke", url.Values{"_csrf": {csrfOf(t, opened)}, "token": {token}}); stale.Status != 403 {
		t.Errorf("a form token from before sign-in: %d, want 403", stale.Status)
	}
	if again := owner.post("/min-side/logg-inn/lenke", url.Values{"_csrf": {csrfOf(t, owner.get("/min-side"))}, "token": {token}}); again.Status != 410 {
		t.Errorf("a spent link, same browser: %d, want 410", again.Status)
	}

	// The claim: the address is at the website's domain, so it is approved
	// at once, and the log says why.
	form := owner.get("/reparator/skomaker-hansen/eier")
	claimed := owner.post("/reparator/skomaker-hansen/eier", url.Values{"_csrf": {csrfOf(t, form)}, "name": {"Hans Hansen"}, "role": {"owner"}})
	if claimed.Status != 303 || claimed.Location != "/min-side?melding=claim_approved" {
		t.Fatalf("claim: %d → %q %.300s", claimed.Status, claimed.Location, claimed.Body)
	}
	if !strings.Contains(e.logs.String(), "approved automatically") {
		t.Error("the automatic approval is not logged")
	}
	mine := owner.get("/min-side")
	if mine.Status != 200 || !strings.Contains(mine.Body, "Skomaker Hansen") || strings.Contains(mine.Body, "Annen Syer") {
		t.Fatalf("Min side: %d", mine.Status)
	}

	// Edit: the form comes filled in; a claimed listing that never had an
	// organisation number saves without one (the claim asks for it), and
	// the change is public at once.
	editPath := "/min-side/oppforing/" + hansen.ID
	if r := e.search(url.Values{"q": {"glidelås"}, "category": {"sko"}}); len(r.Hits) != 0 {
		t.Errorf("search before the edit: %v", names(r))
	}
	values := formValues(t, owner.get(editPath).Body, "listing-form")
	values.Set("services", "sålereparasjon, glidelås")
	values.Set("price_info", "Såling fra 450 kr")
	saved := owner.post(editPath, values)
	if saved.Status != 303 || saved.Location != "/min-side?melding=saved" {
		t.Fatalf("edit without an organisation number: %d %.500s", saved.Status, saved.Body)
	}
	e.waitIndexed()
	if r := e.search(url.Values{"q": {"glidelås"}, "category": {"sko"}}); len(r.Hits) != 1 || r.Hits[0].Name != "Skomaker Hansen" {
		t.Errorf("search after the edit: %v", names(r))
	}
	if _, page := e.get("/reparator/skomaker-hansen"); !strings.Contains(string(page), "Såling fra 450 kr") {
		t.Error("the listing page does not show the new price")
	}
	history, err := e.app.Store.History(ctx, hansen.ID)
	if err != nil {
		t.Fatal(err)
	}
	edit := history[len(history)-1]
	fields := map[string]string{}
	for _, c := range edit.Changes {
		fields[c.Field] = c.Before + " → " + c.After
	}
	if edit.Actor != "owner:hans@hansen-sko.no" || edit.Action != listing.ActionOwnerEdit ||
		fields["price_info"] != " → Såling fra 450 kr" || len(fields) != 2 {
		t.Errorf("audit entry %s %s %v", edit.Actor, edit.Action, fields)
	}
	feed, err := e.app.Store.Recent(ctx, 10, listing.ActionOwnerEdit)
	if err != nil || len(feed) != 1 || feed[0].ListingID != hansen.ID {
		t.Errorf("review feed: %+v %v", feed, err)
	}

	// Conflict: the municipality changes the phone while the owner has the
	// form open; the owner's save shows what changed and overwrites nothing.
	stale := formValues(t, owner.get(editPath).Body, "listing-form")
	current, _ := e.app.Store.Get(ctx, hansen.ID)
	current.Phone = "+4755000001"
	if err := e.app.Listings.Update(ctx, current, listing.Change{Actor: "admin:kari@bergen.kommune.no", Action: "admin_edit"}); err != nil {
		t.Fatal(err)
	}
	stale.Set("price_info", "Såling fra 500 kr")
	conflict := owner.post(editPath, stale)
	if conflict.Status != 409 || !strings.Contains(conflict.Body, "Oppføringen er endret mens du skrev") ||
		!strings.Contains(conflict.Body, "55 00 00 01") || !strings.Contains(conflict.Body, "Bergen kommune") {
		t.Fatalf("stale edit: %d %.300s", conflict.Status, conflict.Body)
	}
	if got, _ := e.app.Store.Get(ctx, hansen.ID); got.PriceInfo != "Såling fra 450 kr" || got.Phone != "+4755000001" {
		t.Errorf("the stale edit changed the listing: %q %q", got.PriceInfo, got.Phone)
	}
	// The form came back with the owner's values and the new version:
	// saving again is the owner's decision to keep them.
	kept := formValues(t, conflict.Body, "listing-form")
	if kept.Get("price_info") != "Såling fra 500 kr" {
		t.Errorf("the conflict page lost the owner's value: %q", kept.Get("price_info"))
	}
	if a := owner.post(editPath, kept); a.Status != 303 {
		t.Errorf("saving after the conflict: %d", a.Status)
	}
	if got, _ := e.app.Store.Get(ctx, hansen.ID); got.PriceInfo != "Såling fra 500 kr" {
		t.Errorf("after deciding: %q", got.PriceInfo)
	}

	// Owner A may neither read nor change listing B.
	otherPath := "/min-side/oppforing/" + other.ID
	if a := owner.get(otherPath); a.Status != 403 {
		t.Errorf("reading another's edit form: %d", a.Status)
	}
	grab := formValues(t, owner.get(editPath).Body, "listing-form")
	grab.Set("name", "Kapret")
	if a := owner.post(otherPath, grab); a.Status != 403 {
		t.Errorf("posting to another's listing: %d", a.Status)
	}
	if got, _ := e.app.Store.Get(ctx, other.ID); got.Name != "Annen Syer" || got.Version != other.Version {
		t.Errorf("another's listing changed: %q v%d", got.Name, got.Version)
	}

	// Every state-changing route refuses a post without the CSRF token...
	for _, path := range []string{editPath, "/min-side/ny", "/min-side/logg-ut", "/reparator/skomaker-hansen/eier", "/min-side/bekreft"} {
		if a := owner.post(path, url.Values{"name": {"x"}}); a.Status != 403 {
			t.Errorf("POST %s without CSRF: %d, want 403", path, a.Status)
		}
	}
	// ...and an anonymous one, token or not.
	anon := e.visitor()
	anonToken := csrfOf(t, anon.get("/min-side/logg-inn"))
	for _, path := range []string{editPath, "/min-side/ny", "/min-side/logg-ut", "/reparator/skomaker-hansen/eier"} {
		if a := anon.post(path, url.Values{"_csrf": {anonToken}, "name": {"x"}}); a.Status != 401 {
			t.Errorf("anonymous POST %s: %d, want 401", path, a.Status)
		}
	}
	for _, path := range []string{"/min-side", "/min-side/ny", editPath} {
		if a := anon.get(path); a.Status != 303 || !strings.HasPrefix(a.Location, "/min-side/logg-inn?next=") {
			t.Errorf("anonymous GET %s: %d → %q", path, a.Status, a.Location)
		}
	}

	// Signing out ends the session on the server: the old cookie is dead.
	sid := ""
	for _, c := range owner.client.Jar.Cookies(mustURL(t, e.base)) {
		if c.Name == "sid" {
			sid = c.Value
		}
	}
	out := owner.post("/min-side/logg-ut", url.Values{"_csrf": {csrfOf(t, owner.get("/min-side"))}})
	if out.Status != 303 {
		t.Fatalf("sign out: %d", out.Status)
	}
	if _, err := e.app.Auth.Authenticate(ctx, sid); !apperr.Is(err, apperr.CodeUnauthorized) {
		t.Errorf("the session outlived signing out: %v", err)
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSignInLinksAndSessions(t *testing.T) {
	e := start(t, setup{})
	v := e.visitor()

	// The answer is the same for a known and an unknown address.
	if a := v.signIn("kjent@verksted.no", ""); a.Status != 303 || a.Location != "/min-side" {
		t.Fatalf("first sign-in: %d → %q", a.Status, a.Location)
	}
	ask := func(email string) answer {
		other := e.visitor()
		return other.post("/min-side/logg-inn", url.Values{"_csrf": {csrfOf(t, other.get("/min-side/logg-inn"))}, "email": {email}})
	}
	strip := regexp.MustCompile(`value="[^"]*"|[a-z]+@verksted\.no`)
	known, unknown := ask("kjent@verksted.no"), ask("ukjent@verksted.no")
	if known.Status != unknown.Status || strip.ReplaceAllString(known.Body, "") != strip.ReplaceAllString(unknown.Body, "") {
		t.Errorf("known and unknown addresses get different answers: %d / %d", known.Status, unknown.Status)
	}
	if e.mail.WaitFor(t, "ukjent@verksted.no").Text == "" {
		t.Error("no link to the unknown address")
	}
	// A bad address is explained.
	if a := ask("ikke en adresse"); a.Status != 400 || !strings.Contains(a.Body, "Skriv en gyldig e-postadresse") {
		t.Errorf("bad address: %d", a.Status)
	}

	// An expired link is refused.
	before := len(e.mail.All())
	ask("treg@verksted.no")
	link := signInLink(t, e.mail.WaitFor(t, "treg@verksted.no").Text)
	if len(e.mail.All()) != before+1 {
		t.Errorf("one request sent %d e-mails", len(e.mail.All())-before)
	}
	e.clock.Set(e.clock.Now().Add(auth.LinkTTL + time.Second))
	late := e.visitor()
	if a := late.get(link); a.Status != 410 || !strings.Contains(a.Body, "Lenken virker ikke") {
		t.Errorf("opening an expired link: %d", a.Status)
	}
	token := strings.TrimPrefix(link, "/min-side/logg-inn/lenke?token=")
	if a := late.post("/min-side/logg-inn/lenke", url.Values{"_csrf": {csrfOf(t, late.get("/min-side/logg-inn"))}, "token": {token}}); a.Status != 410 {
		t.Errorf("spending an expired link: %d", a.Status)
	}

	// A session idle for longer than the idle timeout is over.
	if a := v.get("/min-side"); a.Status != 200 {
		t.Fatalf("Min side while signed in: %d", a.Status)
	}
	e.clock.Set(e.clock.Now().Add(2 * time.Hour))
	if a := v.get("/min-side"); a.Status != 303 {
		t.Errorf("Min side after 2 idle hours: %d, want a redirect to sign in", a.Status)
	}

	// The fourth link for one address within 15 minutes is answered like
	// the others, but not mailed: the address's inbox holds three.
	for i := 0; i < 4; i++ {
		if a := ask("travel@verksted.no"); a.Status != 200 || !strings.Contains(a.Body, "travel@verksted.no") {
			t.Fatalf("request %d: %d", i+1, a.Status)
		}
	}
	if n := mailsTo(e, "travel@verksted.no"); n != 3 {
		t.Errorf("%d links mailed for four requests, want 3", n)
	}
	// A link leads only to this site's own pages.
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example"} {
		if got := auth.SafeNext(next); got != "" {
			t.Errorf("SafeNext(%q) = %q", next, got)
		}
	}
}
