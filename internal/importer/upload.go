package importer

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Upload is an import file kept between its preview and its confirmation,
// so that what is confirmed is the file that was previewed.
type Upload struct {
	ID, Kind, Filename, CreatedBy string
	Body                          []byte
	CreatedAt                     time.Time
	AppliedAt                     *time.Time
}

// Kinds of upload.
const (
	KindCSV     = "csv"
	KindGeoJSON = "geojson"
)

// Uploads keeps uploaded files.
type Uploads interface {
	SaveUpload(ctx context.Context, u Upload) error
	Upload(ctx context.Context, id string) (Upload, error)
	MarkUploadApplied(ctx context.Context, id string, at time.Time) error
}

// Read reads an upload of either kind into rows.
func (p *Planner) Read(u Upload) ([]Row, error) {
	if u.Kind == KindGeoJSON {
		return p.ReadGeoJSON(u.Body)
	}
	return p.ReadCSV(u.Body)
}

// MaxUpload bounds an import file, in bytes.
const MaxUpload = 2 << 20

// Service previews and confirms the municipality's import files: a file
// is kept when previewed, so the file confirmed is the file that was
// shown, and nothing is written to the listings before the confirmation.
type Service struct {
	Planner *Planner
	Uploads Uploads
	// Runs keeps the progress of confirmations written in the background.
	Runs Runs
	Now  func() time.Time
	Log  *slog.Logger

	running sync.WaitGroup
}

// Preview keeps the file and plans it against the listings as they are.
// A file too big or unreadable is an invalid_parameter error on "file".
func (s *Service) Preview(ctx context.Context, filename string, body []byte, by string) (Upload, Plan, error) {
	if len(body) > MaxUpload {
		return Upload{}, Plan{}, apperr.Invalid("file", "admin.import.error.too_big")
	}
	kind := KindCSV
	if ext := strings.ToLower(filepath.Ext(filename)); ext == ".geojson" || ext == ".json" || bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		kind = KindGeoJSON
	}
	u := Upload{ID: uuid.NewString(), Kind: kind, Filename: filepath.Base(filename), Body: body, CreatedBy: by, CreatedAt: s.Now().UTC()}
	rows, err := s.Planner.Read(u)
	if errors.Is(err, ErrFile) {
		return u, Plan{}, apperr.Invalid("file", "admin.import.error.unreadable",
			"detail", strings.TrimPrefix(err.Error(), ErrFile.Error()+": "))
	} else if err != nil {
		return u, Plan{}, err
	}
	if err := s.Uploads.SaveUpload(ctx, u); err != nil {
		return u, Plan{}, err
	}
	plan, err := s.Planner.Plan(ctx, rows)
	return u, plan, err
}

// Review plans a kept file again against the listings as they are, writing
// nothing (for its problems as a file the editor can mend).
func (s *Service) Review(ctx context.Context, id string) (Upload, Plan, error) {
	up, err := s.Uploads.Upload(ctx, id)
	if err != nil {
		return up, Plan{}, err
	}
	rows, err := s.Planner.Read(up)
	if err != nil {
		return up, Plan{}, err
	}
	plan, err := s.Planner.Plan(ctx, rows)
	return up, plan, err
}

// Confirm writes a previewed file: it is planned again against the
// listings as they are now, with decide's choice for each duplicate
// (by line), so a file confirmed twice changes nothing the second time.
func (s *Service) Confirm(ctx context.Context, id string, decide func(line int) string, by string) (Upload, Applied, error) {
	up, plan, decisions, err := s.confirmed(ctx, id, decide)
	if err != nil {
		return up, Applied{}, err
	}
	done, err := s.apply(ctx, s.Planner, up, plan, decisions, by)
	return up, done, err
}

// ErrRunning is a confirmation of an upload whose run is under way.
var ErrRunning = errors.New("importer: this import is being written")

// Start is Confirm in the background: it plans the file, marks its run
// started and returns; the rows are written meanwhile, with their
// progress and the outcome kept with the upload (Runs). The returned
// channel closes when the run ends. A run under way is not started twice.
func (s *Service) Start(ctx context.Context, id string, decide func(line int) string, by string) (<-chan struct{}, error) {
	up, plan, decisions, err := s.confirmed(ctx, id, decide)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	started, err := s.Runs.StartRun(ctx, id, len(plan.Steps), now, now.Add(-stallAfter))
	if err != nil {
		return nil, err
	}
	if !started {
		return nil, ErrRunning
	}
	// The run outlives the request that started it, not the service: a
	// stop waits for it (Wait), and a run cut short stalls and may be
	// confirmed again.
	runCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), maxRun)
	planner := *s.Planner
	planner.Progress = Reporter(s.Now, progressEvery, func(p Progress) {
		if err := s.Runs.ProgressRun(runCtx, id, p.Done, s.Now().UTC()); err != nil {
			s.Log.Warn("import: could not note progress", "upload_id", id, "error", err)
		}
	})
	ended := make(chan struct{})
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		defer close(ended)
		defer cancel()
		done, err := s.apply(runCtx, &planner, up, plan, decisions, by)
		failure := ""
		if err != nil {
			failure = err.Error()
			s.Log.Error("import: run stopped", "upload_id", id, "error", err)
		}
		if err := s.Runs.FinishRun(context.WithoutCancel(runCtx), id, &done, failure, s.Now().UTC()); err != nil {
			s.Log.Error("import: could not record the run's outcome", "upload_id", id, "error", err)
		}
	}()
	return ended, nil
}

// maxRun bounds one background import.
const maxRun = 30 * time.Minute

// Wait waits for the runs under way, or until ctx ends.
func (s *Service) Wait(ctx context.Context) {
	done := make(chan struct{})
	go func() { s.running.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// confirmed plans an upload again against the listings as they are now,
// with decide's choice for each duplicate.
func (s *Service) confirmed(ctx context.Context, id string, decide func(line int) string) (Upload, Plan, map[int]string, error) {
	up, plan, err := s.Review(ctx, id)
	if err != nil {
		return up, plan, nil, err
	}
	decisions := map[int]string{}
	for _, st := range plan.Steps {
		if st.Action == Duplicate {
			decisions[st.Line] = decide(st.Line)
		}
	}
	return up, plan, decisions, nil
}

func (s *Service) apply(ctx context.Context, p *Planner, up Upload, plan Plan, decisions map[int]string, by string) (Applied, error) {
	done, err := p.Apply(ctx, plan, decisions, listing.Change{Actor: "admin:" + by, Action: listing.ActionImport,
		Note: "import " + up.ID + " " + up.Filename})
	if err != nil {
		return done, err
	}
	if err := s.Uploads.MarkUploadApplied(ctx, up.ID, s.Now().UTC()); err != nil {
		return done, err
	}
	s.Log.Info("import: applied", "upload_id", up.ID, "file", up.Filename, "admin", by,
		"created", done.Created, "updated", done.Updated, "merged", done.Merged, "skipped", done.Skipped)
	return done, nil
}
