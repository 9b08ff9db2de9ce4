package app_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/owner"
)

func TestRegisterListing(t *testing.T) {
	e := start(t, setup{})
	ctx := context.Background()
	v := e.visitor()
	if a := v.signIn("ny@syverksted.no", "/min-side/ny"); a.Location != "/min-side/ny" {
		t.Fatalf("sign-in did not lead back to the form: %q", a.Location)
	}
	blank := formValues(t, v.get("/min-side/ny").Body, "listing-form")
	fill := func() url.Values {
		f := url.Values{}
		for k, vs := range blank {
			f[k] = vs
		}
		f.Set("name", "Syverkstedet på Møhlenpris")
		f.Set("org_number", "987654325")
		f.Add("category", "klaer")
		f.Set("services", "glidelås, oppleggsøm")
		f.Set("street", "Konsul Børs gate 1")
		f.Set("postcode", "5006")
		f.Set("phone", "55 12 34 56")
		f.Set("h0_0_from", "10:00") // Monday 10–14 and 15–18
		f.Set("h0_0_to", "14:00")
		f.Set("h0_1_from", "15:00")
		f.Set("h0_1_to", "18:00")
		f.Set("h4_0_from", "20:00") // Friday evening past midnight
		f.Set("h4_0_to", "01:00")
		f.Set("holidays_closed", "on")
		f.Set("x0_from", "2027-07-05") // summer closure, three weeks
		f.Set("x0_to", "2027-07-25")
		f.Set("x1_from", "2026-12-24") // Christmas Eve, every year
		f.Set("x1_open", "10:00")
		f.Set("x1_close", "13:00")
		f.Set("x1_yearly", "on")
		f.Set("price_info", "Glidelås fra 250 kr")
		f.Set("price_from_nok", "250")
		f.Set("voucher", "on")
		f.Set("wheelchair", "yes")
		return f
	}

	// Problems are shown at their fields, all at once, in the visitor's language.
	bad := fill()
	bad.Set("org_number", "")
	bad.Set("phone", "12")
	bad.Set("h2_0_from", "9")
	bad.Set("h2_0_to", "17:00")
	refused := v.post("/min-side/ny", bad)
	if refused.Status != 400 {
		t.Fatalf("bad form: %d", refused.Status)
	}
	for _, want := range []string{`id="phone"[^>]*aria-invalid="true"`, `id="h2_0_from"[^>]*aria-invalid="true"`, `href="#org_number"`, `Skriv et gyldig telefonnummer`} {
		if !regexp.MustCompile(want).MatchString(refused.Body) {
			t.Errorf("the refused form lacks %s", want)
		}
	}
	if !strings.Contains(refused.Body, `value="Syverkstedet på Møhlenpris"`) {
		t.Error("the refused form lost what was typed")
	}
	// In English too.
	bad.Set("lang", "en")
	if en := v.post("/min-side/ny?lang=en", bad); !strings.Contains(en.Body, "Enter a valid phone number") {
		t.Errorf("English form errors: %d", en.Status)
	}
	v.get("/min-side?lang=nb")

	// Outside Bergen is refused.
	oslo := fill()
	oslo.Set("lat", "59.9139")
	oslo.Set("lng", "10.7522")
	if a := v.post("/min-side/ny", oslo); a.Status != 400 || !strings.Contains(a.Body, "utenfor Bergen kommune") {
		t.Errorf("a place in Oslo: %d", a.Status)
	}

	// A good form: stored as pending, placed at the postcode's centre.
	if a := v.post("/min-side/ny", fill()); a.Status != 303 || a.Location != "/min-side?melding=registered" {
		t.Fatalf("register: %d %.400s", a.Status, a.Body)
	}
	u, err := e.app.Store.UserByEmail(ctx, "ny@syverksted.no")
	if err != nil {
		t.Fatal(err)
	}
	owned, err := e.app.Store.Listings(ctx, u.ID)
	if err != nil || len(owned) != 1 {
		t.Fatalf("owned listings: %d %v", len(owned), err)
	}
	l := owned[0]
	if l.Status != listing.StatusPending || l.Source.Kind != listing.SourceOwner || l.District != "bergenhus" ||
		l.Phone != "+4755123456" || *l.PriceFromNOK != 250 || l.AcceptsRepairVoucher || l.WheelchairAccessible != "yes" {
		t.Errorf("stored %+v", l)
	}
	h := l.OpeningHours
	if len(h.Week[0]) != 2 || h.Week[4][0] != (openinghours.Interval{Start: 20 * 60, End: 25 * 60}) || !h.HolidayRule || len(h.Exceptions) != 22 {
		t.Errorf("hours %+v", h)
	}
	// Open at 11 on a Monday, closed on 6 July 2027 (summer) and after 13:00 on any Christmas Eve.
	for _, c := range []struct {
		at   string
		open bool
	}{{"2026-11-23T11:00:00+01:00", true}, {"2027-07-06T11:00:00+02:00", false}, {"2029-12-24T12:00:00+01:00", true}, {"2029-12-24T14:00:00+01:00", false}} {
		if got := h.OpenAt(mustTime(c.at)); got != c.open {
			t.Errorf("open at %s: %v, want %v", c.at, got, c.open)
		}
	}
	// Pending means invisible to the public.
	e.waitIndexed()
	if status, _ := e.get("/reparator/" + l.Slug); status != 404 {
		t.Errorf("the pending listing's page: %d", status)
	}
	if r := e.search(url.Values{"q": {"syverkstedet"}}); r.Total != 0 {
		t.Errorf("the pending listing is found: %v", names(r))
	}
	if mine := v.get("/min-side"); !strings.Contains(mine.Body, "Venter på kontroll") {
		t.Error("Min side does not say the listing waits for review")
	}
	// The edit form shows the hours as they were entered, the closure as one row.
	edit := formValues(t, v.get("/min-side/oppforing/"+l.ID).Body, "listing-form")
	if edit.Get("x1_from") != "2027-07-05" || edit.Get("x1_to") != "2027-07-25" || edit.Get("h4_0_to") != "01:00" || edit.Get("x0_yearly") != "on" || edit.Get("phone") != "55 12 34 56" {
		t.Errorf("edit form hours: %v", edit)
	}
	// A repair café needs no organisation number.
	cafe := fill()
	cafe.Set("name", "Reparasjonskafé Møhlenpris")
	cafe.Set("org_number", "")
	cafe.Del("category")
	cafe.Set("category", "reparasjonskafe")
	if a := v.post("/min-side/ny", cafe); a.Status != 303 {
		t.Errorf("a repair café without organisation number: %d", a.Status)
	}
}

func TestStillCorrectReminders(t *testing.T) {
	e := start(t, setup{})
	ctx := context.Background()
	l := e.create(place("Sykkelfiks Årstad", danmarksplass, []string{"sykkel"}, "Mo-Fr 10:00-18:00"))
	u, err := e.app.Store.EnsureUser(ctx, "eier@sykkelfiks.no", auth.RoleOwner, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.app.Owners.Submit(ctx, u, l, "Eva Eier", "owner")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Owners.Decide(ctx, c.ID, true, "test"); err != nil {
		t.Fatal(err)
	}
	if c.Status != owner.StatusPending {
		t.Errorf("a claim from another domain was decided at once: %s", c.Status)
	}
	// Nothing is due before 90 days.
	if err := e.app.Reminders.SendDue(ctx); err != nil || len(e.mail.All()) != 0 {
		t.Fatalf("reminders at day 0: %d %v", len(e.mail.All()), err)
	}
	e.clock.Set(e.clock.Now().Add(91 * 24 * time.Hour))
	for i := 0; i < 3; i++ { // the job runs again and again: one e-mail per period
		if err := e.app.Reminders.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(e.mail.All()); n != 1 {
		t.Fatalf("%d reminders for one period", n)
	}
	m := e.mail.WaitFor(t, "eier@sykkelfiks.no")
	if !strings.Contains(m.Subject, "Stemmer alt for Sykkelfiks Årstad?") || !strings.Contains(m.Text, "/min-side/oppforing/"+l.ID) {
		t.Errorf("reminder %q\n%s", m.Subject, m.Text)
	}
	link := signInLink(t, m.Text)
	token, _ := url.ParseQuery(strings.SplitN(link, "?", 2)[1])

	// Following the link (a mail scanner) confirms nothing.
	v := e.visitor()
	page := v.get(link)
	if page.Status != 200 || !strings.Contains(page.Body, "Ja, alt stemmer") {
		t.Fatalf("confirm page: %d", page.Status)
	}
	if got, _ := e.app.Store.Get(ctx, l.ID); got.ConfirmedAt != nil {
		t.Fatal("opening the link confirmed the listing")
	}
	forged := token.Get("token")[:len(token.Get("token"))-2] + "xx"
	if a := v.post("/min-side/bekreft", url.Values{"_csrf": {csrfOf(t, page)}, "token": {forged}}); a.Status != 410 {
		t.Errorf("a forged token: %d", a.Status)
	}
	done := v.post("/min-side/bekreft", url.Values{"_csrf": {csrfOf(t, page)}, "token": {token.Get("token")}})
	if done.Status != 200 || !strings.Contains(done.Body, "Takk!") {
		t.Fatalf("confirming: %d", done.Status)
	}
	got, _ := e.app.Store.Get(ctx, l.ID)
	if got.ConfirmedAt == nil || !got.ConfirmedAt.Equal(e.clock.Now().UTC()) {
		t.Errorf("confirmed_at %v", got.ConfirmedAt)
	}
	if a := v.post("/min-side/bekreft", url.Values{"_csrf": {csrfOf(t, page)}, "token": {token.Get("token")}}); a.Status != 410 {
		t.Errorf("a used link: %d", a.Status)
	}
	if _, body := e.get("/reparator/" + l.Slug); !strings.Contains(string(body), "Sist bekreftet av bedriften") {
		t.Error("the listing page does not show the confirmation")
	}

	// A restarted service (a new reminder service over the same store)
	// sends nothing new in the confirmed period, and asks again 90 days on.
	again := *e.app.Reminders
	if err := again.SendDue(ctx); err != nil || len(e.mail.All()) != 1 {
		t.Errorf("after confirming: %d e-mails %v", len(e.mail.All()), err)
	}
	e.clock.Set(e.clock.Now().Add(91 * 24 * time.Hour))
	if err := again.SendDue(ctx); err != nil || len(e.mail.All()) != 2 {
		t.Errorf("the next period: %d e-mails %v", len(e.mail.All()), err)
	}
}
