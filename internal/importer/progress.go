package importer

import (
	"context"
	"time"
)

// Progress is how far an import is: rows written of all, and since when.
type Progress struct {
	Done, Total int
	// Elapsed is the time from the first row to the last one counted.
	Elapsed time.Duration
}

// Rate is rows written a second (0 before there is a measure).
func (p Progress) Rate() float64 {
	if p.Done == 0 || p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Done) / p.Elapsed.Seconds()
}

// Left is about how long the rest takes at the rate so far (false before
// there is a rate).
func (p Progress) Left() (time.Duration, bool) {
	rate := p.Rate()
	if rate == 0 {
		return 0, false
	}
	return time.Duration(float64(p.Total-p.Done) / rate * float64(time.Second)).Round(time.Second), true
}

// Reporter hears an import's progress at most every interval, and at the
// last row.
func Reporter(now func() time.Time, interval time.Duration, report func(Progress)) func(done, total int) {
	start := now()
	last := start
	return func(done, total int) {
		t := now()
		if t.Sub(last) < interval && done < total {
			return
		}
		last = t
		report(Progress{Done: done, Total: total, Elapsed: t.Sub(start)})
	}
}

// Run is an import the console confirmed, written in the background: its
// progress and outcome, kept with the upload so that every instance of
// the service can show them.
type Run struct {
	Total, Done          int
	StartedAt, UpdatedAt time.Time
	FinishedAt           *time.Time
	Result               *Applied
	// Failure says why the run stopped ("" when it did not).
	Failure string
}

// Progress is the run's progress so far.
func (r Run) Progress() Progress {
	return Progress{Done: r.Done, Total: r.Total, Elapsed: r.UpdatedAt.Sub(r.StartedAt)}
}

// Stalled reports whether an unfinished run has not moved for a while: the
// instance writing it stopped (a restart), and confirming again finishes
// it (a confirmation plans against the listings as they are).
func (r Run) Stalled(now time.Time) bool {
	return r.FinishedAt == nil && now.Sub(r.UpdatedAt) > stallAfter
}

// stallAfter is how long a run may go without a progress note; notes are
// written every progressEvery.
const (
	stallAfter    = time.Minute
	progressEvery = 500 * time.Millisecond
)

// Runs keeps the runs of uploads.
type Runs interface {
	// StartRun marks the upload's run started unless one is under way
	// (not finished, not stalled); it reports whether it started one.
	StartRun(ctx context.Context, id string, total int, at, stalledBefore time.Time) (bool, error)
	ProgressRun(ctx context.Context, id string, done int, at time.Time) error
	FinishRun(ctx context.Context, id string, result *Applied, failure string, at time.Time) error
	Run(ctx context.Context, id string) (Run, bool, error)
}
