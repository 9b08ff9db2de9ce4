package app_test

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	arran "github.com/arran4/golang-ical"

	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
)

// nextSessions reads the hits' next_session from a search.
func (e *env) nextSessions(params url.Values) map[string]string {
	e.t.Helper()
	_, body := e.get("/api/v1/search?" + params.Encode())
	var r struct {
		Hits []struct {
			Name        string `json:"name"`
			OpenNow     *bool  `json:"open_now"`
			NextSession *struct {
				Start time.Time `json:"start"`
			} `json:"next_session"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		e.t.Fatalf("%v: %s", err, body)
	}
	out := map[string]string{}
	for _, h := range r.Hits {
		out[h.Name] = ""
		if h.NextSession != nil {
			out[h.Name] = h.NextSession.Start.Format(time.RFC3339)
		}
		if h.OpenNow != nil && *h.OpenNow {
			out[h.Name] += " open"
		}
	}
	return out
}

// A repair café's owner publishes weekly Saturday sessions with a date
// left out and one called off. Residents find the next session on the
// card, the page, the map's data and the calendar; "open at" counts a
// session and nothing else; the iCal feed says the same in a calendar
// parser.
func TestRepairCafeSessionsThroughSearchPageAndICal(t *testing.T) {
	e := start(t, setup{now: mustTime("2026-12-02T10:00:00+01:00")}) // a Wednesday
	e.seed()
	cafe := place("Reparasjonskafé Nordnes", nordnes, []string{"klaer", "elektronikk"}, "")
	cafe.Kind, cafe.Address = listing.KindRepairCafe, listing.Address{Street: "Klosteret 1", Postcode: "5005", City: "Bergen"}
	cafe, _ = e.owned(cafe, "kafe@example.no")
	e.waitIndexed()

	v := e.signIn(t, "kafe@example.no")
	newForm := paths.OwnerEvent(cafe.ID, "ny")
	fields := url.Values{"title": {"Reparasjonskafé"}, "category": {"klaer", "elektronikk"}, "date": {"2026-12-05"},
		"start": {"12:00"}, "end": {"15:00"}, "repeat": {"weekly"}, "except": {"2026-12-26"}, "cancelled": {"2026-12-12"},
		"booking": {"none"}, "place": {"listing"}}
	bad := url.Values{}
	for k, vs := range fields {
		bad[k] = vs
	}
	bad.Set("end", "11:00")
	bad.Set("start", "25:00")
	if a := v.act(newForm, newForm, bad); a.Status != 400 || !strings.Contains(a.Body, "TT:MM") || !strings.Contains(a.Body, `id="start" name="start" type="time" value="25:00" aria-invalid="true"`) {
		t.Fatalf("a bad time: %d %.300s", a.Status, a.Body)
	}
	if a := v.act(newForm, newForm, fields); a.Status != 303 {
		t.Fatalf("publishing the sessions: %d %.500s", a.Status, a.Body)
	}
	if list := v.get(paths.OwnerEvents(cafe.ID)); !strings.Contains(list.Body, "Hver uke") || !strings.Contains(list.Body, "lørdag 5. desember kl. 12:00–15:00") {
		t.Errorf("the owner's list: %.500s", list.Body)
	}
	e.waitIndexed()

	// The card: the next session, and not open now (Wednesday).
	if got := e.nextSessions(url.Values{"category": {"klaer"}})[cafe.Name]; got != "2026-12-05T12:00:00+01:00" {
		t.Errorf("next_session %q", got)
	}
	at := func(when string) bool {
		return strings.Contains(strings.Join(names(e.search(url.Values{"category": {"klaer"}, "open_at": {when}})), ","), cafe.Name)
	}
	for when, want := range map[string]bool{
		"2026-12-05T12:30:00+01:00": true,  // the first session
		"2026-12-05T15:30:00+01:00": false, // after it
		"2026-12-12T13:00:00+01:00": false, // called off
		"2026-12-19T13:00:00+01:00": true,
		"2026-12-26T13:00:00+01:00": false, // left out
		"2026-12-09T13:00:00+01:00": false, // a Wednesday
	} {
		if got := at(when); got != want {
			t.Errorf("open at %s: %v, want %v", when, got, want)
		}
	}
	page := e.visitor().get("/?category=klaer")
	if !strings.Contains(page.Body, "Neste gang: lørdag 5. desember kl. 12:00–15:00") {
		t.Error("the result card does not say when the next session is")
	}
	listingPage := e.visitor().get(paths.Listing(cafe.Slug))
	for _, want := range []string{"Neste ganger", "lørdag 5. desember kl. 12:00–15:00", "lørdag 12. desember kl. 12:00–15:00", "Avlyst",
		"lørdag 19. desember", "EventCancelled", paths.ListingFeed(cafe.Slug)} {
		if !strings.Contains(listingPage.Body, want) {
			t.Errorf("the listing page lacks %q", want)
		}
	}
	if strings.Contains(listingPage.Body, "26. desember") {
		t.Error("the listing page shows the date left out")
	}
	if !strings.Contains(listingPage.Body, `id="status-line">Neste gang: lørdag 5. desember kl. 12:00–15:00<`) {
		t.Error("the status line of a café without hours does not say when it is next open")
	}
	calendar := e.visitor().get(paths.Calendar + "?district=bergenhus")
	if calendar.Status != 200 || !strings.Contains(calendar.Body, "Reparasjonskafé") || !strings.Contains(calendar.Body, "lørdag 5. desember") {
		t.Errorf("the calendar: %d", calendar.Status)
	}
	if elsewhere := e.visitor().get(paths.Calendar + "?district=fana"); strings.Contains(elsewhere.Body, "Reparasjonskafé Nordnes") {
		t.Error("the calendar does not filter by district")
	}
	if status, _ := e.get(paths.CalendarFeed + "?district=atlantis"); status != 400 {
		t.Errorf("an unknown district in the feed: %d", status)
	}

	// While a session runs, the café is open now.
	e.clock.Set(mustTime("2026-12-05T12:30:00+01:00"))
	if got := e.nextSessions(url.Values{"category": {"klaer"}, "open_now": {"true"}})[cafe.Name]; got != "2026-12-05T12:00:00+01:00 open" {
		t.Errorf("during the session: %q", got)
	}
	if during := e.visitor().get(paths.Listing(cafe.Slug)); !strings.Contains(during.Body, `status-open" id="status-line">Åpent nå – stenger 15:00<`) {
		t.Error("the listing page's status line does not say the café is open during a session")
	}
	e.clock.Set(mustTime("2026-12-02T10:00:00+01:00"))

	// The feed, read by a calendar parser.
	status, feed := e.get(paths.ListingFeed(cafe.Slug))
	if status != 200 {
		t.Fatalf("feed: %d", status)
	}
	cal, err := arran.ParseCalendar(strings.NewReader(string(feed)))
	if err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, feed)
	}
	var rule, exdate, cancelled string
	for _, ev := range cal.Events() {
		if p := ev.GetProperty(arran.ComponentPropertyRrule); p != nil {
			rule = p.Value
		}
		if p := ev.GetProperty(arran.ComponentPropertyExdate); p != nil {
			exdate = p.Value
		}
		if p := ev.GetProperty(arran.ComponentPropertyRecurrenceId); p != nil && ev.GetProperty(arran.ComponentPropertyStatus).Value == "CANCELLED" {
			cancelled = p.Value
		}
	}
	if rule != "FREQ=WEEKLY;BYDAY=SA" || exdate != "20261226T120000" || cancelled != "20261212T120000" {
		t.Errorf("feed: rule %q exdate %q cancelled %q\n%s", rule, exdate, cancelled, feed)
	}
	if _, all := e.get(paths.CalendarFeed + "?category=klaer"); !strings.Contains(string(all), "SUMMARY:Reparasjonskafé – Reparasjonskafé Nordnes") {
		t.Errorf("the whole calendar's feed: %s", all)
	}
	if _, none := e.get(paths.CalendarFeed + "?category=sykkel"); strings.Contains(string(none), "Reparasjonskafé") {
		t.Error("the feed does not filter by category")
	}

	// Somebody else cannot touch the café's sessions.
	other := e.signIn(t, "annen@example.no")
	if a := other.get(paths.OwnerEvents(cafe.ID)); a.Status != 403 && a.Status != 404 {
		t.Errorf("another account sees the café's events: %d", a.Status)
	}
	id := regexp.MustCompile(`/arrangementer/([0-9a-f-]{36})`).FindStringSubmatch(v.get(paths.OwnerEvents(cafe.ID)).Body)
	if id == nil {
		t.Fatal("no event link on the owner's list")
	}
	forged := url.Values{"_csrf": {csrfOf(t, other.get("/min-side"))}}
	if a := other.post(paths.OwnerEvent(cafe.ID, id[1], "slett"), forged); a.Status != 403 && a.Status != 404 {
		t.Errorf("another account deleted the café's event: %d", a.Status)
	}
	// The audit log has it.
	history, err := e.app.Store.History(t.Context(), cafe.ID)
	if err != nil || history[len(history)-1].Action != listing.ActionEvent {
		t.Errorf("audit: %v %+v", err, history)
	}
}

// The municipality publishes the repair bus: a route, a stop in Åsane and
// a locker. A search that finds nobody in Åsane offers the bus; the bus's
// page finds the nearest stop from a postcode; the calendar feed has it.
func TestRepairBusFromAnEmptyDistrictSearch(t *testing.T) {
	e := start(t, setup{})
	e.seed()
	admin := e.adminVisitor()
	post := func(fields url.Values, want int) answer {
		t.Helper()
		a := admin.act(paths.AdminBus, paths.AdminBus, fields)
		if a.Status != want {
			t.Fatalf("%v: %d, want %d: %.400s", fields, a.Status, want, a.Body)
		}
		return a
	}
	post(url.Values{"action": {"stop"}, "stop_name": {"Åsane senter"}, "stop_postcode": {"5116"}, "weekday": {"1"}, "from": {"15:00"}, "to": {"18:00"}}, 400)
	post(url.Values{"action": {"route"}, "name": {"Reparasjonsbussen"}, "takes_nb": {"Sko, klær og sykler"}, "category": {"sko", "klaer", "sykkel"}}, 303)
	post(url.Values{"action": {"stop"}, "stop_name": {"Åsane senter"}, "stop_postcode": {"5116"}, "weekday": {"1"}, "from": {"15:00"}, "to": {"18:00"}}, 303)
	post(url.Values{"action": {"stop"}, "stop_name": {"Oslo S"}, "stop_postcode": {"0150"}, "weekday": {"1"}, "from": {"15:00"}, "to": {"18:00"}}, 400)
	post(url.Values{"action": {"locker"}, "locker_name": {"Skap ved Åsane bibliotek"}, "locker_postcode": {"5116"}, "locker_hours": {"Mo-Su 07:00-22:00"}}, 303)
	post(url.Values{"action": {"locker"}, "locker_name": {"Skap"}, "locker_postcode": {"5116"}, "locker_hours": {"whenever"}}, 400)

	empty := e.understood(url.Values{"district": {"asane"}, "category": {"sko"}})
	var offer string
	for _, a := range empty.Alternatives {
		if a.Reason == "bus_stop" {
			offer = a.Label
		}
	}
	if empty.Total != 0 || offer != "Reparasjonsbussen: Åsane senter, tirsdag 15:00–18:00" {
		t.Errorf("an empty Åsane search: %d hits, bus offer %q in %+v", empty.Total, offer, empty.Alternatives)
	}
	for _, a := range e.understood(url.Values{"district": {"arna"}, "category": {"sko"}}).Alternatives {
		if a.Reason == "bus_stop" {
			t.Error("the bus is offered in a district it does not stop in")
		}
	}
	page := e.visitor().get("/?district=asane&category=sko")
	if !strings.Contains(page.Body, "Reparasjonsbussen: Åsane senter, tirsdag 15:00–18:00") || !strings.Contains(page.Body, `href="/reparasjonsbussen"`) {
		t.Error("the search page does not offer the bus")
	}
	bus := e.visitor().get(paths.Bus + "?postnr=5116")
	for _, want := range []string{"Nærmeste holdeplass: Åsane senter", "tirsdag 15:00–18:00", "Skap ved Åsane bibliotek", "Mo-Su 07:00-22:00", "Sko, klær og sykler"} {
		if !strings.Contains(bus.Body, want) {
			t.Errorf("the bus's page lacks %q", want)
		}
	}
	if bad := e.visitor().get(paths.Bus + "?postnr=0150"); bad.Status != 400 {
		t.Errorf("a postcode outside Bergen: %d", bad.Status)
	}
	// The planning view counts the bus's visits by district, and its map
	// switches between kinds of place and sessions.
	stats := admin.get("/admin/statistikk?vis=events")
	if stats.Status != 200 || !regexp.MustCompile(`<th scope="row">Åsane</th><td class="zero">0</td><td class="zero">0</td><td>0</td><td>[1-9]`).MatchString(stats.Body) ||
		!strings.Contains(stats.Body, `<option value="events" selected>`) {
		t.Errorf("the planning view: %d", stats.Status)
	}
	for _, show := range []string{"repair", "second_hand", "rental", "all"} {
		if a := admin.get("/admin/statistikk?vis=" + show); a.Status != 200 {
			t.Errorf("the planning view of %s: %d", show, a.Status)
		}
	}
	if a := admin.get("/admin/statistikk?vis=bogus"); a.Status != 400 {
		t.Errorf("an unknown showing: %d", a.Status)
	}
	// The district's poster lists the bus's stop.
	poster := admin.get("/admin/plakat/asane")
	if poster.Status != 200 || !pdfHas([]byte(poster.Body), "Åsane senter") || !pdfHas([]byte(poster.Body), "Reparasjonsbussen") {
		t.Errorf("the poster does not list the bus's stop: %d", poster.Status)
	}
	if without := admin.get("/admin/plakat/asane?arrangementer=nei"); pdfHas([]byte(without.Body), "Åsane senter") {
		t.Error("the poster lists the bus when asked not to")
	}

	_, feed := e.get(paths.CalendarFeed)
	if cal, err := arran.ParseCalendar(strings.NewReader(string(feed))); err != nil || !strings.Contains(string(feed), "SUMMARY:Reparasjonsbussen: Åsane senter") || len(cal.Events()) != 1 {
		t.Errorf("the feed: %v\n%s", err, feed)
	}
}

// pdfHas reports whether a PDF prints text: its content streams, inflated,
// hold the text's code points as the embedded Unicode font's CIDs.
func pdfHas(pdf []byte, text string) bool {
	var printed []byte
	for _, m := range regexp.MustCompile(`(?s)/FlateDecode[^>]*>>\nstream\n(.*?)\nendstream`).FindAllSubmatch(pdf, -1) {
		if r, err := zlib.NewReader(bytes.NewReader(m[1])); err == nil {
			b, _ := io.ReadAll(r)
			printed = append(printed, b...)
		}
	}
	var want []byte
	for _, r := range text {
		want = append(want, byte(r>>8), byte(r))
	}
	return bytes.Contains(printed, want)
}
