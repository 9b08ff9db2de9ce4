package web

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/auth"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/event"
	"github.com/bergenreparerer/reparerer/internal/follow"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/owner"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/position"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/web/form"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

// EventStore keeps events and the repair bus's routes.
type EventStore interface {
	SaveEvent(ctx context.Context, e *event.Event) error
	DeleteEvent(ctx context.Context, id, by string) error
	Event(ctx context.Context, id string) (*event.Event, error)
	Events(ctx context.Context) ([]*event.Event, error)
	EventsOf(ctx context.Context, listingIDs ...string) ([]*event.Event, error)
	SaveRoute(ctx context.Context, r *event.Route) error
	Routes(ctx context.Context) ([]*event.Route, error)
}

// events serves the calendar, its feeds and the bus's page to residents,
// and the forms that publish sessions to owners and the municipality.
type events struct {
	*renderer
	store     EventStore
	listings  ListingReader
	owners    *owner.Service
	districts *district.Map
	postcodes *postcode.Book
	positions *position.Finder
	follows   *follow.Service
	baseURL   string
	now       func() time.Time
	log       *slog.Logger
}

// CalendarAhead is how far ahead the calendar page lists sessions.
const CalendarAhead = 60 * 24 * time.Hour

// sessionView is one session on the calendar, a listing page or the
// bus's page.
type sessionView = view.Session

type dayView struct {
	Heading  string
	Sessions []sessionView
}

// calendarFilter is the calendar's and the feed's filter, validated.
type calendarFilter struct{ District, Category string }

func (e *events) readFilter(c *fiber.Ctx) (calendarFilter, error) {
	f := calendarFilter{District: c.Query("district"), Category: c.Query("category")}
	if f.District != "" && !district.ValidSlug(f.District) {
		return f, apperr.Invalid("district", "err.search.value_unknown", "value", f.District)
	}
	if f.Category != "" && !category.Valid(f.Category) {
		return f, apperr.Invalid("category", "err.search.value_unknown", "value", f.Category)
	}
	return f, nil
}

func (f calendarFilter) matches(e *event.Event) bool {
	return (f.District == "" || e.Place.District == f.District) && (f.Category == "" || slices.Contains(e.Categories, f.Category))
}

func (f calendarFilter) values() url.Values {
	v := url.Values{}
	if f.District != "" {
		v.Set("district", f.District)
	}
	if f.Category != "" {
		v.Set("category", f.Category)
	}
	return v
}

// hosts are the published listings the events belong to; an event of a
// listing that is not published is not shown.
func (e *events) hosts(ctx context.Context, es []*event.Event) (map[string]*listing.Listing, error) {
	out := map[string]*listing.Listing{}
	for _, ev := range es {
		if ev.ListingID == "" {
			continue
		}
		if _, seen := out[ev.ListingID]; seen {
			continue
		}
		l, err := e.listings.Get(ctx, ev.ListingID)
		if err != nil && !apperr.Is(err, apperr.CodeNotFound) {
			return nil, err
		}
		if err == nil && l.Published() {
			out[ev.ListingID] = l
		} else {
			out[ev.ListingID] = nil
		}
	}
	return out, nil
}

// shown reports whether an event is shown: its own, the bus's or a
// published listing's.
func shown(ev *event.Event, hosts map[string]*listing.Listing) bool {
	return ev.ListingID == "" || hosts[ev.ListingID] != nil
}

// sessions are the views of the occurrences, soonest first.
func (e *events) sessions(l *i18n.Localizer, occ []event.Occurrence, hosts map[string]*listing.Listing) []sessionView {
	slices.SortFunc(occ, func(a, b event.Occurrence) int { return a.Start.Compare(b.Start) })
	out := make([]sessionView, 0, len(occ))
	for _, o := range occ {
		ev := o.Event
		s := sessionView{When: l.Session(o.Start.In(openinghours.Oslo), o.End.In(openinghours.Oslo)), Title: ev.Title,
			Place: ev.Place.Text(), Categories: view.CategoryNames(ev.Categories, l), Cancelled: o.Cancelled, Bus: ev.RouteID != "",
			BookingURL: ev.BookingURL, Start: o.Start.Format(time.RFC3339), End: o.End.Format(time.RFC3339)}
		if ev.Booking != event.BookingNone {
			s.Booking = l.T("event.booking." + ev.Booking)
		}
		if s.Bus {
			s.Title, s.URL = l.T("bus.stop_title", "stop", ev.Title), paths.Bus
		}
		if h := hosts[ev.ListingID]; h != nil {
			s.Host, s.URL = h.Name, paths.Listing(h.Slug)
		}
		out = append(out, s)
	}
	return out
}

// byDay groups sessions under their dates.
func byDay(l *i18n.Localizer, occ []event.Occurrence, views []sessionView) []dayView {
	var out []dayView
	for i, o := range occ {
		local := o.Start.In(openinghours.Oslo)
		heading := l.WeekdayOf(local) + " " + l.DayMonth(int(local.Month()), local.Day())
		if len(out) == 0 || out[len(out)-1].Heading != heading {
			out = append(out, dayView{Heading: heading})
		}
		out[len(out)-1].Sessions = append(out[len(out)-1].Sessions, views[i])
	}
	return out
}

type calendarBody struct {
	Page                  string
	Districts, Categories []view.Option
	Days                  []dayView
	FeedURL, FeedHTTPS    string
	BusURL                string
}

// calendar lists the coming sessions of repair cafés, the municipality's
// events and the bus's stops, by district and category.
func (e *events) calendar(c *fiber.Ctx) error {
	l := e.lang(c)
	f, chosen, err := e.chosen(c)
	if err != nil {
		return err
	}
	hosts, err := e.hosts(c.UserContext(), chosen)
	if err != nil {
		return err
	}
	now := e.now()
	var occ []event.Occurrence
	for _, ev := range chosen {
		if shown(ev, hosts) {
			occ = append(occ, ev.Occurrences(now, now.Add(CalendarAhead))...)
		}
	}
	views := e.sessions(l, occ, hosts)
	body := calendarBody{Page: "calendar", Days: byDay(l, occ, views), BusURL: paths.Bus, FeedURL: paths.CalendarFeed,
		Districts:  districtOptions(l, e.districts, f.District, "calendar.any_district"),
		Categories: categoryOptions(l, f.Category, "calendar.any_category")}
	if q := f.values().Encode(); q != "" {
		body.FeedURL += "?" + q
	}
	body.FeedHTTPS = e.baseURL + body.FeedURL
	pg := e.newPage(c, l, l.T("calendar.heading"), f.values(), true)
	pg.Nav, pg.Body = "calendar", body
	return e.render(c, fiber.StatusOK, "events", pg)
}

// chosen are the events the calendar's filter keeps.
func (e *events) chosen(c *fiber.Ctx) (calendarFilter, []*event.Event, error) {
	f, err := e.readFilter(c)
	if err != nil {
		return f, nil, err
	}
	all, err := e.store.Events(c.UserContext())
	if err != nil {
		return f, nil, err
	}
	var out []*event.Event
	for _, ev := range all {
		if f.matches(ev) {
			out = append(out, ev)
		}
	}
	return f, out, nil
}

// districtOptions are a district select's options; anyKey, if set, names
// a first option for every district.
func districtOptions(l *i18n.Localizer, m *district.Map, selected, anyKey string) []view.Option {
	return options(l, m.All(), func(d district.District) (string, string) { return d.Slug, d.Name }, selected, anyKey)
}

// categoryOptions are a category select's options, likewise.
func categoryOptions(l *i18n.Localizer, selected, anyKey string) []view.Option {
	return options(l, category.All(), func(c category.Category) (string, string) { return c.Slug, view.CategoryName(c, l) }, selected, anyKey)
}

func options[T any](l *i18n.Localizer, items []T, named func(T) (slug, name string), selected, anyKey string) []view.Option {
	var out []view.Option
	if anyKey != "" {
		out = append(out, view.Option{Slug: "", Name: l.T(anyKey)})
	}
	for _, it := range items {
		slug, name := named(it)
		out = append(out, view.Option{Slug: slug, Name: name, Selected: slug == selected})
	}
	return out
}

// calendarFeed is the calendar as iCal, with the same filter.
func (e *events) calendarFeed(c *fiber.Ctx) error {
	l := e.lang(c)
	_, chosen, err := e.chosen(c)
	if err != nil {
		return err
	}
	return e.feed(c, l, l.T("calendar.feed_name"), chosen)
}

// listingFeed is one listing's sessions as iCal.
func (e *events) listingFeed(c *fiber.Ctx) error {
	l := e.lang(c)
	lst, err := published(c, e.listings)
	if err != nil {
		return err
	}
	es, err := e.store.EventsOf(c.UserContext(), lst.ID)
	if err != nil {
		return err
	}
	return e.feed(c, l, lst.Name, es)
}

func (e *events) feed(c *fiber.Ctx, l *i18n.Localizer, name string, es []*event.Event) error {
	hosts, err := e.hosts(c.UserContext(), es)
	if err != nil {
		return err
	}
	host := "bergenreparerer"
	if u, err := url.Parse(e.baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	feed := event.Feed{Name: name, Host: host}
	for _, ev := range es {
		if !shown(ev, hosts) {
			continue
		}
		item := event.FeedItem{Event: ev, Summary: ev.Title, Categories: category.Names(ev.Categories, l.Lang)}
		switch h := hosts[ev.ListingID]; {
		case ev.RouteID != "":
			item.Summary, item.URL = l.T("bus.stop_title", "stop", ev.Title), e.baseURL+paths.Bus
		case h != nil:
			if !strings.Contains(strings.ToLower(ev.Title), strings.ToLower(h.Name)) {
				item.Summary = ev.Title + " – " + h.Name
			}
			item.URL = e.baseURL + paths.Listing(h.Slug)
		}
		feed.Items = append(feed.Items, item)
	}
	var buf bytes.Buffer
	if err := feed.Write(&buf, e.now()); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(buf.Bytes())
}

// listingSessions are a listing's coming sessions for its page (the ones
// called off included, marked), and what its status line says of them: a
// running session makes the place open now ("Åpent nå – stenger 15:00"),
// and a place without known hours says when the next session is.
func (e *events) listingSessions(ctx context.Context, l *i18n.Localizer, lst *listing.Listing) (views []sessionView, status, class string, err error) {
	es, err := e.store.EventsOf(ctx, lst.ID)
	if err != nil || len(es) == 0 {
		return nil, "", "", err
	}
	now := e.now()
	var occ []event.Occurrence
	for _, ev := range es {
		occ = append(occ, ev.Occurrences(now, now.Add(CalendarAhead))...)
	}
	views = e.sessions(l, occ, nil) // sorts occ too
	for _, o := range occ {
		if o.Cancelled {
			continue
		}
		switch {
		case !o.Start.After(now):
			status, class = l.T("status.open_closes", "when", l.TimeOf(o.End.In(openinghours.Oslo))), "open"
		case !lst.OpeningHours.Known():
			status, class = l.T("results.next_session", "when", l.Session(o.Start.In(openinghours.Oslo), o.End.In(openinghours.Oslo))), "closed"
		}
		break
	}
	return views[:min(len(views), 8)], status, class, nil
}

// Bus page.

type busBody struct {
	Page     string
	Routes   []routeView
	Postcode string
	Nearest  string
	Error    *form.Error
	FeedURL  string
}

type routeView struct {
	Name, Takes, Categories string
	Stops                   []stopView
	Lockers                 []lockerView
}

type stopView struct {
	Name, Place, Weekly, Next, Distance string
	distance                            float64
}

type lockerView struct{ Name, Place, Hours string }

// busPage shows the repair bus's routes: each stop's weekly times and next
// visit, nearest first when the resident gives a postcode, and the
// lockers with their access hours.
func (e *events) busPage(c *fiber.Ctx) error {
	l := e.lang(c)
	body, err := e.busBody(c.UserContext(), l, strings.TrimSpace(c.Query("postnr")))
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if body.Error != nil {
		status = fiber.StatusBadRequest
	}
	pg := e.newPage(c, l, l.T("bus.heading"), nil, true)
	pg.Nav, pg.Body = "bus", body
	return e.render(c, status, "events", pg)
}

func (e *events) busBody(ctx context.Context, l *i18n.Localizer, postnr string) (*busBody, error) {
	routes, err := e.store.Routes(ctx)
	if err != nil {
		return nil, err
	}
	all, err := e.store.Events(ctx)
	if err != nil {
		return nil, err
	}
	body := &busBody{Page: "bus", Postcode: postnr, FeedURL: paths.CalendarFeed}
	var from *postcode.Place
	if postnr != "" {
		if p, ok := e.postcodes.Lookup(postnr); ok {
			from = &p
		} else {
			body.Error = &form.Error{Field: "postnr", Message: l.T("bus.postcode_unknown")}
		}
	}
	now := e.now()
	for _, r := range routes {
		rv := routeView{Name: r.Name, Takes: r.TakesNB, Categories: view.CategoryNames(r.Categories, l)}
		if l.Lang == i18n.EN && r.TakesEN != "" {
			rv.Takes = r.TakesEN
		}
		for _, ev := range all {
			if ev.RouteID != r.ID {
				continue
			}
			sv := stopView{Name: ev.Title, Place: ev.Place.Text(), Weekly: weeklyText(l, ev)}
			if next, ok := ev.Next(now); ok {
				sv.Next = l.Session(next.Start.In(openinghours.Oslo), next.End.In(openinghours.Oslo))
			}
			if from != nil {
				sv.distance = geo.Distance(orb.Point{from.Lng, from.Lat}, orb.Point{ev.Place.Lng, ev.Place.Lat})
				sv.Distance = l.Distance(int(sv.distance))
			}
			rv.Stops = append(rv.Stops, sv)
		}
		if from != nil {
			slices.SortStableFunc(rv.Stops, func(a, b stopView) int { return cmp.Compare(a.distance, b.distance) })
			if len(rv.Stops) > 0 && body.Nearest == "" {
				s := rv.Stops[0]
				body.Nearest = l.T("bus.nearest", "stop", s.Name, "distance", s.Distance, "when", s.Weekly)
			}
		}
		for _, lk := range r.Lockers {
			rv.Lockers = append(rv.Lockers, lockerView{Name: lk.Name, Place: lk.Text(), Hours: lk.Hours})
		}
		body.Routes = append(body.Routes, rv)
	}
	return body, nil
}

// weeklyText is a stop's weekly window: "tirsdag 15:00–18:00".
func weeklyText(l *i18n.Localizer, ev *event.Event) string {
	start := ev.Start.In(openinghours.Oslo)
	end := start.Add(time.Duration(ev.Minutes) * time.Minute)
	return l.T("bus.weekly", "day", l.WeekdayOf(start), "from", l.TimeOf(start), "to", l.TimeOf(end))
}

// Publishing sessions: the listing's owner (Min side) and the
// municipality (the console) share one form.

type eventsBody struct {
	Page            string
	Heading, Lede   string
	Rows            []eventRow
	NewURL, BackURL string
}

type eventRow struct {
	Title, Repeat, Next, Place, EditURL, DeleteURL string
}

type eventFormBody struct {
	Page                                   string
	Heading, Action, DeleteAction, BackURL string
	Form                                   form.Event
	Error                                  *form.Error
	Categories                             []view.Check
	Repeats, Bookings                      []view.Option
	// ListingPlace is the listing's address, offered as the place.
	ListingPlace string
	// Listing (console only) is the slug of the listing the event is for.
	Listing    string
	AskListing bool
}

// ownerScope is the listing an owner edits events of, checked on every
// request: only its owners and the municipality may.
func (e *events) ownerScope(c *fiber.Ctx) (*listing.Listing, error) {
	return e.owners.Editable(c.UserContext(), *currentUser(c), c.Params("id"))
}

func (e *events) ownerList(c *fiber.Ctx) error {
	lst, err := e.ownerScope(c)
	if err != nil {
		return err
	}
	es, err := e.store.EventsOf(c.UserContext(), lst.ID)
	if err != nil {
		return err
	}
	l := e.lang(c)
	body := eventsBody{Page: "list", Heading: l.T("event.list_heading", "name", lst.Name), Lede: l.T("event.list_lede"),
		NewURL: paths.OwnerEvent(lst.ID, "ny"), BackURL: paths.EditListing(lst.ID)}
	body.Rows = e.rows(l, es, func(id string, action ...string) string { return paths.OwnerEvent(lst.ID, id, action...) })
	return e.render(c, fiber.StatusOK, "events", e.private(c, l, body.Heading, "account", body))
}

func (e *events) rows(l *i18n.Localizer, es []*event.Event, link func(id string, action ...string) string) []eventRow {
	now := e.now()
	var out []eventRow
	for _, ev := range es {
		if ev.RouteID != "" {
			continue
		}
		r := eventRow{Title: ev.Title, Repeat: l.T("event.repeat." + event.Repeat(ev)), Place: ev.Place.Text(),
			EditURL: link(ev.ID), DeleteURL: link(ev.ID, "slett")}
		if next, ok := ev.Next(now); ok {
			r.Next = l.Session(next.Start.In(openinghours.Oslo), next.End.In(openinghours.Oslo))
		} else {
			r.Next = l.T("event.no_next")
		}
		out = append(out, r)
	}
	return out
}

func (e *events) ownerForm(c *fiber.Ctx) error {
	lst, err := e.ownerScope(c)
	if err != nil {
		return err
	}
	ev, err := e.eventOf(c, c.Params("eid"), lst.ID)
	if err != nil {
		return err
	}
	f := e.startForm(ev, lst)
	return e.renderForm(c, fiber.StatusOK, lst, ev, f, nil, paths.OwnerEvent(lst.ID, cmp.Or(ev.ID, "ny")), paths.OwnerEvents(lst.ID))
}

func (e *events) ownerSave(c *fiber.Ctx) error {
	lst, err := e.ownerScope(c)
	if err != nil {
		return err
	}
	ev, err := e.eventOf(c, c.Params("eid"), lst.ID)
	if err != nil {
		return err
	}
	ev.ListingID = lst.ID
	action, back := paths.OwnerEvent(lst.ID, cmp.Or(ev.ID, "ny")), paths.OwnerEvents(lst.ID)
	return e.save(c, lst, ev, action, back)
}

func (e *events) ownerDelete(c *fiber.Ctx) error {
	lst, err := e.ownerScope(c)
	if err != nil {
		return err
	}
	ev, err := e.eventOf(c, c.Params("eid"), lst.ID)
	if err != nil {
		return err
	}
	if ev.ID == "" {
		return errNoSuchPage
	}
	if err := e.store.DeleteEvent(c.UserContext(), ev.ID, actor(currentUser(c))); err != nil {
		return err
	}
	return c.Redirect(paths.OwnerEvents(lst.ID), fiber.StatusSeeOther)
}

// eventOf is the event id of listingID ("ny": a new one); another
// listing's event is no such page.
func (e *events) eventOf(c *fiber.Ctx, id, listingID string) (*event.Event, error) {
	if id == "ny" {
		return &event.Event{ListingID: listingID, Booking: event.BookingNone, Minutes: 180}, nil
	}
	ev, err := e.store.Event(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if ev.ListingID != listingID || ev.RouteID != "" {
		return nil, errNoSuchPage
	}
	return ev, nil
}

// startForm is the form for ev: a new one is at its listing's address,
// on Saturday next week from 12 to 15, for the listing's categories.
func (e *events) startForm(ev *event.Event, lst *listing.Listing) form.Event {
	if ev.ID != "" {
		f := form.FromEvent(ev)
		f.OwnPlace = lst == nil || !samePlace(ev.Place, lst)
		return f
	}
	day := e.now().In(openinghours.Oslo).AddDate(0, 0, 7)
	for day.Weekday() != time.Saturday {
		day = day.AddDate(0, 0, 1)
	}
	f := form.Event{Categories: map[string]bool{}, Date: day.Format(time.DateOnly), Start: "12:00", End: "15:00", Repeat: "once",
		Booking: event.BookingNone, OwnPlace: lst == nil}
	if lst != nil {
		f.Title = lst.Name
		for _, c := range lst.Categories {
			f.Categories[c] = true
		}
	}
	return f
}

func samePlace(p event.Place, lst *listing.Listing) bool {
	return p.Street == lst.Address.Street && p.Postcode == lst.Address.Postcode
}

// save reads the form into ev, places it, and stores it at the version the
// form was filled at.
func (e *events) save(c *fiber.Ctx, lst *listing.Listing, ev *event.Event, action, back string) error {
	f := form.ReadEvent(postValues(c))
	if ev.ID != "" && f.Version != ev.Version {
		err := apperr.Conflict("err.event.changed")
		return e.refuse(c, lst, ev, f, err, action, back)
	}
	if err := f.Apply(ev); err != nil && !isPlaceProblem(err) {
		return e.refuse(c, lst, ev, f, err, action, back)
	}
	if err := e.place(c.UserContext(), ev, f, lst); err != nil {
		return e.refuse(c, lst, ev, f, err, action, back)
	}
	if err := ev.Check(); err != nil {
		return e.refuse(c, lst, ev, f, err, action, back)
	}
	ev.UpdatedBy = actor(currentUser(c))
	if err := e.store.SaveEvent(c.UserContext(), ev); err != nil {
		if apperr.Is(err, apperr.CodeConflict) {
			return e.refuse(c, lst, ev, f, err, action, back)
		}
		return err
	}
	e.log.Info("event: saved", "event_id", ev.ID, "listing_id", ev.ListingID, "by", ev.UpdatedBy)
	return c.Redirect(back, fiber.StatusSeeOther)
}

func isPlaceProblem(err error) bool {
	var ae *apperr.Error
	return errors.As(err, &ae) && ae.Field == "place"
}

// place sets where the event is: its listing's address, or the address the
// form gives, placed by the address API (or the postcode's centre).
func (e *events) place(ctx context.Context, ev *event.Event, f form.Event, lst *listing.Listing) error {
	if !f.OwnPlace && lst != nil {
		ev.Place = event.Place{Name: lst.Name, Street: lst.Address.Street, Postcode: lst.Address.Postcode, City: lst.Address.City,
			District: lst.District, Lat: lst.Location.Lat, Lng: lst.Location.Lng}
		return nil
	}
	street, code := strings.TrimSpace(f.Street), strings.TrimSpace(f.Postcode)
	pc, ok := e.postcodes.Lookup(code)
	if !ok {
		return apperr.Invalid("postcode", "err.event.place_unknown")
	}
	at := listing.Location{Lat: pc.Lat, Lng: pc.Lng}
	if e.positions != nil && street != "" {
		if found, _, ok := e.positions.Place(ctx, street, code); ok {
			at = found
		}
	}
	d, ok := e.districts.Locate(at.Lat, at.Lng)
	if !ok {
		return apperr.Invalid("postcode", "err.event.place_outside")
	}
	ev.Place = event.Place{Name: strings.TrimSpace(f.PlaceName), Street: street, Postcode: code, City: pc.Name, District: d.Slug, Lat: at.Lat, Lng: at.Lng}
	if ev.Place.Name == "" && street == "" {
		return apperr.Invalid("place_name", "err.event.place_missing")
	}
	return nil
}

func (e *events) refuse(c *fiber.Ctx, lst *listing.Listing, ev *event.Event, f form.Event, err error, action, back string) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return err
	}
	l := e.lang(c)
	status := fiber.StatusBadRequest
	if ae.Code == apperr.CodeConflict {
		status = fiber.StatusConflict
	}
	ferr := &form.Error{Field: cmp.Or(fieldID(ae.Field), "title"), Message: l.T(ae.Key, ae.Args...)}
	return e.renderForm(c, status, lst, ev, f, ferr, action, back)
}

// fieldID is the input a problem is shown at.
func fieldID(field string) string {
	switch field {
	case "category":
		return "category-" + category.All()[0].Slug
	case "place":
		return "place_name"
	case "except":
		return "except"
	}
	return field
}

func (e *events) renderForm(c *fiber.Ctx, status int, lst *listing.Listing, ev *event.Event, f form.Event, ferr *form.Error, action, back string) error {
	l := e.lang(c)
	heading := l.T("event.new_heading")
	if ev.ID != "" {
		heading = l.T("event.edit_heading", "title", ev.Title)
	}
	body := eventFormBody{Page: "form", Heading: heading, Action: action, BackURL: back, Form: f, Error: ferr}
	if ev.ID != "" {
		body.DeleteAction = action + "/slett"
	}
	if lst != nil {
		body.ListingPlace = lst.Name + ", " + lst.Address.Street + ", " + lst.Address.Postcode + " " + lst.Address.City
		body.Listing = lst.Slug
	}
	body.AskListing = strings.HasPrefix(action, paths.AdminEvents)
	for _, cat := range category.All() {
		body.Categories = append(body.Categories, view.Check{Value: cat.Slug, Label: view.CategoryName(cat, l), Checked: f.Categories[cat.Slug]})
	}
	for _, r := range []string{"once", "weekly", "biweekly", "monthly", "custom"} {
		body.Repeats = append(body.Repeats, view.Option{Slug: r, Name: l.T("event.repeat." + r), Selected: r == cmp.Or(f.Repeat, "once")})
	}
	for _, b := range event.Bookings {
		body.Bookings = append(body.Bookings, view.Option{Slug: b, Name: l.T("event.booking_choice." + b), Selected: b == f.Booking})
	}
	nav := "account"
	if body.AskListing {
		nav = "admin"
	}
	return e.render(c, status, "events", e.private(c, l, heading, nav, body))
}

// actor names who wrote, for the audit log.
func actor(u *auth.User) string {
	if u.Admin() {
		return "admin:" + u.Email
	}
	return "owner:" + u.ID
}

// The console: every event, and the bus.

func (e *events) adminList(c *fiber.Ctx) error {
	l := e.lang(c)
	es, err := e.store.Events(c.UserContext())
	if err != nil {
		return err
	}
	body := eventsBody{Page: "list", Heading: l.T("admin.events.heading"), Lede: l.T("admin.events.lede"), NewURL: paths.AdminEvent("ny"), BackURL: paths.AdminQueue}
	body.Rows = e.rows(l, es, paths.AdminEvent)
	return e.render(c, fiber.StatusOK, "events", e.private(c, l, body.Heading, "admin", body))
}

// adminEvent is the console's event and the listing it belongs to (nil:
// the municipality's own).
func (e *events) adminEvent(c *fiber.Ctx) (*event.Event, *listing.Listing, error) {
	if c.Params("eid") == "ny" {
		ev := &event.Event{Booking: event.BookingNone, Minutes: 180}
		slug := strings.TrimSpace(c.FormValue("listing", c.Query("oppforing")))
		if slug == "" {
			return ev, nil, nil
		}
		lst, err := e.listings.GetBySlug(c.UserContext(), slug)
		if err != nil {
			return nil, nil, apperr.Invalid("listing", "err.event.listing_unknown")
		}
		ev.ListingID = lst.ID
		return ev, lst, nil
	}
	ev, err := e.store.Event(c.UserContext(), c.Params("eid"))
	if err != nil {
		return nil, nil, err
	}
	if ev.RouteID != "" {
		return nil, nil, errNoSuchPage
	}
	if ev.ListingID == "" {
		return ev, nil, nil
	}
	lst, err := e.listings.Get(c.UserContext(), ev.ListingID)
	return ev, lst, err
}

func (e *events) adminForm(c *fiber.Ctx) error {
	ev, lst, err := e.adminEvent(c)
	if err != nil {
		return err
	}
	return e.renderForm(c, fiber.StatusOK, lst, ev, e.startForm(ev, lst), nil, paths.AdminEvent(cmp.Or(ev.ID, "ny")), paths.AdminEvents)
}

func (e *events) adminSave(c *fiber.Ctx) error {
	ev, lst, err := e.adminEvent(c)
	if err != nil {
		if apperr.Is(err, apperr.CodeInvalidParameter) {
			return e.refuse(c, nil, &event.Event{}, form.ReadEvent(postValues(c)), err, paths.AdminEvent("ny"), paths.AdminEvents)
		}
		return err
	}
	return e.save(c, lst, ev, paths.AdminEvent(cmp.Or(ev.ID, "ny")), paths.AdminEvents)
}

func (e *events) adminDelete(c *fiber.Ctx) error {
	if err := e.store.DeleteEvent(c.UserContext(), c.Params("eid"), actor(currentUser(c))); err != nil {
		return err
	}
	return c.Redirect(paths.AdminEvents, fiber.StatusSeeOther)
}
