package app_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

// The security and reliability suite (issue 15): each test reproduces a
// finding of the black-box test and shows it fixed.

// Finding 1: one POST of the edit form with 60 exception rows of 365 days
// each stored 1.55 MB of hours and a 1.8 MB audit entry. Now the form is
// refused at the exceptions with nothing stored, and edits are limited
// per account.
func TestWritesAreBounded(t *testing.T) {
	e := start(t, setup{})
	ctx := context.Background()
	shop := place("Skomaker Grense", nordnes, []string{"sko"}, "Mo-Fr 10:00-17:00")
	shop.OrgNumber = "923609016"
	e.owned(shop, "eier@grense.example")
	owner := e.signIn(t, "eier@grense.example")
	editPath := "/min-side/oppforing/" + shop.ID
	values := formValues(t, owner.get(editPath).Body, "listing-form")
	for i := 0; i < 60; i++ {
		values.Set(fmt.Sprintf("x%d_from", i), fmt.Sprintf("%d-01-01", 2027+i))
		values.Set(fmt.Sprintf("x%d_to", i), fmt.Sprintf("%d-12-31", 2027+i))
	}
	before, _ := e.app.Store.History(ctx, shop.ID)
	refused := owner.post(editPath, values)
	if refused.Status != 400 || !strings.Contains(refused.Body, "for mange datoer") {
		t.Fatalf("60 year-long exceptions: %d, want 400 at the exceptions", refused.Status)
	}
	after, _ := e.app.Store.History(ctx, shop.ID)
	if got := e.listing(shop.ID); len(after) != len(before) || len(got.OpeningHours.Exceptions) != 0 || got.Version != shop.Version {
		t.Errorf("something was stored: %d audit entries (was %d), %d exceptions", len(after), len(before), len(got.OpeningHours.Exceptions))
	}
	// Past the service: the listing service refuses an oversized schedule
	// from any writer.
	big := e.listing(shop.ID)
	for d := 0; d < 401; d++ {
		big.OpeningHours.Exceptions = append(big.OpeningHours.Exceptions, listingException(2027, d))
	}
	if err := e.app.Listings.Update(ctx, big, listing.Change{Actor: "cli", Action: listing.ActionAdminEdit}); len(listing.Problems(err)) == 0 {
		t.Errorf("401 dated exceptions through the service: %v", err)
	}

	// Edits per account: the 61st within the hour is held back.
	values = formValues(t, owner.get(editPath).Body, "listing-form")
	values.Set("phone", "12") // refused, but counted: a flood of bad posts is a flood too
	status := 0
	for i := 0; i < 61 && status != 429; i++ {
		status = owner.post(editPath, values).Status
	}
	if status != 429 {
		t.Errorf("61 edits in an hour: last %d, want 429", status)
	}
}

func listingException(year, day int) openinghours.Exception {
	d := time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day)
	return openinghours.Exception{Year: d.Year(), Month: int(d.Month()), Day: d.Day()}
}

// Finding 1 (continued): with the disk full every write answered 500 while
// /readyz said "store":"ok". Now writes answer 503 with a clear message,
// readiness says read_only, and reads keep working.
func TestAFullDiskRefusesWritesAndSaysSo(t *testing.T) {
	e := start(t, setup{dbMaxMB: "1", db: filepath.Join(t.TempDir(), "full.db")}) // a SQLite cap stands for a full disk
	ctx := context.Background()
	shop := place("Skomaker Fullt", nordnes, []string{"sko"}, "Mo-Fr 10:00-17:00")
	shop.OrgNumber = "923609016"
	e.owned(shop, "eier@fullt.example")
	owner := e.signIn(t, "eier@fullt.example")
	e.waitIndexed()
	filler := strings.Repeat("reparasjon ", 180)
	// Fill it with big listings, then smaller ones into what is left. The
	// outbox's drain frees the pages of the rows it deletes, so the store
	// is full only once a fill after a drain writes nothing.
	n := 0
	fill := func() int {
		added := 0
		for _, words := range []int{180, 20, 1} {
			for ; ; n++ {
				l := place(fmt.Sprintf("Fyll %d", n), nordnes, []string{"sko"}, "")
				l.DescriptionNB = strings.Repeat("reparasjon ", words)
				err := e.app.Listings.Create(ctx, l, listing.Change{Actor: "cli", Action: listing.ActionCreate})
				if err != nil {
					if !e.app.Store.Unwritable(err) {
						t.Fatalf("after %d listings: %v, want the store refusing to write", n, err)
					}
					break
				}
				added++
				if n > 5000 {
					t.Fatal("the store never filled up")
				}
			}
		}
		return added
	}
	for round := 0; fill() > 0; round++ {
		if round > 20 {
			t.Fatal("the store keeps freeing space")
		}
		e.waitIndexed()
	}
	editPath := "/min-side/oppforing/" + shop.ID
	values := formValues(t, owner.get(editPath).Body, "listing-form")
	values.Set("description_nb", filler)
	if a := owner.post(editPath, values); a.Status != 503 || !strings.Contains(a.Body, "Kan ikke lagre akkurat nå") {
		t.Errorf("an edit on a full disk: %d, want 503 saying so", a.Status)
	}
	status, body := e.get("/readyz")
	if status != 503 || !strings.Contains(string(body), `"store":"read_only"`) {
		t.Errorf("readyz on a full disk: %d %s", status, body)
	}
	if status, page := e.get("/reparator/" + shop.Slug); status != 200 || !strings.Contains(string(page), "Skomaker Fullt") {
		t.Errorf("reading a listing on a full disk: %d", status)
	}
	if r := e.search(url.Values{"q": {"skomaker"}}); r.Total == 0 {
		t.Error("search on a full disk found nothing")
	}
}

// mailsTo counts the e-mails sent to an address.
func mailsTo(e *env, address string) int {
	n := 0
	for _, m := range e.mail.All() {
		if m.To == address {
			n++
		}
	}
	return n
}

// Finding 2: three requests for an editor's address from one client made
// the editor's own request from another client answer 429. Now the
// editor's request is answered as always and a link already in their
// inbox signs them in.
func TestOthersCannotLockAnAddressOut(t *testing.T) {
	e := start(t, setup{})
	attacker := e.visitor()
	for i := 0; i < 5; i++ {
		form := attacker.get("/min-side/logg-inn")
		attacker.post("/min-side/logg-inn", url.Values{"_csrf": {csrfOf(t, form)}, "email": {editorEmail}})
	}
	if n := mailsTo(e, editorEmail); n != 3 {
		t.Errorf("five requests by someone else mailed the editor %d links, want at most 3", n)
	}
	editor := e.visitor()
	form := editor.get("/min-side/logg-inn")
	asked := editor.post("/min-side/logg-inn", url.Values{"_csrf": {csrfOf(t, form)}, "email": {editorEmail}})
	if asked.Status != 200 || !strings.Contains(asked.Body, editorEmail) {
		t.Fatalf("the editor's own request: %d, want the usual answer", asked.Status)
	}
	link := signInLink(t, e.mail.WaitFor(t, editorEmail).Text)
	opened := editor.get(link)
	token := strings.TrimPrefix(link, "/min-side/logg-inn/lenke?token=")
	if a := editor.post("/min-side/logg-inn/lenke", url.Values{"_csrf": {csrfOf(t, opened)}, "token": {token}}); a.Status != 303 {
		t.Errorf("signing in with a link from the inbox: %d", a.Status)
	}
}

// Finding 3: a leading "+" or "-", or a formula after a ";" inside a cell,
// reached the editor's CSV files; anyone could plant one in the missed
// searches by searching three times. Every export now defuses them.
func TestExportsRunNoFormulas(t *testing.T) {
	e := start(t, setup{})
	shop := place("Skomaker Formel", nordnes, []string{"sko"}, "Mo-Fr 10:00-17:00")
	shop.Services = []string{"såling", "=1+1"} // what a careless import might bring
	e.create(shop)
	e.waitIndexed()
	planted := `+hyperlink("http://evil.example";"klikk")`
	for i := 0; i < 3; i++ {
		e.get("/?q=" + url.QueryEscape(planted))
	}
	admin := e.adminVisitor()
	deadline := time.Now().Add(5 * time.Second)
	var missed string
	for !strings.Contains(missed, "hyperlink") && time.Now().Before(deadline) {
		missed = admin.get("/admin/statistikk/sok-uten-treff.csv").Body
		time.Sleep(20 * time.Millisecond) // polling the recorder's flush, not waiting for time to pass
	}
	if !strings.Contains(missed, `'+hyperlink`) {
		t.Errorf("the missed searches CSV:\n%s", missed)
	}
	for _, cell := range strings.FieldsFunc(missed, func(r rune) bool { return r == ';' || r == ',' || r == '\n' }) {
		if c := strings.TrimLeft(cell, ` "`); c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
			t.Errorf("a cell a spreadsheet would run in the missed searches: %q", c)
		}
	}
	_, open := e.get("/data/repairers.csv")
	if !strings.Contains(string(open), "såling|'=1+1") {
		t.Errorf("open data: services not joined with | and defused:\n%s", open)
	}
	// The import's problems, as a file to mend: defused as well.
	preview := admin.upload("liste.csv", "navn;postnummer;kategori\n=1+2 Sko;9999;sko\nSkomaker Riktig;5003;sko\n")
	link := regexp.MustCompile(`href="(/admin/import/[^"]+/problemer\.csv)"`).FindStringSubmatch(preview.Body)
	if link == nil {
		t.Fatalf("no problems file offered: %d", preview.Status)
	}
	problems := admin.get(link[1]).Body
	if !strings.Contains(problems, `'=1+2 Sko`) || !strings.Contains(problems, "9999") || strings.Contains(problems, "Skomaker Riktig") {
		t.Errorf("the import's problems file:\n%s", problems)
	}
}

// Finding 4: concurrent registrations of one name answered 500 (3 of 10),
// and the 101st listing of one name in one district too. Now every one
// gets its own slug, the 1,000th as well.
func TestSlugsHaveNoRaceAndNoCeiling(t *testing.T) {
	e := start(t, setup{})
	ctx := context.Background()
	errs := make(chan error, 10)
	for i := 0; i < 10; i++ {
		go func() {
			l := place("Samme Navn", nordnes, []string{"sko"}, "")
			errs <- e.app.Listings.Create(ctx, l, listing.Change{Actor: "cli", Action: listing.ActionCreate})
		}()
	}
	for i := 0; i < 10; i++ {
		if err := <-errs; err != nil {
			t.Errorf("concurrent create: %v", err)
		}
	}
	var last *listing.Listing
	for i := 10; i < 1000; i++ {
		last = place("Samme Navn", nordnes, []string{"sko"}, "")
		if err := e.app.Listings.Create(ctx, last, listing.Change{Actor: "cli", Action: listing.ActionCreate}); err != nil {
			t.Fatalf("listing %d of one name: %v", i+1, err)
		}
	}
	if last.Slug != "samme-navn-bergenhus-999" {
		t.Errorf("the 1,000th slug: %q", last.Slug)
	}
	all, _ := e.app.Store.All(ctx)
	seen := map[string]bool{}
	for _, l := range all {
		if seen[l.Slug] {
			t.Errorf("slug %q twice", l.Slug)
		}
		seen[l.Slug] = true
	}
}

// Finding 5: after Redis restarted empty and counted its generation from 1
// again, an instance kept serving answers cached under its higher
// generation for about a minute. Now the generation never goes back: the
// very next browse after an edit shows it.
func TestARedisRestartServesNothingStale(t *testing.T) {
	redis := testenv.StartRedis(t)
	e := start(t, setup{redisURL: redis.URL()})
	e.seed() // several writes: the generation is well past 1
	browse := url.Values{"district": {"bergenhus"}, "category": {"klaer"}}
	e.search(browse)
	if r := e.search(browse); r.Cache != "hit" {
		t.Fatalf("before the restart: cache %q, want hit", r.Cache)
	}
	redis.Restart(t)
	// Wait until the instance is watching the generation again, as it is
	// in the finding.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, r := readyz(t, e); r["cache"] == "ok" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the cache is not back 10 s after Redis restarted")
		}
		time.Sleep(20 * time.Millisecond) // polling a condition
	}
	e.search(browse) // cached again, under whatever generation is current
	e.rename("nordnes-som", "Nordnes Søm etter omstart")
	if r := e.search(browse); len(r.Hits) != 1 || r.Hits[0].Name != "Nordnes Søm etter omstart" {
		t.Errorf("the first browse after the edit: cache %q %v, want the new name", r.Cache, names(r))
	}
}

// Finding 6: with Meilisearch hung (SIGSTOP) every uncached search held
// its connection 10 s, and /readyz said the store and the cache were down
// with 0 edits pending. Now a search answers 503 within 2 s; listing
// pages, open data and writes keep working; /readyz answers within a
// second, truthfully.
func TestAHungIndexHoldsNothing(t *testing.T) {
	meili := testenv.StartMeili(t)
	e := start(t, setup{meili: meili})
	e.seed()
	shop := place("Skomaker Heng", nordnes, []string{"sko"}, "Mo-Fr 10:00-17:00")
	shop.OrgNumber = "923609016"
	e.owned(shop, "eier@heng.example")
	owner := e.signIn(t, "eier@heng.example")
	e.waitIndexed()
	meili.Hang(t)

	started := time.Now()
	status, _ := e.get("/api/v1/search?q=glidel%C3%A5s&district=fana")
	if took := time.Since(started); status != 503 || took > 2500*time.Millisecond {
		t.Errorf("a search with the index hung: %d after %v, want 503 within 2 s", status, took)
	}
	if status, page := e.get("/reparator/" + shop.Slug); status != 200 || !strings.Contains(string(page), "Skomaker Heng") {
		t.Errorf("a listing page with the index hung: %d", status)
	}
	if status, _ := e.get("/data/repairers.geojson"); status != 200 {
		t.Errorf("open data with the index hung: %d", status)
	}
	editPath := "/min-side/oppforing/" + shop.ID
	values := formValues(t, owner.get(editPath).Body, "listing-form")
	values.Set("price_info", "Såling fra 400 kr")
	if a := owner.post(editPath, values); a.Status != 303 {
		t.Errorf("an edit with the index hung: %d", a.Status)
	}
	started = time.Now()
	code, r := readyz(t, e)
	if took := time.Since(started); took > 1500*time.Millisecond || code != 503 || r["store"] != "ok" || r["index"] != "down" ||
		r["cache"] != "disabled" || r["outbox_pending"].(float64) < 1 {
		t.Errorf("readyz with the index hung: %d %v after %v, want 503 at once: store ok, index down, the edit pending", code, r, took)
	}
}

// Finding 8: behind the usual reverse proxy every client had the proxy's
// address, so "10 links per client" was 10 for the whole city. With the
// proxy trusted, each forwarded client has its own limit, and what a
// client writes before the proxy's own entry is not believed; without
// it, X-Forwarded-For is ignored.
func TestTrustedProxiesNameTheClient(t *testing.T) {
	ask := func(e *env, forwardedFor string) int {
		v := e.visitor()
		form := v.get("/min-side/logg-inn")
		body := url.Values{"_csrf": {csrfOf(t, form)}, "email": {"kontor@verksted.no"}}.Encode()
		req, err := http.NewRequest("POST", e.base+"/min-side/logg-inn", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", forwardedFor)
		return v.do(req).Status
	}
	t.Run("trusted", func(t *testing.T) {
		e := start(t, setup{trustedProxies: "127.0.0.1/32"})
		// Eleven colleagues behind one office's proxy: each is let through.
		for i := 1; i <= 11; i++ {
			if status := ask(e, fmt.Sprintf("203.0.113.%d", i)); status == 429 {
				t.Fatalf("colleague %d of one office: 429", i)
			}
		}
		// One client is still held back after 10, however it dresses up
		// its requests: the proxy's entry is the last one.
		for i := 1; i <= 10; i++ {
			ask(e, fmt.Sprintf("10.9.9.%d, 198.51.100.7", i))
		}
		if status := ask(e, "10.9.9.99, 198.51.100.7"); status != 429 {
			t.Errorf("the 11th request of one client with invented hops: %d, want 429", status)
		}
	})
	t.Run("not trusted", func(t *testing.T) {
		e := start(t, setup{})
		status := 0
		for i := 1; i <= 11; i++ {
			status = ask(e, fmt.Sprintf("203.0.113.%d", i))
		}
		if status != 429 {
			t.Errorf("X-Forwarded-For from an untrusted peer was believed: the 11th request answered %d", status)
		}
	})
}

// Finding 7, the smaller ones, each as it was reproduced.
func TestSmallerFindings(t *testing.T) {
	t.Run("https: HSTS and __Host- cookies", func(t *testing.T) {
		e := start(t, setup{baseURL: "https://reparerer.example.no"})
		a := e.visitor().get("/min-side/logg-inn")
		if got := a.Header.Get("Strict-Transport-Security"); !strings.Contains(got, "max-age=") {
			t.Errorf("no HSTS on https: %q", got)
		}
		cookies := strings.Join(a.Header.Values("Set-Cookie"), "\n")
		if !strings.Contains(cookies, "__Host-csrf=") || !strings.Contains(strings.ToLower(cookies), "; secure") {
			t.Errorf("the form cookie on https: %s", cookies)
		}
	})
	e := start(t, setup{})
	if h := e.visitor().get("/").Header.Get("Strict-Transport-Security"); h != "" {
		t.Errorf("HSTS over plain http: %q", h)
	}
	shop := place("Skomaker Liten", nordnes, []string{"sko"}, "Mo-Fr 10:00-17:00")
	shop.OrgNumber = "923609016"
	e.owned(shop, "eier@liten.example")
	owner := e.signIn(t, "eier@liten.example")
	other := e.signIn(t, "annen@liten.example")

	// Signed-in pages and the console's CSV files are not stored.
	if cc := owner.get("/min-side").Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Min side: Cache-Control %q, want no-store", cc)
	}
	if cc := e.adminVisitor().get("/admin/statistikk/dekning.csv").Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("a console CSV: Cache-Control %q, want no-store", cc)
	}

	// A form token belongs to its holder: another session's is refused.
	editPath := "/min-side/oppforing/" + shop.ID
	values := formValues(t, owner.get(editPath).Body, "listing-form")
	values.Set("_csrf", csrfOf(t, other.get("/min-side")))
	if a := owner.post(editPath, values); a.Status != 403 {
		t.Errorf("an edit with another session's form token: %d, want 403", a.Status)
	}

	// A name with CR/LF would add lines to e-mails and files.
	values = formValues(t, owner.get(editPath).Body, "listing-form")
	values.Set("name", "Skomaker Liten\r\nBcc: alle@example.no")
	if a := owner.post(editPath, values); a.Status != 400 || !strings.Contains(a.Body, "kontrolltegn") {
		t.Errorf("a name with a line break: %d", a.Status)
	}
	if got := e.listing(shop.ID); got.Name != "Skomaker Liten" {
		t.Errorf("the name became %q", got.Name)
	}

	// Hex floats are not coordinates.
	if status, _ := e.get("/api/v1/search?lat=0x1.ep5&lng=5.32"); status != 400 {
		t.Errorf("lat=0x1.ep5: %d, want 400", status)
	}

	// An unreadable GeoJSON is explained without Go type names.
	if a := e.adminVisitor().upload("feil.geojson", `{"type":"FeatureCollection","features":[1]}`); a.Status != 400 ||
		strings.Contains(a.Body, "importer.") || strings.Contains(a.Body, "unmarshal") {
		t.Errorf("a bad GeoJSON: %d %s", a.Status, a.Body)
	}

	// A request whose headers never end is cut off within the header
	// timeout, not after ten seconds.
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(conn); err != nil {
		t.Errorf("a request without the end of its headers is still open after 5 s: %v", err)
	}
}

// A read-only store (REPARERER_READ_ONLY=on, as for maintenance, or a
// file the disk refuses to write): reads are served, writes answer 503,
// and readiness says read_only.
func TestAReadOnlyStoreServesReads(t *testing.T) {
	db := filepath.Join(t.TempDir(), "reparerer.db")
	writer := start(t, setup{db: db})
	writer.seed()
	writer.waitIndexed()
	e := start(t, setup{db: db, readOnly: "on", index: writer.index}) // another instance on the same data
	l, err := e.app.Store.GetBySlug(context.Background(), "nordnes-som")
	if err != nil {
		t.Fatal(err)
	}
	if status, page := e.get("/reparator/nordnes-som"); status != 200 || !strings.Contains(string(page), "Nordnes Søm") {
		t.Errorf("a listing page, read-only: %d", status)
	}
	if r := e.search(url.Values{"category": {"klaer"}}); r.Total == 0 {
		t.Error("search, read-only: nothing found")
	}
	v := e.visitor()
	form := v.get("/reparator/nordnes-som/meld-feil")
	a := v.post("/reparator/nordnes-som/meld-feil", url.Values{"_csrf": {csrfOf(t, form)}, "reason": {"hours"}, "message": {"Stengt i dag."}})
	if a.Status != 503 || !strings.Contains(a.Body, "Kan ikke lagre akkurat nå") {
		t.Errorf("a report, read-only: %d, want 503 saying so", a.Status)
	}
	if status, r := readyz(t, e); status != 503 || r["store"] != "read_only" {
		t.Errorf("readyz, read-only: %d %v", status, r)
	}
	if got := e.listing(l.ID); got.Version != l.Version {
		t.Error("the read-only instance wrote")
	}
}
