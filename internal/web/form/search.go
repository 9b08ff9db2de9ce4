package form

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/search"
)

// Search is the state of the search page, all of it in the URL.
type Search struct {
	Q          string
	Categories []string
	District   string
	Postnr     string
	Lat, Lng   string // "near me", from the browser's position
	BBox       string // "search this area"
	OpenNow    bool
	Voucher    bool
	Page       string
}

// ReadSearch reads the search page's query string.
func ReadSearch(v url.Values) Search {
	f := Search{
		Q: strings.TrimSpace(v.Get("q")), District: strings.TrimSpace(v.Get("district")), Postnr: strings.TrimSpace(v.Get("postnr")),
		Lat: v.Get("lat"), Lng: v.Get("lng"), BBox: v.Get("bbox"), Page: v.Get("page"),
		OpenNow: v.Get("open_now") != "", Voucher: v.Get("voucher") != "",
	}
	for _, c := range v["category"] {
		if c = strings.TrimSpace(c); c != "" {
			f.Categories = append(f.Categories, c)
		}
	}
	return f
}

// Values is the form as a query string, without the page.
func (f Search) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", f.Q)
	if len(f.Categories) > 0 {
		v["category"] = f.Categories
	}
	set("district", f.District)
	set("postnr", f.Postnr)
	set("lat", f.Lat)
	set("lng", f.Lng)
	set("bbox", f.BBox)
	if f.OpenNow {
		v.Set("open_now", "true")
	}
	if f.Voucher {
		v.Set("voucher", "true")
	}
	return v
}

// inputOfParameter is the form field a bad API parameter is shown at.
var inputOfParameter = map[string]string{"lat": "postnr", "lng": "postnr", "category": "q", "bbox": "q", "page": "q"}

// Query turns the form into a search query of perPage hits: the
// postcode's centre is the origin when the browser's position is not
// given. Values are checked by the same parser as the API's.
func (f Search) Query(postcodes *postcode.Book, l *i18n.Localizer, perPage int, now time.Time) (search.Query, *Error) {
	v := f.Values()
	v.Del("postnr")
	if f.Postnr != "" && f.Lat == "" && f.Lng == "" {
		p, ok := postcodes.Lookup(f.Postnr)
		if !ok {
			return search.Query{}, &Error{"postnr", l.T("error.postnr", "value", f.Postnr)}
		}
		v.Set("lat", strconv.FormatFloat(p.Lat, 'f', -1, 64))
		v.Set("lng", strconv.FormatFloat(p.Lng, 'f', -1, 64))
	}
	if f.Page != "" {
		v.Set("page", f.Page)
	}
	v.Set("per_page", strconv.Itoa(perPage))
	q, err := search.ParseQuery(v, now)
	if err != nil {
		var ae *apperr.Error
		field := ""
		if errors.As(err, &ae) {
			field = ae.Field
		}
		key := "error.field." + field
		if !l.Has(key) {
			key = "error.field.other"
		}
		target := inputOfParameter[field]
		if target == "" {
			target = field
		}
		return search.Query{}, &Error{target, l.T(key)}
	}
	return q, nil
}
