package web

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/event"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/web/form"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

// The console's page of the repair bus: the route (what it takes), its
// stops (weekly windows, each an event of the route) and its lockers.

type busAdminBody struct {
	Page       string
	Route      *event.Route
	Categories []view.Check
	Weekdays   []view.Option
	Stops      []busStopRow
	Lockers    []busLockerRow
	Error      *form.Error
	Action     string
}

type busStopRow struct{ ID, Name, Place, Weekly string }

type busLockerRow struct {
	Index              int
	Name, Place, Hours string
}

func (e *events) route(c *fiber.Ctx) (*event.Route, error) {
	routes, err := e.store.Routes(c.UserContext())
	if err != nil {
		return nil, err
	}
	if len(routes) == 0 {
		return &event.Route{Categories: []string{}}, nil
	}
	return routes[0], nil
}

func (e *events) busAdmin(c *fiber.Ctx) error {
	r, err := e.route(c)
	if err != nil {
		return err
	}
	return e.renderBusAdmin(c, fiber.StatusOK, r, nil)
}

func (e *events) renderBusAdmin(c *fiber.Ctx, status int, r *event.Route, ferr *form.Error) error {
	l := e.lang(c)
	body := busAdminBody{Page: "bus-admin", Route: r, Error: ferr, Action: paths.AdminBus}
	for _, cat := range category.All() {
		body.Categories = append(body.Categories, view.Check{Value: cat.Slug, Label: view.CategoryName(cat, l), Checked: slices.Contains(r.Categories, cat.Slug)})
	}
	for d := range 7 {
		body.Weekdays = append(body.Weekdays, view.Option{Slug: strconv.Itoa(d), Name: l.Weekday(d)})
	}
	if r.ID != "" {
		all, err := e.store.Events(c.UserContext())
		if err != nil {
			return err
		}
		for _, ev := range all {
			if ev.RouteID == r.ID {
				body.Stops = append(body.Stops, busStopRow{ID: ev.ID, Name: ev.Title, Place: ev.Place.Text(), Weekly: weeklyText(l, ev)})
			}
		}
	}
	for i, lk := range r.Lockers {
		body.Lockers = append(body.Lockers, busLockerRow{Index: i, Name: lk.Name, Place: lk.Text(), Hours: lk.Hours})
	}
	return e.render(c, status, "events", e.private(c, l, l.T("admin.bus.heading"), "admin", body))
}

// busAdminPost saves the route, or adds or removes a stop or a locker.
func (e *events) busAdminPost(c *fiber.Ctx) error {
	r, err := e.route(c)
	if err != nil {
		return err
	}
	v := postValues(c)
	by := actor(currentUser(c))
	switch v.Get("action") {
	case "route":
		r.Name, r.TakesNB, r.TakesEN, r.Categories = v.Get("name"), v.Get("takes_nb"), v.Get("takes_en"), v["category"]
		if r.Categories == nil {
			r.Categories = []string{}
		}
		err = r.Check()
		if err == nil {
			err = e.store.SaveRoute(c.UserContext(), r)
		}
	case "stop":
		err = e.addStop(c, r, by)
	case "delete_stop":
		var ev *event.Event
		if ev, err = e.store.Event(c.UserContext(), v.Get("id")); err == nil && ev.RouteID == r.ID && r.ID != "" {
			err = e.store.DeleteEvent(c.UserContext(), ev.ID, by)
		} else if err == nil {
			err = errNoSuchPage
		}
	case "locker":
		err = e.addLocker(c, r)
	case "delete_locker":
		i, convErr := strconv.Atoi(v.Get("index"))
		if convErr != nil || i < 0 || i >= len(r.Lockers) {
			return errNoSuchPage
		}
		r.Lockers = append(r.Lockers[:i], r.Lockers[i+1:]...)
		err = e.store.SaveRoute(c.UserContext(), r)
	default:
		return apperr.Invalid("action", "err.event.bus_action")
	}
	var ae *apperr.Error
	if errors.As(err, &ae) && (ae.Code == apperr.CodeInvalidParameter || ae.Code == apperr.CodeConflict) {
		status := fiber.StatusBadRequest
		if ae.Code == apperr.CodeConflict {
			status = fiber.StatusConflict
		}
		return e.renderBusAdmin(c, status, r, &form.Error{Field: cmp.Or(ae.Field, "name"), Message: e.lang(c).T(ae.Key, ae.Args...)})
	} else if err != nil {
		return err
	}
	return c.Redirect(paths.AdminBus, fiber.StatusSeeOther)
}

// addStop adds a weekly stop: its first visit is the next date on its
// weekday.
func (e *events) addStop(c *fiber.Ctx, r *event.Route, by string) error {
	if r.ID == "" {
		return apperr.Invalid("name", "err.event.route_first")
	}
	v := postValues(c)
	weekday, err := strconv.Atoi(v.Get("weekday"))
	if err != nil || weekday < 0 || weekday > 6 {
		return apperr.Invalid("weekday", "err.event.weekday")
	}
	day := e.now().In(openinghours.Oslo)
	for (int(day.Weekday())+6)%7 != weekday {
		day = day.AddDate(0, 0, 1)
	}
	f := form.Event{Title: v.Get("stop_name"), Categories: map[string]bool{}, Date: day.Format(time.DateOnly),
		Start: v.Get("from"), End: v.Get("to"), Repeat: "weekly", Booking: event.BookingNone, OwnPlace: true,
		PlaceName: v.Get("stop_name"), Street: v.Get("stop_street"), Postcode: v.Get("stop_postcode")}
	for _, cat := range r.Categories {
		f.Categories[cat] = true
	}
	if len(r.Categories) == 0 {
		f.Categories["annet"] = true
	}
	ev := &event.Event{RouteID: r.ID, UpdatedBy: by}
	if err := f.Apply(ev); err != nil && !isPlaceProblem(err) {
		return renamed(err, map[string]string{"title": "stop_name", "start": "from", "end": "to"})
	}
	if err := e.place(c.UserContext(), ev, f, nil); err != nil {
		return renamed(err, map[string]string{"postcode": "stop_postcode", "place_name": "stop_name"})
	}
	if err := ev.Check(); err != nil {
		return renamed(err, map[string]string{"title": "stop_name"})
	}
	return e.store.SaveEvent(c.UserContext(), ev)
}

func (e *events) addLocker(c *fiber.Ctx, r *event.Route) error {
	if r.ID == "" {
		return apperr.Invalid("name", "err.event.route_first")
	}
	v := postValues(c)
	probe := &event.Event{}
	f := form.Event{OwnPlace: true, PlaceName: v.Get("locker_name"), Street: v.Get("locker_street"), Postcode: v.Get("locker_postcode")}
	if err := e.place(c.UserContext(), probe, f, nil); err != nil {
		return renamed(err, map[string]string{"postcode": "locker_postcode", "place_name": "locker_name"})
	}
	r.Lockers = append(r.Lockers, event.Locker{Place: probe.Place, Hours: strings.TrimSpace(v.Get("locker_hours"))})
	if err := r.Check(); err != nil {
		r.Lockers = r.Lockers[:len(r.Lockers)-1]
		return err
	}
	return e.store.SaveRoute(c.UserContext(), r)
}

// renamed moves a problem to the field of the bus form that holds it.
func renamed(err error, fields map[string]string) error {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		if f, ok := fields[ae.Field]; ok {
			moved := *ae
			moved.Field = f
			return &moved
		}
	}
	return err
}
