package listing

import (
	"errors"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/category"
	"github.com/bergenreparerer/reparerer/internal/district"
)

var (
	postcodePattern  = regexp.MustCompile(`^[0-9]{4}$`)
	orgNumberPattern = regexp.MustCompile(`^[0-9]{9}$`)
)

// Limits on free text, generous for real use and small enough to index.
const (
	maxName        = 120
	maxDescription = 2000
	maxServices    = 30
	maxService     = 60
	maxShortText   = 200
	maxPriceNOK    = 1_000_000
)

// ValidOrgNumber reports whether s is a Norwegian organisasjonsnummer:
// nine digits whose last is the mod-11 check digit of the first eight.
func ValidOrgNumber(s string) bool {
	if !orgNumberPattern.MatchString(s) {
		return false
	}
	weights := [8]int{3, 2, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(s[8]-'0')
}

// NormalizePhone returns the number in E.164 form; Norwegian numbers may be
// written without +47.
func NormalizePhone(raw string) (string, bool) {
	n, err := phonenumbers.Parse(raw, "NO")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// NormalizeWebsite returns an absolute http(s) URL; "www.example.no" gets
// https:// in front, as people type it.
func NormalizeWebsite(raw string) (string, bool) {
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Host, ".") || u.User != nil {
		return "", false
	}
	return u.String(), true
}

// NormalizeEmail returns the bare address.
func NormalizeEmail(raw string) (string, bool) {
	a, err := mail.ParseAddress(raw)
	if err != nil || a.Address != raw || !strings.Contains(a.Address[strings.LastIndexByte(a.Address, '@'):], ".") {
		return "", false
	}
	return strings.ToLower(a.Address), true
}

// Normalize tidies and checks every field of l in place and derives its
// district from its coordinates. Every problem found is returned, joined,
// each an apperr naming its field; errors.As finds the first.
func Normalize(l *Listing, districts *district.Map) error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	l.Name = strings.TrimSpace(l.Name)
	switch {
	case l.Name == "":
		add(apperr.Invalid("name", "err.listing.name_missing"))
	case utf8.RuneCountInString(l.Name) > maxName:
		add(apperr.Invalid("name", "err.listing.name_too_long", "max", maxName))
	}
	if l.OrgNumber = strings.ReplaceAll(strings.TrimSpace(l.OrgNumber), " ", ""); l.OrgNumber != "" && !ValidOrgNumber(l.OrgNumber) {
		add(apperr.Invalid("org_number", "err.listing.org_number_invalid"))
	}
	add(normalizeCategories(l))
	add(normalizeServices(l))
	for _, d := range []struct {
		field string
		text  *string
	}{{"description_nb", &l.DescriptionNB}, {"description_en", &l.DescriptionEN}} {
		if *d.text = strings.TrimSpace(*d.text); utf8.RuneCountInString(*d.text) > maxDescription {
			add(apperr.Invalid(d.field, "err.listing.description_too_long", "max", maxDescription))
		}
	}
	add(normalizeContact(l))
	add(normalizePlace(l, districts))
	add(refuseControlCharacters(l))
	if err := l.OpeningHours.Validate(); err != nil {
		add(apperr.Invalid("opening_hours", "err.listing.hours_invalid", "detail", err))
	}
	if l.PriceInfo = strings.TrimSpace(l.PriceInfo); utf8.RuneCountInString(l.PriceInfo) > maxShortText {
		add(apperr.Invalid("price_info", "err.listing.price_info_too_long"))
	}
	if l.PriceFromNOK != nil && (*l.PriceFromNOK < 0 || *l.PriceFromNOK > maxPriceNOK) {
		add(apperr.Invalid("price_from_nok", "err.listing.price_out_of_range", "max", maxPriceNOK))
	}
	if l.Kind == "" {
		l.Kind = KindRepair
	} else if !slices.Contains(Kinds, l.Kind) {
		add(apperr.Invalid("kind", "err.listing.kind_unknown"))
	}
	switch l.WheelchairAccessible {
	case "":
		l.WheelchairAccessible = WheelchairUnknown
	case WheelchairYes, WheelchairNo, WheelchairUnknown:
	default:
		add(apperr.Invalid("wheelchair_accessible", "err.listing.wheelchair_invalid"))
	}
	switch l.Status {
	case StatusPending, StatusPublished:
		l.HideReason = ""
	case StatusHidden:
		if strings.TrimSpace(l.HideReason) == "" {
			add(apperr.Invalid("hide_reason", "err.listing.hide_reason_missing"))
		}
	default:
		add(apperr.Invalid("status", "err.listing.status_unknown"))
	}
	switch l.Source.Kind {
	case SourceOSM, SourceOwner, SourceMunicipality, SourceImport, SourceRegister:
	default:
		add(apperr.Invalid("source", "err.listing.source_unknown"))
	}
	errs = append(errs, normalizeConditions(&l.Conditions)...)
	if l.Conditions.QuoteRequests == "yes" && l.Email == "" {
		errs = append(errs, apperr.Invalid("conditions.quote_requests", "err.listing.quotes_without_email"))
	}
	errs = append(errs, normalizeMarks(l)...)
	return errors.Join(errs...)
}

// RequireOrgNumber is the rule for listings kept by their owners: a
// business gives its organisasjonsnummer; a repair café need not.
func RequireOrgNumber(l *Listing) error {
	if l.OrgNumber != "" {
		return nil
	}
	for _, c := range l.Categories {
		if c != "reparasjonskafe" {
			return apperr.Invalid("org_number", "err.listing.org_number_missing")
		}
	}
	return nil
}

// Problems lists the apperrs in err (as Normalize returns them) by field.
func Problems(err error) map[string]*apperr.Error {
	out := map[string]*apperr.Error{}
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Field != "" {
			if _, seen := out[ae.Field]; !seen {
				out[ae.Field] = ae
			}
		}
	}
	walk(err)
	return out
}

func normalizeCategories(l *Listing) error {
	seen := map[string]bool{}
	var out []string
	for _, c := range l.Categories {
		if !category.Valid(c) {
			return apperr.Invalid("categories", "err.listing.category_unknown", "value", c)
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return apperr.Invalid("categories", "err.listing.category_missing")
	}
	l.Categories = out
	return nil
}

func normalizeServices(l *Listing) error {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range l.Services {
		s = strings.ToLower(strings.Join(strings.Fields(s), " "))
		if s == "" || seen[s] {
			continue
		}
		if utf8.RuneCountInString(s) > maxService {
			return apperr.Invalid("services", "err.listing.service_too_long", "value", s)
		}
		seen[s] = true
		out = append(out, s)
	}
	if len(out) > maxServices {
		return apperr.Invalid("services", "err.listing.too_many_services", "max", maxServices)
	}
	l.Services = out
	return nil
}

func normalizeContact(l *Listing) error {
	var ok bool
	if l.Phone = strings.TrimSpace(l.Phone); l.Phone != "" {
		if l.Phone, ok = NormalizePhone(l.Phone); !ok {
			return apperr.Invalid("phone", "err.listing.phone_invalid")
		}
	}
	if l.Email = strings.TrimSpace(l.Email); l.Email != "" {
		if l.Email, ok = NormalizeEmail(l.Email); !ok {
			return apperr.Invalid("email", "err.listing.email_invalid")
		}
	}
	if l.Website = strings.TrimSpace(l.Website); l.Website != "" {
		if l.Website, ok = NormalizeWebsite(l.Website); !ok {
			return apperr.Invalid("website", "err.listing.website_invalid")
		}
	}
	return nil
}

func normalizePlace(l *Listing, districts *district.Map) error {
	a := &l.Address
	a.Street, a.Postcode, a.City = strings.TrimSpace(a.Street), strings.TrimSpace(a.Postcode), strings.TrimSpace(a.City)
	if a.Postcode != "" && !postcodePattern.MatchString(a.Postcode) {
		return apperr.Invalid("address.postcode", "err.listing.postcode_invalid")
	}
	if utf8.RuneCountInString(a.Street) > maxShortText || utf8.RuneCountInString(a.City) > maxShortText {
		return apperr.Invalid("address", "err.listing.address_too_long")
	}
	d, ok := districts.Locate(l.Location.Lat, l.Location.Lng)
	if !ok {
		return apperr.Invalid("location", "err.listing.outside_bergen")
	}
	l.District = d.Slug
	return nil
}

// DisplayPhone formats a normalised (E.164) number as people write it:
// "55 31 21 21" for a Norwegian number, the international form otherwise.
func DisplayPhone(e164 string) string {
	n, err := phonenumbers.Parse(e164, "NO")
	if err != nil {
		return e164
	}
	if phonenumbers.GetRegionCodeForNumber(n) == "NO" {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

// refuseControlCharacters refuses line breaks and other control
// characters in the one-line fields (a name with CR/LF would add lines to
// the e-mails and files it is written into) and any but line breaks in
// the descriptions, whose CRLF become LF.
func refuseControlCharacters(l *Listing) error {
	var errs []error
	oneLine := []struct {
		field string
		text  string
	}{{"name", l.Name}, {"address.street", l.Address.Street}, {"address.city", l.Address.City}, {"price_info", l.PriceInfo},
		{"phone", l.Phone}, {"email", l.Email}, {"website", l.Website}}
	for _, s := range l.Services {
		oneLine = append(oneLine, struct {
			field string
			text  string
		}{"services", s})
	}
	for _, f := range oneLine {
		if hasControl(f.text, false) {
			errs = append(errs, apperr.Invalid(f.field, "err.listing.control_characters"))
		}
	}
	for _, d := range []struct {
		field string
		text  *string
	}{{"description_nb", &l.DescriptionNB}, {"description_en", &l.DescriptionEN}} {
		*d.text = strings.ReplaceAll(*d.text, "\r\n", "\n")
		if hasControl(*d.text, true) {
			errs = append(errs, apperr.Invalid(d.field, "err.listing.control_characters"))
		}
	}
	return errors.Join(errs...)
}

// hasControl reports control characters (and the Unicode line and
// paragraph separators), or text that is not UTF-8.
func hasControl(s string, newlines bool) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if (unicode.IsControl(r) && (!newlines || r != '\n')) || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}
