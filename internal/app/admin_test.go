package app_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/report"
)

const editorEmail = "redaktor@bergen.kommune.no"

// makeAdmin gives an address the municipality's role, as `reparerer admin
// add` does, and signs a visitor in with it.
func (e *env) adminVisitor() *visitor {
	e.t.Helper()
	u, err := e.app.Store.EnsureUser(context.Background(), editorEmail, auth.RoleAdmin, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.app.Store.SetRole(context.Background(), u.ID, auth.RoleAdmin); err != nil {
		e.t.Fatal(err)
	}
	v := e.visitor()
	v.signIn(editorEmail, "/admin")
	return v
}

// owned creates a listing owned by an account, as a repairer's
// registration does.
func (e *env) owned(l *listing.Listing, email string) (*listing.Listing, auth.User) {
	e.t.Helper()
	u, err := e.app.Store.EnsureUser(context.Background(), email, auth.RoleOwner, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.app.Listings.Create(context.Background(), l, listing.Change{Actor: "owner:" + email, Action: listing.ActionOwnerRegister, OwnerID: u.ID}); err != nil {
		e.t.Fatal(err)
	}
	return l, u
}

func (e *env) listing(id string) *listing.Listing {
	e.t.Helper()
	l, err := e.app.Store.Get(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

// act posts an admin form found on a page: the page's CSRF token, the
// listing's version, and the extra fields.
func (v *visitor) act(page, path string, fields url.Values) answer {
	v.e.t.Helper()
	p := v.get(page)
	if fields == nil {
		fields = url.Values{}
	}
	fields.Set("_csrf", csrfOf(v.e.t, p))
	if fields.Get("version") == "" {
		if m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(p.Body); m != nil {
			fields.Set("version", m[1])
		}
	}
	return v.post(path, fields)
}

func TestEveryAdminRouteRefusesOthers(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	ctx := context.Background()
	pub, err := e.app.Store.Published(ctx)
	if err != nil {
		t.Fatal(err)
	}
	target := pub[0]
	anonymous := e.visitor()
	repairer := e.visitor()
	repairer.signIn("eier@sko.no", "/min-side")
	admin := e.adminVisitor()
	fill := strings.NewReplacer(":id", target.ID, ":entry", "1", ":district", "bergenhus", ":eid", "ny")
	// An upload, for the routes about an uploaded file.
	preview := admin.upload("liste.csv", "navn;postnummer;kategori\nSko;9999;sko\n")
	upload := regexp.MustCompile(`action="/admin/import/([^"/]+)"`).FindStringSubmatch(preview.Body)
	if upload == nil {
		t.Fatalf("no upload to check the import routes with: %d", preview.Status)
	}
	fillImport := strings.NewReplacer(":id", upload[1])

	checked := 0
	for _, r := range e.app.Routes() {
		if !strings.HasPrefix(r.Path, "/admin") || (r.Method != "GET" && r.Method != "POST") {
			continue
		}
		checked++
		path := fill.Replace(r.Path)
		if strings.HasPrefix(r.Path, "/admin/import/:id") {
			path = fillImport.Replace(r.Path)
		}
		if r.Method == "GET" {
			if a := anonymous.get(path); a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Location, "/min-side/logg-inn?next=") {
				t.Errorf("anonymous GET %s: %d %q, want a redirect to sign in", path, a.Status, a.Location)
			}
			if a := repairer.get(path); a.Status != http.StatusForbidden || !strings.Contains(a.Body, "Bare for Bergen kommune") {
				t.Errorf("repairer GET %s: %d, want 403 for non-admins", path, a.Status)
			}
			if a := admin.get(path); a.Status != http.StatusOK {
				t.Errorf("admin GET %s: %d %.200s", path, a.Status, a.Body)
			}
			continue
		}
		// Direct posts, with a valid CSRF token so only the role decides.
		form := url.Values{"version": {strconv.Itoa(target.Version)}, "reason": {"permanently_closed"}, "decision": {"approve"},
			"id": {target.ID}, "voucher": {"on"}}
		form.Set("_csrf", csrfOf(t, anonymous.get("/min-side/logg-inn")))
		if a := anonymous.post(path, form); a.Status != http.StatusUnauthorized {
			t.Errorf("anonymous POST %s: %d, want 401", path, a.Status)
		}
		form.Set("_csrf", csrfOf(t, repairer.get("/min-side")))
		if a := repairer.post(path, form); a.Status != http.StatusForbidden || !strings.Contains(a.Body, "Bare for Bergen kommune") {
			t.Errorf("repairer POST %s: %d, want 403 for non-admins", path, a.Status)
		}
	}
	if checked < 20 {
		t.Errorf("checked only %d admin routes; is the route table read?", checked)
	}
	if after := e.listing(target.ID); after.Version != target.Version || after.AcceptsRepairVoucher != target.AcceptsRepairVoucher {
		t.Errorf("a refused post changed the listing: version %d → %d", target.Version, after.Version)
	}
	if n, _ := e.app.Reminders.Store.LastSent(ctx); len(n) != 0 {
		t.Errorf("a refused post sent %d reminders", len(n))
	}
}

func TestReviewQueueActions(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	ctx := context.Background()
	admin := e.adminVisitor()

	waiting, _ := e.owned(place("Nye Sko Møhlenpris", [2]float64{60.3835, 5.3215}, []string{"sko"}, "Mo-Fr 10:00-17:00"), "ny@nyesko.no")
	waiting.Status = listing.StatusPending
	waiting.Version = e.listing(waiting.ID).Version
	if err := e.app.Listings.Update(ctx, waiting, testChange); err != nil {
		t.Fatal(err)
	}
	spam, _ := e.owned(&listing.Listing{Name: "Billige Klokker Online", Categories: []string{"ur-smykker"}, Status: listing.StatusPending,
		Location: listing.Location{Lat: 60.39, Lng: 5.32}, Source: listing.Source{Kind: listing.SourceOwner}}, "selger@klokker.example")
	edited, _ := e.owned(place("Sømverket", [2]float64{60.3900, 5.3250}, []string{"klaer"}, ""), "eier@somverket.no")
	edited.Phone = "+4755000001"
	if err := e.app.Listings.Update(ctx, edited, listing.Change{Actor: "owner:eier@somverket.no", Action: listing.ActionOwnerEdit}); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Store.CreateReport(ctx, &report.Report{ListingID: edited.ID, Reason: "hours", Message: "Stengt på mandager nå."}); err != nil {
		t.Fatal(err)
	}
	claimant, err := e.app.Store.EnsureUser(ctx, "ansatt@gmail.example", auth.RoleOwner, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	claim, err := e.app.Owners.Submit(ctx, claimant, e.listing(edited.ID), "Kari Ansatt", "employee", "")
	if err != nil {
		t.Fatal(err)
	}
	e.waitIndexed()

	queue := admin.get("/admin")
	for _, want := range []string{"Nye Sko Møhlenpris", "Billige Klokker Online", "Kari Ansatt", "ansatt@gmail.example",
		"Stengt på mandager nå.", "<del></del>", "<ins>55 00 00 01</ins>", "Endret av bedriften"} {
		if !strings.Contains(queue.Body, want) {
			t.Errorf("the queue does not show %q", want)
		}
	}

	// Verify: published, public date, in search at once.
	if a := admin.act("/admin/oppforing/"+waiting.ID, "/admin/oppforing/"+waiting.ID+"/verifiser", nil); a.Status != http.StatusSeeOther {
		t.Fatalf("verify: %d %.300s", a.Status, a.Body)
	}
	got := e.listing(waiting.ID)
	if got.Status != listing.StatusPublished || got.VerifiedAt == nil || !got.VerifiedAt.Equal(e.clock.Now().UTC()) || got.VerifiedBy != editorEmail {
		t.Fatalf("verified listing: %s %v %q", got.Status, got.VerifiedAt, got.VerifiedBy)
	}
	e.waitIndexed()
	if r := e.search(url.Values{"q": {"Møhlenpris"}}); !contains(names(r), "Nye Sko Møhlenpris") {
		t.Errorf("the verified listing is not found: %v", names(r))
	}
	if _, page := e.get("/reparator/" + got.Slug); !strings.Contains(string(page), "Sist verifisert av Bergen kommune 23. november 2026") {
		t.Error("the public page does not show the verification date")
	}

	// A stale form is refused, not applied.
	if a := admin.post("/admin/oppforing/"+got.ID+"/skjul", url.Values{"_csrf": {csrfOf(t, admin.get("/admin"))},
		"version": {"1"}, "reason": {"unreachable"}}); a.Status != http.StatusConflict {
		t.Errorf("hiding with an old version: %d, want 409", a.Status)
	}

	// Reject with a reason: hidden, and the owner is told why.
	if a := admin.act("/admin/oppforing/"+spam.ID, "/admin/oppforing/"+spam.ID+"/avvis", url.Values{"reason": {""}}); a.Status != http.StatusBadRequest {
		t.Errorf("reject without a reason: %d, want 400", a.Status)
	}
	admin.act("/admin/oppforing/"+spam.ID, "/admin/oppforing/"+spam.ID+"/avvis", url.Values{"reason": {"Nettbutikk uten verksted i Bergen."}})
	if l := e.listing(spam.ID); l.Status != listing.StatusHidden || l.HideReason != "rejected" {
		t.Errorf("rejected listing: %s %q", l.Status, l.HideReason)
	}
	if m := e.mail.WaitFor(t, "selger@klokker.example"); !strings.Contains(m.Text, "Nettbutikk uten verksted i Bergen.") || !strings.Contains(m.Subject, "ikke godkjent") {
		t.Errorf("rejection mail: %q\n%s", m.Subject, m.Text)
	}

	// Hide with a reason from the list, then unhide; search follows at once.
	if a := admin.act("/admin/oppforing/"+got.ID, "/admin/oppforing/"+got.ID+"/skjul", url.Values{"reason": {"closed forever"}}); a.Status != http.StatusBadRequest {
		t.Errorf("hide with a reason not on the list: %d, want 400", a.Status)
	}
	admin.act("/admin/oppforing/"+got.ID, "/admin/oppforing/"+got.ID+"/skjul", url.Values{"reason": {"temporarily_closed"}, "note": {"Ferie til mars"}})
	if m := e.mail.WaitFor(t, "ny@nyesko.no"); !strings.Contains(m.Text, "Midlertidig stengt / Temporarily closed") || !strings.Contains(m.Text, "Ferie til mars") {
		t.Errorf("hide e-mail to the owner: %q\n%s", m.Subject, m.Text)
	}
	e.waitIndexed()
	if r := e.search(url.Values{"q": {"Møhlenpris"}}); contains(names(r), "Nye Sko Møhlenpris") {
		t.Error("a hidden listing is still found")
	}
	if status, _ := e.get("/reparator/" + got.Slug); status != http.StatusNotFound {
		t.Errorf("hidden listing page: %d", status)
	}
	admin.act("/admin/oppforing/"+got.ID, "/admin/oppforing/"+got.ID+"/vis", nil)
	e.waitIndexed()
	if r := e.search(url.Values{"q": {"Møhlenpris"}}); !contains(names(r), "Nye Sko Møhlenpris") {
		t.Error("an unhidden listing is not found again")
	}

	// Revert the owner's edit from the audit log.
	entries, err := e.app.Store.Recent(ctx, 5, listing.ActionOwnerEdit)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no owner edit in the log: %v", err)
	}
	csrf := csrfOf(t, admin.get("/admin"))
	if a := admin.post("/admin/endring/"+strconv.FormatInt(entries[0].ID, 10)+"/tilbakestill", url.Values{"_csrf": {csrf}, "reason": {"Nummeret går til en annen bedrift."}}); a.Status != http.StatusSeeOther {
		t.Fatalf("revert: %d %.300s", a.Status, a.Body)
	}
	if l := e.listing(edited.ID); l.Phone != "" {
		t.Errorf("phone after revert: %q, want it empty again", l.Phone)
	}
	// The owner hears of it, with the reason.
	if m := e.mail.WaitFor(t, "eier@somverket.no"); !strings.Contains(m.Subject, "tilbakestilt") || !strings.Contains(m.Text, "Nummeret går til en annen bedrift.") ||
		!strings.Contains(m.Text, "Telefon / Phone") {
		t.Errorf("revert e-mail: %q\n%s", m.Subject, m.Text)
	}
	if a := admin.post("/admin/endring/"+strconv.FormatInt(entries[0].ID, 10)+"/tilbakestill", url.Values{"_csrf": {csrf}}); a.Status != http.StatusConflict {
		t.Errorf("reverting twice: %d, want 409", a.Status)
	}

	// Every action is in the audit log with the admin's name.
	history, err := e.app.Store.History(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, h := range history {
		if strings.HasPrefix(h.Actor, "admin:"+editorEmail) {
			actions = append(actions, string(h.Action)+":"+h.Note)
		}
	}
	if want := "admin_verify:,admin_hide:Ferie til mars,admin_unhide:"; strings.Join(actions, ",") != want {
		t.Errorf("audit log: %q, want %q", strings.Join(actions, ","), want)
	}

	// Claims: a rejection needs a reason, and the claimant gets it.
	if a := admin.act("/admin", "/admin/krav/"+claim.ID, url.Values{"decision": {"maybe"}}); a.Status != http.StatusBadRequest {
		t.Errorf("claim decision \"maybe\": %d, want 400", a.Status)
	}
	admin.act("/admin", "/admin/krav/"+claim.ID, url.Values{"decision": {"reject"}, "reason": {""}})
	if c, _ := e.app.Store.Claim(ctx, claim.ID); c.Status != "pending" {
		t.Errorf("a claim rejected without a reason became %s", c.Status)
	}
	admin.act("/admin", "/admin/krav/"+claim.ID, url.Values{"decision": {"reject"}, "reason": {"Vi fant deg ikke i Brønnøysundregistrene."}})
	if m := e.mail.WaitFor(t, "ansatt@gmail.example"); !strings.Contains(m.Text, "Brønnøysundregistrene") {
		t.Errorf("claim rejection mail:\n%s", m.Text)
	}

	// Reports are closed, once.
	reports, _ := e.app.Store.OpenReports(ctx)
	admin.act("/admin", "/admin/melding/"+reports[0].ID+"/lukk", nil)
	if rs, _ := e.app.Store.OpenReports(ctx); len(rs) != 0 {
		t.Errorf("%d reports still open", len(rs))
	}
	if strings.Contains(admin.get("/admin").Body, "Stengt på mandager nå.") {
		t.Error("a handled report is still in the queue")
	}
	// The claim and the report are decisions on the listing: in its log too.
	history, err = e.app.Store.History(ctx, edited.ID)
	if err != nil {
		t.Fatal(err)
	}
	var decided []string
	for _, h := range history[len(history)-2:] {
		decided = append(decided, string(h.Action)+":"+h.Note)
	}
	if want := "admin_claim_rejected:ansatt@gmail.example Vi fant deg ikke i Brønnøysundregistrene.,admin_report_closed:hours: Stengt på mandager nå."; strings.Join(decided, ",") != want {
		t.Errorf("listing log ends with %q, want %q", strings.Join(decided, ","), want)
	}
	if page := admin.get("/admin/oppforing/" + edited.ID); !strings.Contains(page.Body, "Eierskapskrav avvist") || !strings.Contains(page.Body, "Feilmelding behandlet") {
		t.Error("the listing's history page does not show the claim and report decisions")
	}
}

func TestFreshnessAndUnconfirmed(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	ctx := context.Background()
	admin := e.adminVisitor()
	owned, _ := e.owned(place("Gammel Sko", [2]float64{60.3920, 5.3230}, []string{"sko"}, ""), "eier@gammelsko.no")
	noOwner := place("Ukjent Sykkel", [2]float64{60.3930, 5.3240}, []string{"sykkel"}, "")
	noOwner.Email = "post@ukjentsykkel.no"
	e.create(noOwner)
	recent := e.listing(owned.ID)
	now := e.clock.Now().UTC()
	recent.VerifiedAt = &now
	if err := e.app.Listings.Update(ctx, recent, testChange); err != nil {
		t.Fatal(err)
	}
	e.waitIndexed()

	page := admin.get("/admin/ferskhet")
	if strings.Contains(page.Body, "Gammel Sko") || !strings.Contains(page.Body, "Ukjent Sykkel") {
		t.Error("freshness list: a listing verified today is listed, or a never-checked one is not")
	}
	e.clock.Set(e.clock.Now().AddDate(1, 0, 2)) // a year and two days later
	admin = e.adminVisitor()                    // the session ended long ago
	page = admin.get("/admin/ferskhet?sort=name")
	if !strings.Contains(page.Body, "Gammel Sko") || strings.Index(page.Body, "Gammel Sko") > strings.Index(page.Body, "Ukjent Sykkel") {
		t.Error("freshness list by name: Gammel Sko missing or not before Ukjent Sykkel")
	}
	if a := admin.get("/admin/ferskhet?sort=drop%20table"); a.Status != http.StatusBadRequest {
		t.Errorf("unknown sort: %d, want 400", a.Status)
	}

	ask := url.Values{"_csrf": {csrfOf(t, page)}, "id": {owned.ID, noOwner.ID}}
	a := admin.post("/admin/ferskhet", ask)
	if a.Status != http.StatusSeeOther || !strings.Contains(a.Location, "sendt=2") {
		t.Fatalf("bulk ask: %d %q", a.Status, a.Location)
	}
	m := e.mail.WaitFor(t, "eier@gammelsko.no")
	link := linkInMail.FindStringSubmatch(m.Text)
	if link == nil || !strings.Contains(link[1], "/min-side/bekreft?token=") {
		t.Fatalf("owner's mail has no confirm link:\n%s", m.Text)
	}
	if m := e.mail.WaitFor(t, "post@ukjentsykkel.no"); !strings.Contains(m.Text, "/eier") {
		t.Errorf("an unclaimed listing's mail should offer the claim:\n%s", m.Text)
	}
	if a := admin.post("/admin/ferskhet", ask); !strings.Contains(a.Location, "sendt=0&allerede=2") {
		t.Errorf("asking twice the same day: %q", a.Location)
	}
	forged := url.Values{"_csrf": ask["_csrf"], "id": {owned.ID, "no-such-listing"}}
	if a := admin.post("/admin/ferskhet", forged); a.Status != http.StatusBadRequest {
		t.Errorf("asking about an unknown listing: %d, want 400", a.Status)
	}

	slug := e.listing(owned.ID).Slug
	if _, body := e.get("/reparator/" + slug); strings.Contains(string(body), "har ikke svart") {
		t.Error("shown as unconfirmed before 30 days have passed")
	}
	e.clock.Set(e.clock.Now().AddDate(0, 0, 31))
	if _, body := e.get("/reparator/" + slug); !strings.Contains(string(body), "Bedriften har ikke svart på om opplysningene stemmer") {
		t.Error("not shown as unconfirmed 31 days after the reminder")
	}
	if l := e.listing(owned.ID); !l.Published() {
		t.Error("an unanswered listing was taken down; it must only be marked")
	}
	// The link, without signing in: a page with one button; a forged
	// token is refused; the button confirms once.
	owner := e.visitor()
	confirmPage := owner.get(link[1])
	if confirmPage.Status != http.StatusOK || !strings.Contains(confirmPage.Body, "Gammel Sko") {
		t.Fatalf("confirm page: %d", confirmPage.Status)
	}
	if l := e.listing(owned.ID); l.ConfirmedAt != nil {
		t.Error("opening the link confirmed the listing")
	}
	token := strings.TrimPrefix(link[1], "/min-side/bekreft?token=")
	last := "A"
	if strings.HasSuffix(token, last) {
		last = "B"
	}
	forgedToken := url.Values{"_csrf": {csrfOf(t, confirmPage)}, "token": {token[:len(token)-1] + last}}
	if a := owner.post("/min-side/bekreft", forgedToken); a.Status != http.StatusGone {
		t.Errorf("a forged token: %d, want 410", a.Status)
	}
	yes := url.Values{"_csrf": {csrfOf(t, confirmPage)}, "token": {token}}
	if a := owner.post("/min-side/bekreft", yes); a.Status != http.StatusOK {
		t.Errorf("confirming: %d", a.Status)
	}
	if l := e.listing(owned.ID); l.ConfirmedAt == nil {
		t.Error("the button did not confirm the listing")
	}
	if a := owner.post("/min-side/bekreft", yes); a.Status != http.StatusGone {
		t.Errorf("the link used twice: %d, want 410", a.Status)
	}
	if _, body := e.get("/reparator/" + slug); strings.Contains(string(body), "har ikke svart") {
		t.Error("still shown as unconfirmed after the owner confirmed")
	}
}

func TestStickersPostersAndVoucher(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	admin := e.adminVisitor()
	pub, _ := e.app.Store.Published(context.Background())
	var lst *listing.Listing
	for _, l := range pub {
		if l.Name == "Nordnes Søm" {
			lst = l
		}
	}
	svg := admin.get("/admin/oppforing/" + lst.ID + "/klistremerke.svg")
	if svg.Status != 200 || svg.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(svg.Body, "Nordnes Søm") {
		t.Errorf("sticker SVG: %d %s", svg.Status, svg.Header.Get("Content-Type"))
	}
	pdf := admin.get("/admin/oppforing/" + lst.ID + "/klistremerke.pdf")
	if pdf.Status != 200 || !strings.HasPrefix(pdf.Body, "%PDF-") {
		t.Errorf("sticker PDF: %d %.20q", pdf.Status, pdf.Body)
	}
	// The QR code's link is counted, once a day per client, and leads to
	// the clean page.
	for i := 0; i < 300; i++ {
		if a := e.visitor().get("/reparator/" + lst.Slug + "?kilde=qr"); a.Status != http.StatusFound || a.Location != "/reparator/"+lst.Slug {
			t.Fatalf("QR visit: %d %q", a.Status, a.Location)
		}
	}
	if n, _ := e.app.Store.Scans(context.Background(), lst.ID); n != 1 {
		t.Errorf("300 QR visits from one client counted as %d, want 1", n)
	}
	if !strings.Contains(admin.get("/admin/oppforing/"+lst.ID).Body, "<dd>1</dd>") {
		t.Error("the admin page does not show the QR visits")
	}

	for _, size := range []string{"A4", "A3"} {
		if a := admin.get("/admin/plakat/bergenhus?size=" + size); a.Status != 200 || !strings.HasPrefix(a.Body, "%PDF-") {
			t.Errorf("%s poster: %d", size, a.Status)
		}
	}
	if a := admin.get("/admin/plakat/bergenhus?size=B5"); a.Status != http.StatusBadRequest {
		t.Errorf("B5 poster: %d, want 400", a.Status)
	}
	if a := admin.get("/admin/plakat/oslo"); a.Status != http.StatusNotFound {
		t.Errorf("poster for Oslo: %d, want 404", a.Status)
	}

	// Repair voucher: the admin marks it, the public filter and the CSV follow.
	if a := admin.act("/admin/reparasjonsbonus", "/admin/oppforing/"+lst.ID+"/bonus", url.Values{"version": {strconv.Itoa(lst.Version)}, "voucher": {"on"}}); a.Status != http.StatusSeeOther {
		t.Fatalf("mark voucher: %d %.300s", a.Status, a.Body)
	}
	e.waitIndexed()
	if r := e.search(url.Values{"voucher": {"true"}}); !contains(names(r), "Nordnes Søm") {
		t.Errorf("voucher filter: %v", names(r))
	}
	csv := admin.get("/admin/reparasjonsbonus.csv")
	if !strings.HasPrefix(csv.Body, "navn,organisasjonsnummer") || !strings.Contains(csv.Body, "Nordnes Søm") || !strings.Contains(csv.Body, "Sykkelverksted Åsane") ||
		strings.Contains(csv.Body, "Urmaker Nesttun") {
		t.Errorf("participants CSV:\n%s", csv.Body)
	}
}

func TestCoverageAndMissedSearches(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	admin := e.adminVisitor()
	// Three residents in Arna look for a kobbersmed; one person twice for
	// something rare; a phone number is never kept.
	for i := 0; i < 3; i++ {
		e.visitor().get("/?q=Kobbersmed&district=arna")
	}
	for i := 0; i < 2; i++ {
		e.visitor().get("/?q=veldig+sjelden+ting")
	}
	for i := 0; i < 4; i++ {
		e.visitor().get("/?q=99887766")
	}
	e.visitor().get("/?q=kobbersmed+&district=arna") // the same, normalised
	csv := admin.get("/admin/statistikk/sok-uten-treff.csv")
	if !strings.Contains(csv.Body, "2026-11-23,kobbersmed,arna,,other,4") {
		t.Errorf("missed searches CSV lacks kobbersmed in Arna ×4:\n%s", csv.Body)
	}
	if strings.Contains(csv.Body, "sjelden") || strings.Contains(csv.Body, "99887766") {
		t.Errorf("a rare or personal query was kept:\n%s", csv.Body)
	}
	if a := admin.get("/admin/statistikk/sok-uten-treff.csv?dager=x"); a.Status != http.StatusBadRequest {
		t.Errorf("bad dager: %d", a.Status)
	}
	stats := admin.get("/admin/statistikk")
	for _, want := range []string{"<title>Arna: 0</title>", "<title>Bergenhus: 2</title>", "kobbersmed", `class="area class-0"`} {
		if !strings.Contains(stats.Body, want) {
			t.Errorf("statistics page lacks %q", want)
		}
	}
	cov := admin.get("/admin/statistikk/dekning.csv")
	if !strings.Contains(cov.Body, "arna,0,0,0,0,0,0,0,0,0,0,0,0,0,0") {
		t.Errorf("coverage CSV:\n%s", cov.Body)
	}
}

// upload posts a file to the import form as a browser would.
func (v *visitor) upload(name, content string) answer {
	v.e.t.Helper()
	return v.uploadTo("/admin/import", "/admin/import", name, content)
}

// uploadTo posts a file to action with the CSRF token of the form page.
func (v *visitor) uploadTo(formPage, action, name, content string) answer {
	v.e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", csrfOf(v.e.t, v.get(formPage)))
	fw, _ := w.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(content))
	_ = w.Close()
	req, err := http.NewRequest("POST", v.e.base+action, &body)
	if err != nil {
		v.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return v.do(req)
}

func TestImportPreviewAndConfirm(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	ctx := context.Background()
	admin := e.adminVisitor()
	existing := place("Syhjørnet", [2]float64{60.3890, 5.3300}, []string{"klaer"}, "")
	existing.OrgNumber = "974760673"
	e.create(existing)
	file := strings.Join([]string{
		"organisasjonsnummer;navn;gateadresse;postnummer;kategori;telefon;nettside;lat;lng",
		"987654325;Laksevåg Sykkelfiks;Damsgårdsveien 100;5160;Sykkel;55 12 12 12;laksevagsykkel.no;60.3860;5.3000",
		"123456789;Feil Orgnr;Gata 1;5003;sko;;;;",
		"987654325;Dobbel Rad;Gata 2;5003;sko;;;;",
		";Ukjent Postnr;Gata 3;9999;sko;;;;",
		";Oslo Sko;Karl Johan 1;5003;sko;;;59.9130;10.7400",
		";Ukjent Kategori;Gata 4;5003;smed;;;;",
		"974760673;Syhjørnet AS;Nygårdsgaten 1;5015;Skredder;55 99 99 99;;;",
		";Nordnes Søm AS;Nordnesgaten 1;5005;klaer;;;60.39662;5.31405",
		";Arna Skomaker;Arnatveitvegen 1;5261;skomaker;;;",
	}, "\n")
	before, _ := e.app.Store.All(ctx)
	preview := admin.upload("verksteder.csv", file)
	if preview.Status != 200 {
		t.Fatalf("preview: %d %.500s", preview.Status, preview.Body)
	}
	for _, want := range []string{
		"Organisasjonsnummeret «123456789» er ikke gyldig",
		"Samme bedrift som linje 2",
		"Postnummeret «9999» finnes ikke i Bergen",
		"Stedet ligger utenfor Bergen kommune",
		"Ukjent kategori «smed»",
		"Samme organisasjonsnummer",
		"Plassert midt i postnummeret",
		"2 nye, 0 oppdateres, 0 uendret, 2 mulige duplikater, 5 med feil.",
	} {
		if !strings.Contains(preview.Body, want) {
			t.Errorf("the preview does not say %q", want)
		}
	}
	if !strings.Contains(preview.Body, "Den eksisterende oppføringen og raden side om side") {
		t.Error("the preview does not set a duplicate's values beside the row's")
	}
	if !regexp.MustCompile(`Lignende navn \d m unna`).MatchString(preview.Body) {
		t.Error("the preview does not offer the similar name nearby as a duplicate")
	}
	if after, _ := e.app.Store.All(ctx); len(after) != len(before) {
		t.Fatalf("the preview wrote: %d listings, was %d", len(after), len(before))
	}
	action := regexp.MustCompile(`action="(/admin/import/[0-9a-f-]+)"`).FindStringSubmatch(preview.Body)
	if action == nil {
		t.Fatal("no confirm form")
	}
	// Merge the orgnr duplicate (default), skip the name duplicate (line 9).
	confirm := url.Values{"_csrf": {csrfOf(t, preview)}, "decision_9": {"skip"}}
	done := admin.post(action[1], confirm)
	if !strings.Contains(done.Body, "Nye: 2. Oppdatert: 0. Slått sammen: 1. Hoppet over: 1.") {
		t.Fatalf("confirm: %d %.800s", done.Status, done.Body)
	}
	merged := e.listing(existing.ID)
	if merged.Phone != "+4755999999" || merged.Name != "Syhjørnet" {
		t.Errorf("merge: phone %q name %q; want the phone filled in and the name kept", merged.Phone, merged.Name)
	}
	e.waitIndexed()
	if r := e.search(url.Values{"q": {"Sykkelfiks"}}); !contains(names(r), "Laksevåg Sykkelfiks") {
		t.Errorf("imported listing not found: %v", names(r))
	}
	created, err := e.app.Store.GetBySource(ctx, listing.SourceImport, "orgnr:987654325")
	if err != nil || created.District != "laksevag" || created.Phone != "+4755121212" || created.Website != "https://laksevagsykkel.no" {
		t.Errorf("created listing: %+v %v", created, err)
	}

	// The same file again changes nothing.
	count, _ := e.app.Store.All(ctx)
	again := admin.upload("verksteder.csv", file)
	if !strings.Contains(again.Body, "0 nye, 0 oppdateres, 3 uendret, 1 mulige duplikater, 5 med feil.") {
		t.Errorf("second preview: %.2000s", again.Body)
	}
	action = regexp.MustCompile(`action="(/admin/import/[0-9a-f-]+)"`).FindStringSubmatch(again.Body)
	admin.post(action[1], url.Values{"_csrf": {csrfOf(t, again)}, "decision_9": {"skip"}})
	if after, _ := e.app.Store.All(ctx); len(after) != len(count) {
		t.Errorf("the second import created listings: %d → %d", len(count), len(after))
	}
	if l := e.listing(created.ID); l.Version != created.Version {
		t.Errorf("the second import rewrote a listing: version %d → %d", created.Version, l.Version)
	}

	if a := admin.upload("tom.csv", "navn;telefon\nX;1"); a.Status != 400 || !strings.Contains(a.Body, "postnummer") {
		t.Errorf("a file without required columns: %d", a.Status)
	}
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}
