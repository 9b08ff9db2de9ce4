package web

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/importer"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

// maxUpload bounds an import file.
const maxUpload = 2 << 20

type importData struct {
	// Preview, when set, is the dry run waiting for confirmation.
	Preview *previewData
	// Done, when set, is what a confirmation wrote.
	Done *importer.Applied
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
	Changes                          []changeRow
	Approximate                      bool
}

func (s *Server) importForm(c *fiber.Ctx) error {
	return s.renderAdmin(c, fiber.StatusOK, "import", s.lang(c).T("admin.import.heading"), importData{}, nil)
}

// importPreview keeps the uploaded file and shows what importing it would
// do; nothing is written to the listings.
func (s *Server) importPreview(c *fiber.Ctx) error {
	l := s.lang(c)
	refuse := func(key string, args ...any) error {
		return s.renderAdmin(c, fiber.StatusBadRequest, "import", l.T("admin.import.heading"), importData{},
			&formError{Field: "file", Message: l.T(key, args...)})
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return refuse("admin.import.error.no_file")
	}
	if fh.Size > maxUpload {
		return refuse("admin.import.error.too_big")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxUpload+1))
	if err != nil {
		return err
	}
	kind := importer.KindCSV
	if ext := strings.ToLower(filepath.Ext(fh.Filename)); ext == ".geojson" || ext == ".json" || bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		kind = importer.KindGeoJSON
	}
	u := importer.Upload{ID: uuid.NewString(), Kind: kind, Filename: filepath.Base(fh.Filename), Body: body,
		CreatedBy: currentUser(c).Email, CreatedAt: s.Now().UTC()}
	rows, err := s.Imports.Read(u)
	if errors.Is(err, importer.ErrFile) {
		return refuse("admin.import.error.unreadable", "detail", strings.TrimPrefix(err.Error(), importer.ErrFile.Error()+": "))
	} else if err != nil {
		return err
	}
	if err := s.Uploads.SaveUpload(c.UserContext(), u); err != nil {
		return err
	}
	plan, err := s.Imports.Plan(c.UserContext(), rows)
	if err != nil {
		return err
	}
	return s.renderAdmin(c, fiber.StatusOK, "import", l.T("admin.import.preview_heading"), importData{Preview: previewOf(l, u, plan)}, nil)
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
			if pr.Code == "invalid" {
				text = fieldLabel(l, pr.Field) + ": " + pr.Detail
			}
			r.Problems = append(r.Problems, text)
		}
		if st.Existing != nil {
			r.ExistingName, r.ExistingURL = st.Existing.Name, adminListingURL(st.Existing.ID)
		}
		if st.Match != "" {
			r.Match = l.T("admin.import.match."+st.Match, "metres", l.Int(st.DistanceM))
		}
		for _, ch := range st.Changes {
			r.Changes = append(r.Changes, changeRow{fieldLabel(l, ch.Field), valueText(l, ch.Field, ch.Before), valueText(l, ch.Field, ch.After)})
		}
		p.Rows = append(p.Rows, r)
	}
	return p
}

// importConfirm writes the previewed file: it is planned again against
// the listings as they are now, with the admin's choice for each
// duplicate, so a file confirmed twice changes nothing the second time.
func (s *Server) importConfirm(c *fiber.Ctx) error {
	ctx, u := c.UserContext(), currentUser(c)
	up, err := s.Uploads.Upload(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	rows, err := s.Imports.Read(up)
	if err != nil {
		return err
	}
	plan, err := s.Imports.Plan(ctx, rows)
	if err != nil {
		return err
	}
	decisions := map[int]string{}
	for _, st := range plan.Steps {
		if st.Action == importer.Duplicate {
			decisions[st.Line] = c.FormValue("decision_" + strconv.Itoa(st.Line))
		}
	}
	done, err := s.Imports.Apply(ctx, plan, decisions, listing.Change{Actor: "admin:" + u.Email, Action: listing.ActionImport,
		Note: "import " + up.ID + " " + up.Filename})
	if err != nil {
		return err
	}
	if err := s.Uploads.MarkUploadApplied(ctx, up.ID, s.Now().UTC()); err != nil {
		return err
	}
	s.Log.Info("import: applied", "upload_id", up.ID, "file", up.Filename, "admin", u.Email,
		"created", done.Created, "updated", done.Updated, "merged", done.Merged, "skipped", done.Skipped)
	return s.renderAdmin(c, fiber.StatusOK, "import", s.lang(c).T("admin.import.done_heading"), importData{Done: &done}, nil)
}
