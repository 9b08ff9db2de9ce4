package meili

import (
	"slices"
	"strconv"
	"time"

	"github.com/bergenreparerer/reparerer/internal/openinghours"
)

// "Open at T" is an exact filter inside Meilisearch, kept exact by work
// that grows with the listings that change, not with the clock:
//
//   - the regular week is indexed once as minutes of the local week
//     (Monday 00:00 in Bergen is 0): week_slots are the 15-minute slots
//     open throughout, week_minutes the open minutes of the others. They
//     hold for every ordinary date, forever.
//   - the few dates where the week does not tell the truth — a dated
//     exception, a public holiday with its own hours, the morning after a
//     night that differs, a daylight-saving night the hours reach into —
//     are irregular_days (YYYYMMDD); for those dates alone the open times
//     are indexed as absolute slots (unix time / 900) and minutes (unix
//     time / 60), as openinghours.Schedule computes them.
//
// A document covers the irregular dates up to the end of the year after
// the one it was indexed in, so a year's holidays roll in once a year
// (app: the open-times refresh), and open_at may ask up to
// search.OpenAtAhead ahead.

const (
	weekMinutes = 7 * 24 * 60
	slotMinutes = 15
	// dstHour is the wall-clock hour that a daylight-saving change skips
	// or repeats in Europe/Oslo (02:00-03:00).
	dstHourStart, dstHourEnd = 120, 180
)

// DocumentFormat names how documents are shaped — their open times, hours,
// repair conditions and marks: documents of another format are re-indexed
// once (app.RefreshOpenTimes). DocumentState is the index_state entry that
// says which format and which year's cover the documents have.
const (
	DocumentFormat = "card-v7"
	DocumentState  = "open_times"
)

// DocumentStateNow is DocumentState's value for documents indexed at now.
func DocumentStateNow(now time.Time) string {
	return DocumentFormat + ":" + strconv.Itoa(now.In(openinghours.Oslo).Year())
}

// openTimes is what a document says about when the listing is open.
type openTimes struct {
	WeekSlots, WeekMinutes []int
	IrregularDays          []int
	Slots, Minutes         []int64
}

// CoveredUntil is the end of the irregular dates a document indexed at now
// lists: the end of next year, local time.
func CoveredUntil(now time.Time) time.Time {
	return time.Date(now.In(openinghours.Oslo).Year()+2, time.January, 1, 0, 0, 0, 0, openinghours.Oslo)
}

// openTimesOf computes a schedule's open times for a document indexed at
// now: irregular dates from the day before now (open_at may ask a moment
// back) to CoveredUntil(now).
func openTimesOf(h *openinghours.Schedule, now time.Time) openTimes {
	ot := openTimes{WeekSlots: []int{}, WeekMinutes: []int{}, IrregularDays: []int{}, Slots: []int64{}, Minutes: []int64{}}
	if !h.Known() {
		return ot // never open, never closed: unknown
	}
	ot.WeekSlots, ot.WeekMinutes = weekTimes(h)
	local := now.In(openinghours.Oslo)
	end := CoveredUntil(now)
	for d := time.Date(local.Year(), local.Month(), local.Day()-1, 0, 0, 0, 0, openinghours.Oslo); d.Before(end); d = nextDate(d) {
		if !irregular(h, d) {
			continue
		}
		ot.IrregularDays = append(ot.IrregularDays, dateNumber(d))
		for _, sp := range h.Spans(d, nextDate(d)) {
			a, b := sp.Start.Unix()/60, sp.End.Unix()/60
			ot.Slots, ot.Minutes = appendSlots(ot.Slots, ot.Minutes, a, b)
		}
	}
	return ot
}

// weekTimes are the regular week's open slots and minutes of the week.
func weekTimes(h *openinghours.Schedule) (slots, minutes []int) {
	var open [weekMinutes]bool
	for day, ivs := range h.Week {
		for _, iv := range ivs {
			for m := day*24*60 + iv.Start; m < day*24*60+iv.End; m++ {
				open[m%weekMinutes] = true // Sunday night runs into Monday
			}
		}
	}
	slots, minutes = []int{}, []int{}
	for s := 0; s < weekMinutes/slotMinutes; s++ {
		whole := true
		for m := s * slotMinutes; m < (s+1)*slotMinutes; m++ {
			whole = whole && open[m]
		}
		if whole {
			slots = append(slots, s)
			continue
		}
		for m := s * slotMinutes; m < (s+1)*slotMinutes; m++ {
			if open[m] {
				minutes = append(minutes, m)
			}
		}
	}
	return slots, minutes
}

// appendSlots adds the unix minutes [a, b) as whole slots and loose
// minutes.
func appendSlots(slots, minutes []int64, a, b int64) ([]int64, []int64) {
	firstFull := (a + slotMinutes - 1) / slotMinutes
	endFull := b / slotMinutes
	if firstFull >= endFull {
		for m := a; m < b; m++ {
			minutes = append(minutes, m)
		}
		return slots, minutes
	}
	for m := a; m < firstFull*slotMinutes; m++ {
		minutes = append(minutes, m)
	}
	for s := firstFull; s < endFull; s++ {
		slots = append(slots, s)
	}
	for m := endFull * slotMinutes; m < b; m++ {
		minutes = append(minutes, m)
	}
	return slots, minutes
}

// irregular reports whether the regular week may not answer for the local
// date d: its own hours differ from its weekday's; the night from the day
// before reaches into it differently than the week says; or the clocks
// change that night and the hours touch the hour that is skipped or
// repeated.
func irregular(h *openinghours.Schedule, d time.Time) bool {
	prev := d.AddDate(0, 0, -1)
	if !slices.Equal(actual(h, d), regular(h, d)) {
		return true
	}
	if !slices.Equal(pastMidnight(actual(h, prev)), pastMidnight(regular(h, prev))) {
		return true
	}
	if !clocksChange(d) {
		return false
	}
	for _, iv := range actual(h, d) {
		if iv.Start < dstHourEnd && iv.End > dstHourStart {
			return true
		}
	}
	for _, iv := range actual(h, prev) {
		if iv.Start < 24*60+dstHourEnd && iv.End > 24*60+dstHourStart {
			return true
		}
	}
	return false
}

func actual(h *openinghours.Schedule, d time.Time) []openinghours.Interval {
	return h.IntervalsOn(d.Year(), d.Month(), d.Day())
}

func regular(h *openinghours.Schedule, d time.Time) []openinghours.Interval {
	return h.Week[(int(d.Weekday())+6)%7]
}

// pastMidnight is what the intervals of a date hold after its midnight.
func pastMidnight(ivs []openinghours.Interval) []openinghours.Interval {
	var out []openinghours.Interval
	for _, iv := range ivs {
		if iv.End > 24*60 {
			out = append(out, openinghours.Interval{Start: max(iv.Start, 24*60), End: iv.End})
		}
	}
	return out
}

// clocksChange reports whether the local date d is not 24 hours long.
func clocksChange(d time.Time) bool { return nextDate(d).Sub(d) != 24*time.Hour }

// nextDate is the local midnight after the local midnight d.
func nextDate(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, openinghours.Oslo)
}

// dateNumber is a local date as YYYYMMDD.
func dateNumber(t time.Time) int {
	t = t.In(openinghours.Oslo)
	return t.Year()*10000 + int(t.Month())*100 + t.Day()
}

// weekMinute is t's minute of the local week, Monday 00:00 being 0.
func weekMinute(t time.Time) int {
	t = t.In(openinghours.Oslo)
	return ((int(t.Weekday())+6)%7)*24*60 + t.Hour()*60 + t.Minute()
}
