package openinghours

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

var weekdayNames = [7]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}

var monthNames = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// maxOSMLength bounds the input; real values are well under 200 characters.
const maxOSMLength = 1000

// ParseOSM parses the common subset of the OpenStreetMap opening_hours
// syntax: weekday lists and ranges (any letter case), several time ranges a
// day, ranges past midnight, "off"/"closed", "24/7", "PH" (Norwegian public
// holidays), dated exceptions ("Dec 24 off", "2026 Jul 06-Jul 31 off"), and
// both ";" (overriding) and "," (additional) rule separators. Anything else
// is an error: the caller keeps the text and reports it, never guesses.
func ParseOSM(text string) (Schedule, error) {
	s := Schedule{Text: text}
	if strings.TrimSpace(text) == "" {
		return s, fmt.Errorf("opening_hours: empty")
	}
	if len(text) > maxOSMLength {
		return s, fmt.Errorf("opening_hours: longer than %d characters", maxOSMLength)
	}
	toks, err := tokenize(text)
	if err != nil {
		return s, err
	}
	p := &parser{toks: toks, s: &s}
	if err := p.rules(); err != nil {
		return Schedule{Text: text}, err
	}
	s.normalize()
	if err := s.Validate(); err != nil {
		return Schedule{Text: text}, fmt.Errorf("opening_hours: %w", err)
	}
	return s, nil
}

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tNum
	tPunct
)

type token struct {
	kind tokKind
	text string // lower case for words
	pos  int
}

func tokenize(text string) ([]token, error) {
	var toks []token
	rs := []rune(text)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			j := i
			for j < len(rs) && rs[j] < unicode.MaxASCII && unicode.IsLetter(rs[j]) {
				j++
			}
			toks = append(toks, token{tWord, strings.ToLower(string(rs[i:j])), i})
			i = j
		case r >= '0' && r <= '9':
			j := i
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				j++
			}
			toks = append(toks, token{tNum, string(rs[i:j]), i})
			i = j
		case strings.ContainsRune(":-,;/", r):
			toks = append(toks, token{tPunct, string(r), i})
			i++
		case r == '–' || r == '—': // typographic dashes typed by people
			toks = append(toks, token{tPunct, "-", i})
			i++
		default:
			return nil, fmt.Errorf("opening_hours: unsupported character %q at %d", r, i)
		}
	}
	return append(toks, token{kind: tEOF, pos: len(rs)}), nil
}

type parser struct {
	toks []token
	i    int
	s    *Schedule
}

func (p *parser) peek() token        { return p.toks[p.i] }
func (p *parser) peekAt(n int) token { return p.toks[min(p.i+n, len(p.toks)-1)] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) errorf(format string, args ...any) error {
	t := p.peek()
	where := "end"
	if t.kind != tEOF {
		where = fmt.Sprintf("%q at %d", t.text, t.pos)
	}
	return fmt.Errorf("opening_hours: %s (near %s)", fmt.Sprintf(format, args...), where)
}

func (p *parser) isPunct(s string) bool { t := p.peek(); return t.kind == tPunct && t.text == s }

// rule is one parsed rule before it is applied to the schedule.
type rule struct {
	days      [7]bool
	anyDay    bool
	holiday   bool
	dates     []Exception // dated selectors, intervals still empty
	intervals []Interval
	closed    bool
}

func (p *parser) rules() error {
	additional := false
	for {
		r, err := p.rule()
		if err != nil {
			return err
		}
		p.apply(r, additional)
		switch {
		case p.peek().kind == tEOF:
			return nil
		case p.isPunct(";"):
			p.next()
			additional = false
			if p.peek().kind == tEOF { // a trailing ";" is common and harmless
				return nil
			}
		case p.isPunct(","):
			p.next()
			additional = true
		default:
			return p.errorf("expected ';' or end")
		}
	}
}

func (p *parser) rule() (rule, error) {
	var r rule
	if t := p.peek(); t.kind == tNum && t.text == "24" && p.peekAt(1).text == "/" {
		p.next()
		p.next()
		if p.next().text != "7" {
			return r, p.errorf("expected 24/7")
		}
		r.days = [7]bool{true, true, true, true, true, true, true}
		r.intervals = []Interval{{0, minutesPerDay}}
		return r, nil
	}
	if err := p.dateSelector(&r); err != nil {
		return r, err
	}
	if len(r.dates) == 0 {
		if err := p.weekdaySelector(&r); err != nil {
			return r, err
		}
	}
	if len(r.dates) == 0 && !r.holiday && !r.anyDay {
		r.days = [7]bool{true, true, true, true, true, true, true} // "10:00-18:00" alone means every day
	}
	t := p.peek()
	switch {
	case t.kind == tWord && (t.text == "off" || t.text == "closed"):
		p.next()
		r.closed = true
	case t.kind == tNum:
		if err := p.timeRanges(&r); err != nil {
			return r, err
		}
	default:
		return r, p.errorf("expected times or 'off'")
	}
	return r, nil
}

func weekdayIndex(w string) int {
	for i, n := range weekdayNames {
		if strings.ToLower(n) == w {
			return i
		}
	}
	return -1
}

func monthIndex(w string) int {
	for i, n := range monthNames {
		if strings.ToLower(n) == w {
			return i + 1
		}
	}
	return 0
}

// weekdaySelector parses "Mo-Fr", "Mo,We,Fr-Su", "PH", "Mo-Fr,PH".
func (p *parser) weekdaySelector(r *rule) error {
	for {
		t := p.peek()
		if t.kind != tWord {
			return nil
		}
		switch {
		case t.text == "ph":
			p.next()
			r.holiday = true
		case weekdayIndex(t.text) >= 0:
			if err := p.weekdayRange(r); err != nil {
				return err
			}
		case t.text == "off" || t.text == "closed":
			return nil
		default:
			return p.errorf("unknown word")
		}
		// A "," continues the list only when a weekday or PH follows.
		if p.isPunct(",") && p.peekAt(1).kind == tWord && (weekdayIndex(p.peekAt(1).text) >= 0 || p.peekAt(1).text == "ph") {
			p.next()
			continue
		}
		return nil
	}
}

// weekdayRange parses "Mo" or "Fr-Mo" (wrapping past Sunday) into r.
func (p *parser) weekdayRange(r *rule) error {
	from := weekdayIndex(p.next().text)
	to := from
	if p.isPunct("-") {
		p.next()
		if to = weekdayIndex(p.peek().text); to < 0 || p.peek().kind != tWord {
			return p.errorf("expected a weekday")
		}
		p.next()
	}
	for d := from; ; d = (d + 1) % 7 {
		r.days[d] = true
		r.anyDay = true
		if d == to {
			return nil
		}
	}
}

// dateSelector parses "[YYYY] Mon [DD] [-[Mon ]DD]" and "[YYYY] Mon-Mon".
func (p *parser) dateSelector(r *rule) error {
	year := 0
	if t := p.peek(); t.kind == tNum && len(t.text) == 4 && p.peekAt(1).kind == tWord {
		year, _ = strconv.Atoi(t.text)
		if year < 1900 || year > 2999 {
			return p.errorf("year out of range")
		}
		p.next()
	}
	t := p.peek()
	if t.kind != tWord || monthIndex(t.text) == 0 {
		if year != 0 {
			return p.errorf("expected a month after the year")
		}
		return nil
	}
	p.next()
	fromM, fromD := monthIndex(t.text), 1
	toM, toD := fromM, 0 // toD 0: to the end of toM
	if p.peek().kind == tNum {
		d, err := p.dayOfMonth()
		if err != nil {
			return err
		}
		fromD, toD = d, d
	}
	if p.isPunct("-") {
		var err error
		if toM, toD, err = p.dateRangeEnd(toM, toD); err != nil {
			return err
		}
	}
	return p.addDates(r, year, fromM, fromD, toM, toD)
}

// dateRangeEnd parses the end of a date range after its "-": "Mon",
// "Mon DD" or "DD" (the last only after a day, in the same month).
func (p *parser) dateRangeEnd(toM, toD int) (int, int, error) {
	p.next()
	if m := monthIndex(p.peek().text); p.peek().kind == tWord && m > 0 {
		p.next()
		toM, toD = m, 0
	} else if p.peek().kind != tNum || toD == 0 {
		return 0, 0, p.errorf("expected the end of the date range")
	}
	if p.peek().kind == tNum {
		d, err := p.dayOfMonth()
		if err != nil {
			return 0, 0, err
		}
		toD = d
	}
	return toM, toD, nil
}

// addDates adds every date from fromM/fromD to toM/toD (toD 0: the end
// of toM) to r, in year or (0) every year.
func (p *parser) addDates(r *rule, year, fromM, fromD, toM, toD int) error {
	// Walk the range in a leap year when no year is given, so Feb 29 counts.
	walkYear := year
	if walkYear == 0 {
		walkYear = 2000
	}
	start := time.Date(walkYear, time.Month(fromM), fromD, 0, 0, 0, 0, time.UTC)
	if start.Day() != fromD {
		return p.errorf("no such date")
	}
	end := time.Date(walkYear, time.Month(toM), 1, 0, 0, 0, 0, time.UTC)
	if toD == 0 {
		end = end.AddDate(0, 1, -1)
	} else if end = end.AddDate(0, 0, toD-1); end.Day() != toD {
		return p.errorf("no such date")
	}
	if end.Before(start) {
		end = end.AddDate(1, 0, 0) // "Dec 24-Jan 02" runs into the next year
	}
	if end.Sub(start) > 366*24*time.Hour {
		return p.errorf("date range longer than a year")
	}
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		y := 0
		if year != 0 {
			y = d.Year()
		}
		r.dates = append(r.dates, Exception{Year: y, Month: int(d.Month()), Day: d.Day()})
	}
	return nil
}

func (p *parser) dayOfMonth() (int, error) {
	t := p.next()
	d, err := strconv.Atoi(t.text)
	if err != nil || len(t.text) > 2 || d < 1 || d > 31 {
		return 0, p.errorf("day of month out of range")
	}
	return d, nil
}

// timeRanges parses "10:00-18:00,19:00-21:00" and hour-only "10-18".
func (p *parser) timeRanges(r *rule) error {
	for {
		start, err := p.clockTime()
		if err != nil {
			return err
		}
		if !p.isPunct("-") {
			return p.errorf("expected '-' in a time range")
		}
		p.next()
		end, err := p.clockTime()
		if err != nil {
			return err
		}
		if start >= minutesPerDay {
			return p.errorf("a range cannot start at 24:00")
		}
		if end == start {
			return p.errorf("a range that ends when it starts is ambiguous")
		}
		if end < start {
			end += minutesPerDay // past midnight, e.g. 22:00-02:00
		}
		if end <= start || end > 2*minutesPerDay {
			return p.errorf("time range out of order")
		}
		r.intervals = append(r.intervals, Interval{start, end})
		if p.isPunct(",") && p.peekAt(1).kind == tNum {
			p.next()
			continue
		}
		return nil
	}
}

func (p *parser) clockTime() (int, error) {
	t := p.peek()
	if t.kind != tNum || len(t.text) > 2 {
		return 0, p.errorf("expected a time")
	}
	p.next()
	h, _ := strconv.Atoi(t.text)
	m := 0
	if p.isPunct(":") {
		p.next()
		mt := p.peek()
		if mt.kind != tNum || len(mt.text) != 2 {
			return 0, p.errorf("expected minutes")
		}
		p.next()
		m, _ = strconv.Atoi(mt.text)
	}
	if h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, p.errorf("no such time %02d:%02d", h, m)
	}
	return h*60 + m, nil
}

// apply writes a rule into the schedule. A normal rule replaces what earlier
// rules said about its days; an additional one (after ",") adds to it.
func (p *parser) apply(r rule, additional bool) {
	set := func(old []Interval) []Interval {
		switch {
		case r.closed: // "Su off" closes the day after "," too, as people mean it
			return []Interval{}
		case additional:
			return append(append([]Interval{}, old...), r.intervals...)
		default:
			return append([]Interval{}, r.intervals...)
		}
	}
	for d, on := range r.days {
		if on {
			p.s.Week[d] = set(p.s.Week[d])
		}
	}
	if r.holiday {
		p.s.HolidayRule = true
		p.s.Holidays = set(p.s.Holidays)
	}
	for _, date := range r.dates {
		i := sort.Search(len(p.s.Exceptions), func(i int) bool { return !exceptionLess(p.s.Exceptions[i], date) })
		if i < len(p.s.Exceptions) && sameDate(p.s.Exceptions[i], date) {
			p.s.Exceptions[i].Intervals = set(p.s.Exceptions[i].Intervals)
			continue
		}
		date.Intervals = set(nil)
		p.s.Exceptions = append(p.s.Exceptions, Exception{})
		copy(p.s.Exceptions[i+1:], p.s.Exceptions[i:])
		p.s.Exceptions[i] = date
	}
}

func exceptionLess(a, b Exception) bool {
	if a.Year != b.Year {
		return a.Year < b.Year
	}
	if a.Month != b.Month {
		return a.Month < b.Month
	}
	return a.Day < b.Day
}

func sameDate(a, b Exception) bool { return a.Year == b.Year && a.Month == b.Month && a.Day == b.Day }

// normalize sorts and merges overlapping intervals of each day, so equal
// schedules have one representation.
func (s *Schedule) normalize() {
	for d := range s.Week {
		s.Week[d] = mergeIntervals(s.Week[d])
	}
	s.Holidays = mergeIntervals(s.Holidays)
	for i := range s.Exceptions {
		s.Exceptions[i].Intervals = mergeIntervals(s.Exceptions[i].Intervals)
	}
	sort.SliceStable(s.Exceptions, func(i, j int) bool { return exceptionLess(s.Exceptions[i], s.Exceptions[j]) })
}

func mergeIntervals(ivs []Interval) []Interval {
	if len(ivs) == 0 {
		return nil
	}
	ivs = append([]Interval(nil), ivs...)
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].Start < ivs[j].Start })
	out := ivs[:1]
	for _, iv := range ivs[1:] {
		last := &out[len(out)-1]
		if iv.Start <= last.End {
			last.End = max(last.End, iv.End)
			continue
		}
		out = append(out, iv)
	}
	return out
}

// String renders the schedule in OSM syntax; an unparsed schedule renders as
// its original text.
func (s *Schedule) String() string {
	if s.Unparsed {
		return s.Text
	}
	var rules []string
	for d := 0; d < 7; {
		e := d
		for e+1 < 7 && equalIntervals(s.Week[e+1], s.Week[d]) {
			e++
		}
		if len(s.Week[d]) > 0 {
			sel := weekdayNames[d]
			if e > d {
				sel += "-" + weekdayNames[e]
			}
			rules = append(rules, sel+" "+formatIntervals(s.Week[d]))
		}
		d = e + 1
	}
	if s.HolidayRule {
		rules = append(rules, "PH "+formatIntervals(s.Holidays))
	}
	// Runs of consecutive dates with the same hours become one range, as a
	// summer closure was written.
	for i := 0; i < len(s.Exceptions); {
		first, j := s.Exceptions[i], i
		for j+1 < len(s.Exceptions) && nextDay(s.Exceptions[j], s.Exceptions[j+1]) &&
			equalIntervals(s.Exceptions[j+1].Intervals, first.Intervals) {
			j++
		}
		last := s.Exceptions[j]
		sel := fmt.Sprintf("%s %02d", monthNames[first.Month-1], first.Day)
		if j > i {
			sel += fmt.Sprintf("-%s %02d", monthNames[last.Month-1], last.Day)
		}
		if first.Year != 0 {
			sel = fmt.Sprintf("%d %s", first.Year, sel)
		}
		rules = append(rules, sel+" "+formatIntervals(first.Intervals))
		i = j + 1
	}
	if len(rules) == 0 {
		return "off" // known to be closed every day
	}
	return strings.Join(rules, "; ")
}

func formatIntervals(ivs []Interval) string {
	if len(ivs) == 0 {
		return "off"
	}
	parts := make([]string, len(ivs))
	for i, iv := range ivs {
		end := iv.End
		if end > minutesPerDay {
			end -= minutesPerDay
		}
		parts[i] = clock(iv.Start) + "-" + clock(end)
	}
	return strings.Join(parts, ",")
}

func equalIntervals(a, b []Interval) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// nextDay reports whether b is the day after a within the same year (a
// range never wraps here: exceptions are sorted, so a wrap splits in two).
func nextDay(a, b Exception) bool {
	if a.Year != b.Year {
		return false
	}
	y := a.Year
	if y == 0 {
		y = 2000 // a leap year, so Feb 28 is followed by Feb 29
	}
	d := time.Date(y, time.Month(a.Month), a.Day+1, 0, 0, 0, 0, time.UTC)
	return int(d.Month()) == b.Month && d.Day() == b.Day && d.Year() == y
}
