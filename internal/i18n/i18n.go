// Package i18n is the message catalogue: every user-facing string of the
// pages and the map script, in Norwegian bokmål (the default) and English,
// with the formatting of numbers, dates and times each language expects.
package i18n

import (
	"embed"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-json"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Lang is a supported language.
type Lang string

// The supported languages; NB is the default.
const (
	NB Lang = "nb"
	EN Lang = "en"
)

// Langs lists the supported languages, the default first.
var Langs = []Lang{NB, EN}

// Parse returns the language named by s, if it is supported.
func Parse(s string) (Lang, bool) {
	l := Lang(strings.ToLower(strings.TrimSpace(s)))
	return l, slices.Contains(Langs, l)
}

//go:embed nb.json en.json
var files embed.FS

// entry is one catalogue entry: a plain string (other only) or plural
// forms. Bokmål and English both use "one" for exactly 1.
type entry struct{ one, other string }

// Catalogue holds every message in every language.
type Catalogue struct {
	byLang map[Lang]*Localizer
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// Load reads the embedded catalogues and checks that every language has
// the same keys with the same placeholders, so a missing translation is
// a start-up error rather than a blank on a page.
func Load() (*Catalogue, error) {
	c := &Catalogue{byLang: map[Lang]*Localizer{}}
	for _, lang := range Langs {
		data, err := files.ReadFile(string(lang) + ".json")
		if err != nil {
			return nil, fmt.Errorf("i18n: read %s: %w", lang, err)
		}
		msgs, err := parse(data)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s.json: %w", lang, err)
		}
		tag := language.MustParse(string(lang))
		c.byLang[lang] = &Localizer{Lang: lang, msgs: msgs, printer: message.NewPrinter(tag)}
	}
	base := c.byLang[NB].msgs
	for _, lang := range Langs[1:] {
		other := c.byLang[lang].msgs
		for key, m := range base {
			o, ok := other[key]
			if !ok {
				return nil, fmt.Errorf("i18n: %q is missing in %s", key, lang)
			}
			if !samePlaceholders(m.other, o.other) || !samePlaceholders(m.one, o.one) {
				return nil, fmt.Errorf("i18n: %q has other placeholders in %s than in %s", key, lang, NB)
			}
		}
		for key := range other {
			if _, ok := base[key]; !ok {
				return nil, fmt.Errorf("i18n: %q is in %s but not in %s", key, lang, NB)
			}
		}
	}
	return c, nil
}

func parse(data []byte) (map[string]entry, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	out := make(map[string]entry, len(raw))
	for key, v := range raw {
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			out[key] = entry{other: s}
			continue
		}
		var forms struct{ One, Other string }
		if err := json.Unmarshal(v, &forms); err != nil || forms.One == "" || forms.Other == "" {
			return nil, fmt.Errorf("%q must be a string or {\"one\", \"other\"}", key)
		}
		out[key] = entry{one: forms.One, other: forms.Other}
	}
	return out, nil
}

func samePlaceholders(a, b string) bool {
	pa, pb := placeholder.FindAllString(a, -1), placeholder.FindAllString(b, -1)
	slices.Sort(pa)
	slices.Sort(pb)
	return slices.Equal(slices.Compact(pa), slices.Compact(pb))
}

// For returns the localizer of lang (the default for an unknown one).
func (c *Catalogue) For(lang Lang) *Localizer {
	if l, ok := c.byLang[lang]; ok {
		return l
	}
	return c.byLang[NB]
}

// Bilingual is an e-mail subject and text in every language, bokmål
// first: used where the reader's language is not known.
func (c *Catalogue) Bilingual(subjectKey, textKey string, args ...any) (subject, text string) {
	var subjects, texts []string
	for _, lang := range Langs {
		l := c.For(lang)
		subjects = append(subjects, l.T(subjectKey, args...))
		texts = append(texts, l.T(textKey, args...))
	}
	return strings.Join(subjects, " / "), strings.Join(texts, "\n\n----\n\n")
}

// Localizer renders messages, numbers and dates in one language.
type Localizer struct {
	Lang    Lang
	msgs    map[string]entry
	printer *message.Printer
}

// Has reports whether key is in the catalogue.
func (l *Localizer) Has(key string) bool { _, ok := l.msgs[key]; return ok }

// T returns the message key with its placeholders filled from args, given
// as name, value pairs: T("status.closes", "time", "17:00"). A key that is
// not in the catalogue comes back as itself, which tests look for.
func (l *Localizer) T(key string, args ...any) string {
	m, ok := l.msgs[key]
	if !ok {
		return key
	}
	return l.fill(m.other, args)
}

// N is T for a message with plural forms; {count} is n, formatted.
func (l *Localizer) N(key string, n int, args ...any) string {
	m, ok := l.msgs[key]
	if !ok {
		return key
	}
	text := m.other
	if n == 1 && m.one != "" {
		text = m.one
	}
	return l.fill(text, append(args, "count", l.Int(n)))
}

func (l *Localizer) fill(text string, args []any) string {
	if len(args) == 0 {
		return text
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// Int formats a whole number: "12 345" in bokmål, "12,345" in English.
func (l *Localizer) Int(n int) string { return l.printer.Sprint(number.Decimal(n)) }

// Decimal formats f with at most digits decimals: "1,2" or "1.2".
func (l *Localizer) Decimal(f float64, digits int) string {
	return l.printer.Sprint(number.Decimal(f, number.MaxFractionDigits(digits)))
}

// Distance formats metres for people walking: "350 m", "1,2 km".
func (l *Localizer) Distance(m int) string {
	if m < 1000 {
		return l.T("unit.m", "n", l.Int(m))
	}
	return l.T("unit.km", "n", l.Decimal(float64(m)/1000, 1))
}

// Weekday names day i, Monday being 0.
func (l *Localizer) Weekday(i int) string { return l.T("weekday." + strconv.Itoa(i)) }

// WeekdayOf names the weekday of t.
func (l *Localizer) WeekdayOf(t time.Time) string { return l.Weekday((int(t.Weekday()) + 6) % 7) }

// When names a coming moment t relative to now, both in the reader's
// time zone: "17:00", "i morgen 10:00", "mandag 10:00", "24. desember 10:00".
func (l *Localizer) When(now, t time.Time) string {
	days := int(time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC).Sub(
		time.Date(now.Year(), now.Month(), now.Day(), 12, 0, 0, 0, time.UTC)).Hours() / 24)
	clock := l.TimeOf(t)
	switch {
	case days == 0:
		return clock
	case days == 1:
		return l.T("status.tomorrow", "time", clock)
	case days < 7:
		return l.T("status.day_time", "day", l.WeekdayOf(t), "time", clock)
	default:
		return l.T("status.day_time", "day", l.DayMonth(int(t.Month()), t.Day()), "time", clock)
	}
}

// Date formats the calendar date of t as people write it: "1. november
// 2026", "1 November 2026". t is read in its own location.
func (l *Localizer) Date(t time.Time) string {
	return l.T("format.date", "day", t.Day(), "month", l.T("month."+strconv.Itoa(int(t.Month()))), "year", t.Year())
}

// DayMonth formats a date without its year: "24. desember".
func (l *Localizer) DayMonth(month, day int) string {
	return l.T("format.day_month", "day", day, "month", l.T("month."+strconv.Itoa(month)))
}

// Clock formats minutes after midnight as a 24-hour time; 24:00 and times
// past midnight keep their meaning ("02:00" for 26:00).
func (l *Localizer) Clock(minutes int) string {
	if minutes != 24*60 {
		minutes %= 24 * 60
	}
	return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60)
}

// Session formats a session's day and times: "lørdag 6. desember kl.
// 12:00–15:00", in the times' own zone (the caller's Bergen time).
func (l *Localizer) Session(start, end time.Time) string {
	return l.T("format.session", "day", l.WeekdayOf(start), "date", l.DayMonth(int(start.Month()), start.Day()),
		"from", l.TimeOf(start), "to", l.TimeOf(end))
}

// TimeOf formats the wall-clock time of t.
func (l *Localizer) TimeOf(t time.Time) string { return l.Clock(t.Hour()*60 + t.Minute()) }

// Script returns the messages whose keys start with "js.", without that
// prefix, for the map script: {"results": {"one": ..., "other": ...}}.
func (l *Localizer) Script() map[string]any {
	out := map[string]any{}
	for key, m := range l.msgs {
		name, ok := strings.CutPrefix(key, "js.")
		if !ok {
			continue
		}
		if m.one != "" {
			out[name] = map[string]string{"one": m.one, "other": m.other}
		} else {
			out[name] = m.other
		}
	}
	return out
}
