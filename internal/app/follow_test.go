package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/event"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

var followLink = regexp.MustCompile(`http://localhost:8080(/folg/[a-z]+\?t=[A-Za-z0-9_.%-]+(?:&lang=en)?)`)

func followLinkIn(t *testing.T, m testenv.Mail) string {
	t.Helper()
	found := followLink.FindStringSubmatch(m.Text)
	if found == nil {
		t.Fatalf("no follow link in %q: %s", m.Subject, m.Text)
	}
	return found[1]
}

// A resident follows a repair café with just an e-mail address: nothing is
// sent before the address confirms (opening the link is not enough), a new
// session is told once a day at most, and one click from the e-mail (a
// mail client's RFC 8058 post, without a form token) deletes the follow.
func TestFollowARepairCafeWithDoubleOptIn(t *testing.T) {
	e := start(t, setup{now: mustTime("2026-12-02T10:00:00+01:00"), trustedProxies: "127.0.0.1/32"}) // a proxy may name other clients
	e.seed()
	cafe := place("Reparasjonskafé Nordnes", nordnes, []string{"klaer"}, "")
	cafe.Kind, cafe.Address = listing.KindRepairCafe, listing.Address{Street: "Klosteret 1", Postcode: "5005", City: "Bergen"}
	e.create(cafe)
	ctx := context.Background()
	session := func(day string) {
		t.Helper()
		ev := &event.Event{ListingID: cafe.ID, Title: "Reparasjonskafé", Categories: []string{"klaer"}, Booking: event.BookingNone,
			Place: event.Place{Name: cafe.Name, Street: "Klosteret 1", Postcode: "5005", District: "bergenhus", Lat: nordnes[0], Lng: nordnes[1]},
			Start: mustTime(day + "T12:00:00+01:00"), Minutes: 180, UpdatedBy: "test"}
		if err := e.app.Store.SaveEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	session("2026-12-05")
	const resident = "beboer@example.no"
	v := e.visitor()
	form := v.get(paths.Follow + "?oppforing=" + cafe.Slug)
	if !strings.Contains(form.Body, "nye ganger hos Reparasjonskafé Nordnes") {
		t.Fatalf("the follow form: %d %.300s", form.Status, form.Body)
	}
	if a := v.post(paths.Follow, url.Values{"_csrf": {csrfOf(t, form)}, "oppforing": {cafe.Slug}, "email": {"ikke en adresse"}}); a.Status != 400 || !strings.Contains(a.Body, "gyldig e-postadresse") {
		t.Errorf("a bad address: %d", a.Status)
	}
	if a := v.post(paths.Follow, url.Values{"_csrf": {csrfOf(t, form)}, "oppforing": {cafe.Slug}, "email": {resident}}); a.Status != 200 || !strings.Contains(a.Body, "Sjekk e-posten din") {
		t.Fatalf("asking: %d", a.Status)
	}
	confirm := followLinkIn(t, e.mail.WaitFor(t, resident))
	send := func() int {
		t.Helper()
		n, err := e.app.Follows.Send(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	session("2026-12-12")
	if n := send(); n != 0 {
		t.Errorf("%d e-mails before confirming", n)
	}
	page := v.get(confirm)
	if page.Status != 200 || !strings.Contains(page.Body, "Ja, send meg e-post") || send() != 0 {
		t.Fatalf("opening the link confirmed it, or its page failed: %d", page.Status)
	}
	if a := v.post(strings.Split(confirm, "?")[0], url.Values{"_csrf": {csrfOf(t, page)}, "t": {strings.SplitN(confirm, "t=", 2)[1]}}); a.Status != 200 || !strings.Contains(a.Body, "Du får nå e-post om nye ganger hos Reparasjonskafé Nordnes") {
		t.Fatalf("confirming: %d %.300s", a.Status, a.Body)
	}
	if n := send(); n != 0 {
		t.Errorf("%d e-mails with nothing new since confirming", n)
	}

	e.clock.Set(mustTime("2026-12-02T11:00:00+01:00"))
	session("2026-12-19")
	before := mailsTo(e, resident)
	if n := send(); n != 1 {
		t.Fatalf("a new session: %d e-mails", n)
	}
	news := e.mail.All()[len(e.mail.All())-1]
	if news.To != resident || !strings.Contains(news.Text, "lørdag 19. desember kl. 12:00–15:00") || strings.Contains(news.Text, "5. desember") ||
		!strings.HasPrefix(news.Unsubscribe, "<http://localhost:8080/folg/avslutt?t=") || news.UnsubscribePost != "List-Unsubscribe=One-Click" {
		t.Errorf("the news: %+v", news)
	}
	e.clock.Set(mustTime("2026-12-02T12:00:00+01:00"))
	session("2026-12-26")
	if n := send(); n != 0 || mailsTo(e, resident) != before+1 {
		t.Errorf("a second e-mail the same day: %d", n)
	}

	// One click from the mail client.
	stop := strings.Trim(news.Unsubscribe, "<>")
	req, _ := http.NewRequest("POST", e.base+strings.TrimPrefix(stop, "http://localhost:8080"), strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if a := e.visitor().do(req); a.Status != 200 {
		t.Fatalf("one-click unsubscribe: %d %s", a.Status, a.Body)
	}
	if follows, _ := e.app.Store.ConfirmedFollows(ctx); len(follows) != 0 {
		t.Errorf("the follow is still kept: %+v", follows)
	}
	e.clock.Set(mustTime("2026-12-04T12:00:00+01:00"))
	session("2027-01-02")
	if n := send(); n != 0 {
		t.Errorf("%d e-mails after unsubscribing", n)
	}

	// Nobody floods an inbox through the form, from any number of clients:
	// three confirmations an hour.
	const victim = "offer@example.no"
	for i := range 5 {
		f := v.get(paths.Follow + "?oppforing=" + cafe.Slug)
		req, _ := http.NewRequest("POST", e.base+paths.Follow, strings.NewReader(url.Values{"_csrf": {csrfOf(t, f)},
			"oppforing": {cafe.Slug}, "email": {victim}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "203.0.113."+strconv.Itoa(10+i))
		if a := v.do(req); a.Status != 200 {
			t.Fatalf("asking again: %d", a.Status)
		}
	}
	if n := mailsTo(e, victim); n != 3 {
		t.Errorf("%d confirmation e-mails to one address in an hour, want 3", n)
	}
	// Unconfirmed follows are gone after a day.
	e.clock.Set(mustTime("2026-12-05T13:00:00+01:00"))
	send()
	if all, _, _ := e.app.Store.FollowsTo(ctx, victim, time.Time{}); all != 0 {
		t.Errorf("%d unconfirmed follows kept past a day", all)
	}
}

// Following a category in a district: a new repairer there is news.
func TestFollowNewRepairersOfACategoryInADistrict(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	ctx := context.Background()
	// A cobbler registered before the follow, waiting for verification.
	waiting := place("Skomaker Ulset", asane, []string{"sko"}, "")
	waiting.Status = listing.StatusPending
	e.create(waiting)
	v := e.visitor()
	results := v.get("/?district=asane&category=sko")
	link := regexp.MustCompile(`href="(/folg\?[^"]+)"`).FindStringSubmatch(results.Body)
	if link == nil {
		t.Fatal("the results do not offer to follow the category in the district")
	}
	form := v.get(strings.ReplaceAll(link[1], "&amp;", "&"))
	if a := v.post(paths.Follow, url.Values{"_csrf": {csrfOf(t, form)}, "category": {"sko"}, "district": {"asane"}, "email": {"sko@example.no"}}); a.Status != 200 {
		t.Fatalf("asking: %d", a.Status)
	}
	confirm := followLinkIn(t, e.mail.WaitFor(t, "sko@example.no"))
	page := v.get(confirm)
	v.post(strings.Split(confirm, "?")[0], url.Values{"_csrf": {csrfOf(t, page)}, "t": {strings.SplitN(confirm, "t=", 2)[1]}})
	e.clock.Set(e.clock.Now().Add(time.Minute))
	e.create(place("Skomaker Åsane", asane, []string{"sko"}, "Mo-Fr 10:00-17:00"))
	e.create(place("Skredder Åsane", asane, []string{"klaer"}, ""))
	verified := e.listing(waiting.ID)
	verified.Status = listing.StatusPublished
	if err := e.app.Listings.Update(ctx, verified, listing.Change{Actor: "admin:test", Action: listing.ActionVerify}); err != nil {
		t.Fatal(err)
	}
	if n, err := e.app.Follows.Send(ctx); err != nil || n != 1 {
		t.Fatalf("news: %d %v", n, err)
	}
	m := e.mail.WaitFor(t, "sko@example.no")
	if !strings.Contains(m.Subject, "nye reparatører for Sko, vesker og lær i Åsane") || !strings.Contains(m.Text, "Skomaker Åsane") ||
		!strings.Contains(m.Text, "Skomaker Ulset") || strings.Contains(m.Text, "Skredder") {
		t.Errorf("the news: %s\n%s", m.Subject, m.Text)
	}
}
