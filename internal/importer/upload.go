package importer

import (
	"context"
	"time"
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
