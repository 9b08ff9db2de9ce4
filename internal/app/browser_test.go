package app_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/event"
	"github.com/bergenreparerer/reparerer/internal/follow"
	"github.com/bergenreparerer/reparerer/internal/geocoder/geocodertest"
	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/quote"
	"github.com/bergenreparerer/reparerer/internal/register/registertest"
	"github.com/bergenreparerer/reparerer/internal/report"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
	"github.com/bergenreparerer/reparerer/internal/testenv"
	"github.com/bergenreparerer/reparerer/internal/tip"
)

// TestBrowser boots the service with the real OpenStreetMap repair places
// of Bergen and runs the browser tests of frontend/e2e against it: Debian's
// chromium driven by playwright-core, with axe-core for WCAG 2.1 A/AA. The
// clock is pinned to Monday 23 November 2026, 11:00 in Bergen, so the
// "open now" lines the tests expect are fixed.
func TestBrowser(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	frontend := filepath.Join(root, "frontend")
	if _, err := os.Stat(filepath.Join(frontend, "node_modules", "playwright-core")); err != nil {
		t.Fatal("frontend/node_modules is missing: run scripts/build-frontend.sh (scripts/test.sh does)")
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("no chromium at %s: run scripts/provision-browser.sh (scripts/test.sh does)", chromium)
	}

	// Stand-ins for the register and the address API, for onboarding.
	register := registertest.Start(t, registertest.Unit{OrgNumber: "912000028", Name: "FIKS MOBIL BERGEN", OrgForm: "BEDR",
		Street: "Strandgaten 1", Postcode: "5013", City: "Bergen", Municipality: "4601", Codes: []string{"95.12"}})
	addresses := geocodertest.Start(t,
		geocodertest.Address{Text: "Strandgaten 1", Postcode: "5013", City: "BERGEN", Municipality: "4601", Lat: 60.3946, Lon: 5.3241},
		geocodertest.Address{Text: "Strandgaten 3", Postcode: "5013", City: "BERGEN", Municipality: "4601", Lat: 60.3948, Lon: 5.3239})
	e := start(t, setup{registerURL: register.URL, geocoderURL: addresses.URL})
	importRealData(t, e)
	bike := place("Sykkelfikseren Møhlenpris", nordnes, []string{"sykkel"}, "Mo-Fr 08:00-16:00; Sa 10:00-14:00; PH off; Dec 24 off")
	bike.Services = []string{"punktering", "girjustering"}
	bike.Phone, bike.Website = "+4755000000", "https://sykkelfikseren.example/verksted"
	bike.AcceptsRepairVoucher = true
	price := 150
	bike.PriceFromNOK, bike.PriceInfo = &price, "Punktering 150 kr, service fra 600 kr"
	verified := mustTime("2026-10-01T10:00:00+02:00")
	bike.VerifiedAt, bike.VerifiedBy = &verified, "test@bergen.kommune.no"
	bike.Email, bike.Conditions.QuoteRequests = "post@sykkelfikseren.example", "yes"
	e.create(bike)
	e.waitIndexed()
	session := ownerSession(t, e, bike)
	adminSession, pendingID := adminSetup(t, e)
	importRun := importUnderWay(t, e)
	quoteConfirm, quoteAnswer, quoteView := quoteSteps(t, e, bike)
	cafe, followConfirm := sessionsAndBus(t, e)

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	args := []string{"--test", "--test-concurrency=1"}
	if p := os.Getenv("E2E_PATTERN"); p != "" { // to run some of them while working on them
		args = append(args, "--test-name-pattern="+p)
	}
	cmd := exec.CommandContext(ctx, "node", append(args, "e2e/")...)
	cmd.Dir = frontend
	cmd.Env = append(os.Environ(),
		"BASE_URL="+e.base,
		"CHROMIUM="+chromium,
		"ARTIFACTS="+filepath.Join(root, "test-artifacts"),
		"SESSION="+session, "EDIT_PATH=/min-side/oppforing/"+bike.ID,
		"ADMIN_SESSION="+adminSession, "PENDING_PATH=/admin/oppforing/"+pendingID, "IMPORT_RUN_PATH="+importRun,
		"QUOTE_REQUEST_PATH="+paths.QuoteRequest(bike.Slug), "QUOTE_CONFIRM_PATH="+quoteConfirm,
		"QUOTE_ANSWER_PATH="+quoteAnswer, "QUOTE_VIEW_PATH="+quoteView,
		"CAFE_PATH="+paths.Listing(cafe.Slug), "OWNER_EVENTS_PATH="+paths.OwnerEvents(bike.ID), "FOLLOW_CONFIRM_PATH="+followConfirm,
		"FOLLOW_STOP_PATH="+followStopPath(t, e, followConfirm),
	)
	out, err := cmd.CombinedOutput()
	t.Logf("browser tests:\n%s", out)
	if err != nil {
		t.Fatalf("browser tests failed: %v", err)
	}
}

// sessionsAndBus gives the browser tests a repair café with weekly
// sessions (one called off), a route of the repair bus with a stop and a
// locker, and a follow waiting for its confirmation (whose link it
// returns).
func sessionsAndBus(t *testing.T, e *env) (*listing.Listing, string) {
	t.Helper()
	ctx := context.Background()
	cafe := place("Reparasjonskafé Møhlenpris", nordnes, []string{"klaer", "elektronikk"}, "")
	cafe.Kind, cafe.Address = listing.KindRepairCafe, listing.Address{Street: "Klosteret 1", Postcode: "5005", City: "Bergen"}
	e.create(cafe)
	at := event.Place{Name: cafe.Name, Street: "Klosteret 1", Postcode: "5005", City: "Bergen", District: "bergenhus", Lat: nordnes[0], Lng: nordnes[1]}
	sessions := &event.Event{ListingID: cafe.ID, Title: "Reparasjonskafé", Categories: []string{"klaer", "elektronikk"}, Place: at,
		Start: mustTime("2026-11-28T12:00:00+01:00"), Minutes: 180, RRule: "FREQ=WEEKLY;BYDAY=SA", Cancelled: []string{"2026-12-05"},
		Booking: event.BookingRecommended, BookingURL: "https://kafe.example/pamelding", UpdatedBy: "test"}
	route := &event.Route{Name: "Reparasjonsbussen", TakesNB: "Sko, klær og sykler", TakesEN: "Shoes, clothes and bikes", Categories: []string{"sko", "klaer", "sykkel"},
		Lockers: []event.Locker{{Place: event.Place{Name: "Skap ved Åsane bibliotek", Postcode: "5116", City: "Ulset", District: "asane", Lat: 60.4621, Lng: 5.3242}, Hours: "Mo-Su 07:00-22:00"}}}
	if err := e.app.Store.SaveEvent(ctx, sessions); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Store.SaveRoute(ctx, route); err != nil {
		t.Fatal(err)
	}
	stop := &event.Event{RouteID: route.ID, Title: "Åsane senter", Categories: route.Categories, Booking: event.BookingNone,
		Place: event.Place{Name: "Åsane senter", Postcode: "5116", City: "Ulset", District: "asane", Lat: 60.4650, Lng: 5.3220},
		Start: mustTime("2026-11-24T15:00:00+01:00"), Minutes: 180, RRule: "FREQ=WEEKLY;BYDAY=TU", UpdatedBy: "test"}
	if err := e.app.Store.SaveEvent(ctx, stop); err != nil {
		t.Fatal(err)
	}
	e.waitIndexed()
	if err := e.app.Follows.Ask(ctx, follow.Request{Email: "kafegjest@example.test", Lang: "nb", ListingID: cafe.ID}); err != nil {
		t.Fatal(err)
	}
	confirm := followLink.FindStringSubmatch(e.mail.WaitFor(t, "kafegjest@example.test").Text)
	if confirm == nil {
		t.Fatal("no confirmation link")
	}
	return cafe, confirm[1]
}

// followStopPath is the unsubscribe link of the follow a confirmation
// link belongs to (confirming it, as its button would).
func followStopPath(t *testing.T, e *env, confirm string) string {
	t.Helper()
	token, err := url.QueryUnescape(strings.SplitN(confirm, "t=", 2)[1])
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.app.Follows.Confirm(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(e.app.Follows.UnsubscribeURL(f), "http://localhost:8080")
}

// quoteSteps leaves quote requests to l at each step, and returns the
// links of each: the resident's confirmation, the repairer's form, and
// the resident's page with the answer.
func quoteSteps(t *testing.T, e *env, l *listing.Listing) (confirm, answer, view string) {
	t.Helper()
	ctx, now := context.Background(), e.clock.Now()
	ask := func(confirmToken string) *quote.Request {
		r := &quote.Request{ListingID: l.ID, District: l.District, Category: "sykkel", Brand: "DBS", Fault: "Bakbremsen tar ikke",
			Email: "syklist@example.test", Lang: "nb", Status: quote.StatusUnconfirmed, CreatedAt: now, DeleteAfter: now.Add(quote.ConfirmWithin)}
		if err := e.app.Store.CreateQuote(ctx, r, auth.Hash(confirmToken)); err != nil {
			t.Fatal(err)
		}
		return r
	}
	ask("browser-confirm")
	for _, token := range []string{"browser-answer", "browser-answered"} {
		r := ask(token + "-c")
		expires := now.Add(quote.AnswerWithin)
		if err := e.app.Store.ConfirmQuote(ctx, r.ID, auth.Hash(token), now, expires, expires.Add(quote.Retention)); err != nil {
			t.Fatal(err)
		}
	}
	price := 450
	r, err := e.app.Quotes.Answer(ctx, "browser-answered", quote.Answer{Good: "DBS bysykkel", Defect: "Slitt bremsekabel",
		Repair: "Ny kabel og justering", PriceNOK: &price, Days: 2, Loaner: "free", HandOver: "in_shop"}, 30)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.Store.SetQuoteMail(ctx, r.ID, "", "resident", auth.Hash("browser-view")); err != nil {
		t.Fatal(err)
	}
	return paths.QuoteConfirm("browser-confirm"), paths.QuoteAnswer("browser-answer"), paths.QuoteView("browser-view")
}

// importUnderWay is the progress page of an import being written (by
// another instance, as it were: 1,200 of 5,000 rows in a minute; the
// pinned clock keeps it from stalling).
func importUnderWay(t *testing.T, e *env) string {
	t.Helper()
	ctx := context.Background()
	up, _, err := e.app.Imports.Preview(ctx, "verksteder.csv", []byte("navn;postnummer;kategori\nSkomaker Kø;5003;sko\n"), editorEmail)
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	if ok, err := e.app.Store.StartRun(ctx, up.ID, 5000, now.Add(-time.Minute), now.Add(-time.Minute)); !ok || err != nil {
		t.Fatalf("start the run: %v %v", ok, err)
	}
	if err := e.app.Store.ProgressRun(ctx, up.ID, 1200, now); err != nil {
		t.Fatal(err)
	}
	return paths.ImportConfirm(up.ID)
}

// ownerSession makes l owned by a repairer and returns a signed-in
// session of theirs, spent from a sign-in link as a browser would.
func ownerSession(t *testing.T, e *env, l *listing.Listing) string {
	t.Helper()
	ctx := context.Background()
	token, _, err := e.app.Auth.RequestLink(ctx, "eier@sykkelfikseren.example", "")
	if err != nil {
		t.Fatal(err)
	}
	session, _, err := e.app.Auth.SpendLink(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.app.Store.UserByEmail(ctx, "eier@sykkelfikseren.example")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Owners.Submit(ctx, u, l, "Siri Sykkel", "owner", ""); err != nil { // same domain: approved
		t.Fatal(err)
	}
	return session
}

// adminSetup signs an editor in and leaves work in the queue: a waiting
// registration and an error report. It returns the session and the
// waiting listing's id.
func adminSetup(t *testing.T, e *env) (string, string) {
	t.Helper()
	ctx := context.Background()
	u, err := e.app.Store.EnsureUser(ctx, editorEmail, auth.RoleAdmin, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.Store.SetRole(ctx, u.ID, auth.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	token, _, err := e.app.Auth.RequestLink(ctx, editorEmail, "")
	if err != nil {
		t.Fatal(err)
	}
	session, _, err := e.app.Auth.SpendLink(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	waiting := place("Nye Sko Møhlenpris", [2]float64{60.3835, 5.3215}, []string{"sko"}, "Mo-Fr 10:00-17:00")
	waiting.Status = listing.StatusPending
	e.owned(waiting, "ny@nyesko.no")
	if err := e.app.Store.CreateReport(ctx, &report.Report{ListingID: waiting.ID, Reason: "hours", Message: "Stengt på mandager."}); err != nil {
		t.Fatal(err)
	}
	// A suggestion and a tip, so that the queue shows every section.
	if _, err := e.app.Store.RaiseSuggestions(ctx, []suggestion.Suggestion{{ListingID: waiting.ID, Field: "phone", Proposed: "+4755112233",
		Source: listing.SourceOSM, Evidence: "OpenStreetMap node/1"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Store.CreateTip(ctx, &tip.Tip{Name: "Kokstad Hvitevare", Where: "Kokstadvegen 1", Category: "hvitevarer"}); err != nil {
		t.Fatal(err)
	}
	return session, waiting.ID
}

// importRealData imports the OpenStreetMap snapshot of scripts/data, as
// scripts/run.sh does.
func importRealData(t *testing.T, e *env) {
	t.Helper()
	data, addresses := testenv.OSMSnapshot(t)
	im := &importer.Importer{Listings: e.app.Listings, Districts: e.app.Districts, Suggestions: e.app.Store}
	report, err := im.ImportOSM(context.Background(), data, addresses)
	if err != nil {
		t.Fatal(err)
	}
	if report.Imported != 79 {
		t.Fatalf("imported %d places, want the snapshot's 25 repair, 44 second-hand and 10 rental places", report.Imported)
	}
}
