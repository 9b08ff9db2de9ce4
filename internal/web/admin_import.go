package web

import (
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/paths"
	"github.com/bergenreparerer/reparerer/internal/spreadsheet"
	"github.com/bergenreparerer/reparerer/internal/web/form"
	"github.com/bergenreparerer/reparerer/internal/web/view"
)

type importData struct {
	// Preview, when set, is the dry run waiting for confirmation.
	Preview *previewData
	// Done, when set, is what a confirmation wrote.
	Done *importer.Applied
	// Run, when set, is a confirmation being written (or stopped).
	Run *runData
}

// runData is how far a background import is, in words and numbers.
type runData struct {
	ID                 string
	Done, Total        int
	Text               string
	Stalled, Failed    bool
	StatusURL, Confirm string
}

type previewData struct {
	ID, Filename                                  string
	Rows                                          []previewRow
	Create, Update, Unchanged, Duplicate, Invalid int
	Applied                                       bool
}

type previewRow struct {
	Line                             int
	Name, Action, ActionText         string
	Problems                         []string
	ExistingName, ExistingURL, Match string
	Changes                          []view.Change
	// Compare sets a possible duplicate's values beside the row's.
	Compare []view.Change
	// Suggested are the row's values for fields people set, which become
	// suggestions rather than changes.
	Suggested   []view.Change
	Approximate bool
}

func (a *admin) importForm(c *fiber.Ctx) error {
	return a.render(c, fiber.StatusOK, "import", a.lang(c).T("admin.import.heading"), importData{}, nil)
}

// importPreview keeps the uploaded file and shows what importing it would
// do; nothing is written to the listings.
func (a *admin) importPreview(c *fiber.Ctx) error {
	l := a.lang(c)
	refuse := func(message string) error {
		return a.render(c, fiber.StatusBadRequest, "import", l.T("admin.import.heading"), importData{},
			&form.Error{Field: "file", Message: message})
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return refuse(l.T("admin.import.error.no_file"))
	}
	if fh.Size > importer.MaxUpload {
		return refuse(l.T("admin.import.error.too_big"))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close() //nolint:errcheck // a read-only upload; ReadAll reports read errors
	body, err := io.ReadAll(io.LimitReader(f, importer.MaxUpload+1))
	if err != nil {
		return err
	}
	u, plan, err := a.imports.Preview(c.UserContext(), fh.Filename, body, currentUser(c).Email)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Field == "file" {
		return refuse(l.T(ae.Key, ae.Args...))
	} else if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "import", l.T("admin.import.preview_heading"), importData{Preview: previewOf(l, u, plan)}, nil)
}

func previewOf(l *i18n.Localizer, u importer.Upload, plan importer.Plan) *previewData {
	p := &previewData{ID: u.ID, Filename: u.Filename, Applied: u.AppliedAt != nil,
		Create: plan.Count(importer.Create), Update: plan.Count(importer.Update), Unchanged: plan.Count(importer.Unchanged),
		Duplicate: plan.Count(importer.Duplicate), Invalid: plan.Count(importer.Invalid)}
	for _, st := range plan.Steps {
		r := previewRow{Line: st.Line, Action: st.Action, ActionText: l.T("admin.import.action." + st.Action), Approximate: st.Approximate}
		if st.Listing != nil {
			r.Name = st.Listing.Name
		}
		for _, pr := range st.Problems {
			text := l.T("import.problem."+pr.Code, "value", pr.Value)
			if pr.Code == "invalid" && pr.Err != nil {
				text = view.FieldLabel(l, pr.Field) + ": " + l.T(pr.Err.Key, pr.Err.Args...)
			}
			r.Problems = append(r.Problems, text)
		}
		if st.Existing != nil {
			r.ExistingName, r.ExistingURL = st.Existing.Name, paths.AdminListing(st.Existing.ID)
		}
		if st.Match != "" {
			r.Match = l.T("admin.import.match."+st.Match, "metres", l.Int(st.DistanceM))
		}
		for _, ch := range st.Changes {
			r.Changes = append(r.Changes, view.NewChange(l, ch))
		}
		if st.Action == importer.Duplicate {
			for _, ch := range listing.Diff(st.Existing, st.Listing) {
				if listing.Revertible(ch.Field) { // the fields people write, not status or verification
					r.Compare = append(r.Compare, view.NewChange(l, ch))
				}
			}
		}
		for _, sg := range st.Suggestions {
			r.Suggested = append(r.Suggested, view.NewChange(l, listing.FieldChange{Field: sg.Field, Before: sg.Current, After: sg.Proposed}))
		}
		p.Rows = append(p.Rows, r)
	}
	return p
}

// importProblemsCSV lists the rows of a previewed file that cannot be
// imported, with why, for the editor to mend in a spreadsheet.
func (a *admin) importProblemsCSV(c *fiber.Ctx) error {
	l := a.lang(c)
	u, plan, err := a.imports.Review(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	p := previewOf(l, u, plan)
	var rows [][]string
	for _, r := range p.Rows {
		if len(r.Problems) > 0 {
			rows = append(rows, []string{strconv.Itoa(r.Line), r.Name, r.ActionText, spreadsheet.List(r.Problems)})
		}
	}
	return sendCSV(c, "importproblemer.csv", []string{"linje", "navn", "handling", "problemer"}, rows)
}

// importConfirm writes the previewed file with the editor's choice for
// each duplicate, in the background: a file written within a moment shows
// its result at once; a longer one leads to its progress page.
func (a *admin) importConfirm(c *fiber.Ctx) error {
	posted := postValues(c)
	decide := func(line int) string { return posted.Get("decision_" + strconv.Itoa(line)) }
	id := c.Params("id")
	ended, err := a.imports.Start(c.UserContext(), id, decide, currentUser(c).Email)
	if errors.Is(err, importer.ErrRunning) {
		return c.Redirect(paths.ImportConfirm(id), fiber.StatusSeeOther)
	} else if err != nil {
		return err
	}
	select {
	case <-ended:
		return a.importStatus(c)
	case <-time.After(answerWithin):
		return c.Redirect(paths.ImportConfirm(id), fiber.StatusSeeOther)
	case <-c.UserContext().Done():
		return c.Redirect(paths.ImportConfirm(id), fiber.StatusSeeOther)
	}
}

// answerWithin is how long a confirmation waits for its run before it
// leads to the progress page.
const answerWithin = 2 * time.Second

// importStatus shows a confirmed import: its result, its progress, or why
// it stopped; an upload never confirmed shows its preview.
func (a *admin) importStatus(c *fiber.Ctx) error {
	l, id := a.lang(c), c.Params("id")
	run, started, err := a.imports.Runs.Run(c.UserContext(), id)
	if err != nil {
		return err
	}
	if !started {
		u, plan, err := a.imports.Review(c.UserContext(), id)
		if err != nil {
			return err
		}
		return a.render(c, fiber.StatusOK, "import", l.T("admin.import.preview_heading"), importData{Preview: previewOf(l, u, plan)}, nil)
	}
	if run.FinishedAt != nil && run.Failure == "" && run.Result != nil {
		return a.render(c, fiber.StatusOK, "import", l.T("admin.import.done_heading"), importData{Done: run.Result}, nil)
	}
	data := importData{Run: a.runData(l, id, run)}
	if data.Run.Stalled || data.Run.Failed {
		// Stopped: the file planned again against the listings as they
		// are now, to be confirmed again (rows written are not written twice).
		u, plan, err := a.imports.Review(c.UserContext(), id)
		if err != nil {
			return err
		}
		data.Preview = previewOf(l, u, plan)
		return a.render(c, fiber.StatusOK, "import", l.T("admin.import.confirm_again"), data, nil)
	}
	return a.render(c, fiber.StatusOK, "import", l.T("admin.import.running_heading"), data, nil)
}

// importStatusJSON is importStatus for the progress page's script.
func (a *admin) importStatusJSON(c *fiber.Ctx) error {
	l, id := a.lang(c), c.Params("id")
	run, started, err := a.imports.Runs.Run(c.UserContext(), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if !started {
		return c.JSON(fiber.Map{"started": false})
	}
	r := a.runData(l, id, run)
	return c.JSON(fiber.Map{"started": true, "finished": run.FinishedAt != nil, "done": r.Done, "total": r.Total,
		"text": r.Text, "stalled": r.Stalled, "failed": r.Failed})
}

func (a *admin) runData(l *i18n.Localizer, id string, run importer.Run) *runData {
	r := &runData{ID: id, Done: run.Done, Total: run.Total, StatusURL: paths.ImportStatus(id), Confirm: paths.ImportConfirm(id)}
	p := run.Progress()
	switch {
	case run.Failure != "":
		r.Failed, r.Text = true, l.T("admin.import.failed", "done", l.Int(p.Done), "total", l.Int(p.Total), "reason", run.Failure)
	case run.Stalled(a.now()):
		r.Stalled, r.Text = true, l.T("admin.import.stalled", "done", l.Int(p.Done), "total", l.Int(p.Total))
	default:
		r.Text = l.T("admin.import.progress_starting", "done", l.Int(p.Done), "total", l.Int(p.Total))
		if left, ok := p.Left(); ok {
			r.Text = l.T("admin.import.progress", "done", l.Int(p.Done), "total", l.Int(p.Total),
				"rate", l.Int(int(p.Rate()+0.5)), "left", duration(l, left))
		}
	}
	return r
}

// duration says a span of time in minutes and seconds.
func duration(l *i18n.Localizer, d time.Duration) string {
	secs := int(d.Round(time.Second) / time.Second)
	if secs < 60 {
		return l.T("admin.import.seconds", "n", secs)
	}
	return l.T("admin.import.minutes", "m", secs/60, "s", secs%60)
}
