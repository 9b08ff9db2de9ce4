package form

import (
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/openinghours"
	"github.com/bergenreparerer/reparerer/internal/postcode"
)

// The opening-hours editor shows this many rows without JavaScript; the
// script adds more, up to the maxima the server reads.
const (
	SlotsShown      = 2
	MaxSlots        = 6
	ExceptionsAdded = 2
	MaxExceptions   = 60
	maxClosureDays  = 366
)

// TooManyDates is Schedule's answer when the exceptions name more dates
// than a schedule holds (openinghours.MaxExceptions).
const TooManyDates = "too-many-dates"

// Listing is the register/edit form as typed, so that a refused form
// comes back exactly as it was sent.
type Listing struct {
	Name, OrgNumber                        string
	Categories                             map[string]bool
	Services, DescriptionNB, DescriptionEN string
	Street, Postcode, City, Lat, Lng       string
	Phone, Email, Website                  string
	Days                                   [7][]HoursSlot
	HolidaysClosed                         bool
	Exceptions                             []ExceptionRow
	PriceInfo, PriceFrom                   string
	Voucher                                bool
	Wheelchair                             string
	Kind                                   string
	Conditions                             Conditions
	Version                                int
}

// HoursSlot is one opening interval of a weekday, as typed.
type HoursSlot struct{ From, To string }

// ExceptionRow is a date or a range of dates with other hours: a
// holiday, a summer closure. No times means closed.
type ExceptionRow struct {
	From, To, Open, Close string
	Yearly                bool
}

// FromListing fills the form from a stored listing.
func FromListing(l *listing.Listing, now time.Time) Listing {
	f := Listing{
		Name: l.Name, OrgNumber: l.OrgNumber, Categories: map[string]bool{},
		Services: strings.Join(l.Services, ", "), DescriptionNB: l.DescriptionNB, DescriptionEN: l.DescriptionEN,
		Street: l.Address.Street, Postcode: l.Address.Postcode, City: l.Address.City,
		Phone: listing.DisplayPhone(l.Phone), Email: l.Email, Website: l.Website, PriceInfo: l.PriceInfo,
		Voucher: l.AcceptsRepairVoucher, Wheelchair: l.WheelchairAccessible, Kind: l.Kind, Version: l.Version,
		Conditions: conditionsForm(l.Conditions),
	}
	if l.Location != (listing.Location{}) {
		f.Lat, f.Lng = coordinate(l.Location.Lat), coordinate(l.Location.Lng)
	}
	for _, c := range l.Categories {
		f.Categories[c] = true
	}
	if l.PriceFromNOK != nil {
		f.PriceFrom = strconv.Itoa(*l.PriceFromNOK)
	}
	h := l.OpeningHours
	for d, ivs := range h.Week {
		for _, iv := range ivs {
			f.Days[d] = append(f.Days[d], HoursSlot{clockText(iv.Start), clockText(iv.End)})
		}
	}
	f.HolidaysClosed = h.HolidayRule && len(h.Holidays) == 0
	f.Exceptions = exceptionRows(h.Exceptions, now)
	return f
}

func clockText(m int) string { return fmt.Sprintf("%02d:%02d", m/60%24, m%60) }

// exceptionRows folds dated exceptions into rows: consecutive dates with
// the same hours become one range (a summer closure is one row).
func exceptionRows(exs []openinghours.Exception, now time.Time) []ExceptionRow {
	type day struct {
		date   time.Time
		yearly bool
		iv     *openinghours.Interval
	}
	var days []day
	for _, e := range exs {
		year := e.Year
		if year == 0 {
			year = now.Year()
		}
		date := time.Date(year, time.Month(e.Month), e.Day, 0, 0, 0, 0, time.UTC)
		if len(e.Intervals) == 0 {
			days = append(days, day{date, e.Year == 0, nil})
		}
		for i := range e.Intervals {
			days = append(days, day{date, e.Year == 0, &e.Intervals[i]})
		}
	}
	sort.SliceStable(days, func(i, j int) bool { return days[i].date.Before(days[j].date) })
	var rows []ExceptionRow
	var last *day
	for i := range days {
		d := days[i]
		if last != nil && d.iv == nil && last.iv == nil && d.yearly == last.yearly && d.date.Equal(last.date.AddDate(0, 0, 1)) {
			rows[len(rows)-1].To = d.date.Format(time.DateOnly)
			last = &days[i]
			continue
		}
		r := ExceptionRow{From: d.date.Format(time.DateOnly), Yearly: d.yearly}
		if d.iv != nil {
			r.Open, r.Close = clockText(d.iv.Start), clockText(d.iv.End)
		}
		rows = append(rows, r)
		last = &days[i]
	}
	return rows
}

// ParseListing reads the posted form.
func ParseListing(form url.Values) Listing {
	v := func(name string) string { return strings.TrimSpace(form.Get(name)) }
	on := func(name string) bool { return form.Get(name) == "on" }
	f := Listing{
		Name: v("name"), OrgNumber: v("org_number"), Categories: map[string]bool{},
		Services: v("services"), DescriptionNB: v("description_nb"), DescriptionEN: v("description_en"),
		Street: v("street"), Postcode: v("postcode"), City: v("city"), Lat: v("lat"), Lng: v("lng"),
		Phone: v("phone"), Email: v("email"), Website: v("website"),
		HolidaysClosed: on("holidays_closed"),
		PriceInfo:      v("price_info"), PriceFrom: v("price_from_nok"),
		Voucher: on("voucher"), Wheelchair: v("wheelchair"), Kind: v("kind"), Conditions: parseConditions(form),
	}
	for _, c := range form["category"] {
		f.Categories[c] = true
	}
	f.Version, _ = strconv.Atoi(v("version")) // a missing version matches no stored one: the store refuses it
	for d := range f.Days {
		for i := 0; i < MaxSlots; i++ {
			s := HoursSlot{v(fmt.Sprintf("h%d_%d_from", d, i)), v(fmt.Sprintf("h%d_%d_to", d, i))}
			if s != (HoursSlot{}) {
				f.Days[d] = append(f.Days[d], s)
			}
		}
	}
	for i := 0; i < MaxExceptions; i++ {
		p := fmt.Sprintf("x%d_", i)
		r := ExceptionRow{From: v(p + "from"), To: v(p + "to"), Open: v(p + "open"), Close: v(p + "close"), Yearly: on(p + "yearly")}
		if r != (ExceptionRow{}) {
			f.Exceptions = append(f.Exceptions, r)
		}
	}
	return f
}

// Schedule turns the editor's rows into opening hours; the error names the
// first row it cannot read ("h2_0_from", "x1_from").
func (f *Listing) Schedule() (openinghours.Schedule, string) {
	var s openinghours.Schedule
	for d, slots := range f.Days {
		for i, slot := range slots {
			iv, ok := interval(slot.From, slot.To)
			if !ok {
				return s, fmt.Sprintf("h%d_%d_from", d, i)
			}
			s.Week[d] = append(s.Week[d], iv)
		}
	}
	s.HolidayRule = f.HolidaysClosed
	byDate := map[[3]int]int{} // year, month, day → index in s.Exceptions
	for i, r := range f.Exceptions {
		id := fmt.Sprintf("x%d_from", i)
		from, err1 := time.Parse(time.DateOnly, r.From)
		to, err2 := from, error(nil)
		if r.To != "" {
			to, err2 = time.Parse(time.DateOnly, r.To)
		}
		if err1 != nil || err2 != nil || to.Before(from) || to.Sub(from) > maxClosureDays*24*time.Hour {
			return s, id
		}
		var ivs []openinghours.Interval
		if r.Open != "" || r.Close != "" {
			iv, ok := interval(r.Open, r.Close)
			if !ok {
				return s, fmt.Sprintf("x%d_open", i)
			}
			ivs = append(ivs, iv)
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			if len(s.Exceptions) >= openinghours.MaxExceptions {
				return s, TooManyDates
			}
			key := [3]int{d.Year(), int(d.Month()), d.Day()}
			if r.Yearly {
				key[0] = 0
			}
			if at, ok := byDate[key]; ok {
				s.Exceptions[at].Intervals = append(s.Exceptions[at].Intervals, ivs...)
				continue
			}
			byDate[key] = len(s.Exceptions)
			s.Exceptions = append(s.Exceptions, openinghours.Exception{Year: key[0], Month: key[1], Day: key[2],
				Intervals: append([]openinghours.Interval(nil), ivs...)})
		}
	}
	return s, ""
}

// interval reads "HH:MM" times; a closing time at or before the opening
// time is on the next day ("22:00"–"02:00"), and 00:00–00:00 is all day.
func interval(from, to string) (openinghours.Interval, bool) {
	a, err1 := time.Parse("15:04", from)
	b, err2 := time.Parse("15:04", to)
	if err1 != nil || err2 != nil {
		return openinghours.Interval{}, false
	}
	start, end := a.Hour()*60+a.Minute(), b.Hour()*60+b.Minute()
	if end <= start {
		end += 24 * 60
	}
	if end-start == 24*60 && start != 0 {
		return openinghours.Interval{}, false
	}
	return openinghours.Interval{Start: start, End: end}, true
}

// Apply copies the form onto l. It returns the fields the form itself
// could not read (input id → catalogue key); the listing's own rules are
// checked after. An empty position takes the postcode's centre; the hours
// are replaced only when they differ from original's, so the original OSM
// text of hours nobody touched is kept.
func (f *Listing) Apply(l *listing.Listing, original Listing, postcodes *postcode.Book) map[string]string {
	bad := map[string]string{}
	l.Name, l.OrgNumber = f.Name, f.OrgNumber
	l.Categories = l.Categories[:0:0]
	for _, c := range category.All() {
		if f.Categories[c.Slug] {
			l.Categories = append(l.Categories, c.Slug)
		}
	}
	l.Services = strings.FieldsFunc(f.Services, func(r rune) bool { return r == ',' || r == '\n' })
	l.DescriptionNB, l.DescriptionEN = f.DescriptionNB, f.DescriptionEN
	l.Address = listing.Address{Street: f.Street, Postcode: f.Postcode, City: f.City}
	if l.Address.City == "" {
		l.Address.City = "Bergen"
	}
	l.Phone, l.Email, l.Website, l.PriceInfo = f.Phone, f.Email, f.Website, f.PriceInfo
	l.AcceptsRepairVoucher, l.WheelchairAccessible, l.Kind = f.Voucher, f.Wheelchair, f.Kind
	var ok bool
	if l.PriceFromNOK, ok = WholeNumber(f.PriceFrom); !ok {
		bad["price_from_nok"] = "form.error.price_from_nok"
	}
	f.Conditions.apply(&l.Conditions, bad)
	lat, err1 := listing.ParseDecimal(f.Lat)
	lng, err2 := listing.ParseDecimal(f.Lng)
	centre, known := listing.Location{}, false
	if postcodes != nil {
		place, ok := postcodes.Lookup(f.Postcode)
		centre, known = listing.Location{Lat: place.Lat, Lng: place.Lng}, ok
	}
	switch {
	case f.Lat == "" && f.Lng == "":
		if !known {
			bad["postcode"] = "form.error.postcode_unknown"
			break
		}
		l.Location, l.ApproximatePosition = centre, true
	case err1 != nil || err2 != nil:
		bad["lat"] = "form.error.location"
	default:
		// A pin left where the map put it (the postcode's centre) is no
		// position a person chose: the address is placed for them.
		at := listing.Location{Lat: lat, Lng: lng}
		unmoved := l.ApproximatePosition && coordinate(lat) == coordinate(l.Location.Lat) && coordinate(lng) == coordinate(l.Location.Lng)
		atCentre := known && f.Lat == coordinate(centre.Lat) && f.Lng == coordinate(centre.Lng)
		l.Location, l.ApproximatePosition = at, unmoved || atCentre
	}
	hours, row := f.Schedule()
	if row == TooManyDates {
		bad["x0_from"] = "form.error.too_many_dates"
	} else if row != "" {
		bad[row] = "form.error.hours"
	} else if before, _ := original.Schedule(); !reflect.DeepEqual(hours, before) {
		// Only a change in the editor replaces the hours, so the original
		// OSM text of hours nobody touched is kept.
		l.OpeningHours = hours
	}
	return bad
}

// inputOf is the form input a listing field's problem is shown at.
var inputOf = map[string]string{
	"categories": "category-" + category.All()[0].Slug, "address.postcode": "postcode", "address": "street",
	"location": "lat", "opening_hours": "h0_0_from", "wheelchair_accessible": "wheelchair-unknown", "kind": "kind",
}

// Problems merges the form's own problems with the listing's, as messages
// by input id.
func Problems(bad map[string]string, err error, l *i18n.Localizer) map[string]string {
	out := map[string]string{}
	for id, key := range bad {
		out[id] = l.T(key)
	}
	for field, e := range listing.Problems(err) {
		if _, unread := bad["postcode"]; field == "location" && (unread || bad["lat"] != "") {
			continue // no position could be read; that is already said
		}
		id := field
		if in, ok := inputOf[field]; ok {
			id = in
		} else if in, ok := conditionInputs[field]; ok {
			id = in
		}
		if _, taken := out[id]; !taken {
			out[id] = l.T("form.error." + strings.ReplaceAll(field, ".", "_"))
			if e.Key == "err.listing.control_characters" || e.Key == "err.store.entry_too_large" {
				out[id] = l.T(e.Key) // what is wrong is not what is usually wrong there
			}
		}
	}
	return out
}

// ErrorList is the problems as a list in the order the form shows the
// fields, so the error summary reads top to bottom.
func ErrorList(problems map[string]string) []Error {
	out := make([]Error, 0, len(problems))
	for id, msg := range problems {
		out = append(out, Error{id, msg})
	}
	sort.Slice(out, func(i, j int) bool { return order(out[i].Field) < order(out[j].Field) })
	return out
}

// order ranks input ids in the order the form shows them.
func order(id string) string {
	fields := []string{"name", "org_number", "category", "services", "description_nb", "description_en",
		"street", "postcode", "city", "lat", "phone", "email", "website", "h", "x", "price_info", "price_from_nok", "wheelchair", "cond_"}
	for i, prefix := range fields {
		if strings.HasPrefix(id, prefix) {
			return string(rune('a'+i)) + id
		}
	}
	return "z" + id
}

// coordinate is a latitude or longitude as the form writes it (the map's
// script writes the same six decimals).
func coordinate(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }
