package meili

import (
	"context"
	"encoding/json"

	"github.com/meilisearch/meilisearch-go"

	"github.com/bergenreparerer/reparerer/internal/listing"
)

// CreateBare makes the index without its settings, as a half-finished
// start leaves it.
func (ix *Index) CreateBare(ctx context.Context) error {
	_, err := ix.create(ctx, ix.uid)
	return err
}

// AddRaw adds documents as they are given, as an older version of the
// service indexed them.
func (ix *Index) AddRaw(ctx context.Context, docs []map[string]any) error {
	pk := "id"
	task, err := ix.client.Index(ix.uid).AddDocumentsWithContext(ctx, docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
	if err != nil {
		return err
	}
	return ix.wait(ctx, task)
}

// DocumentWithout is l's document as the current version indexes it,
// less the given fields, as an older version indexed it.
func (ix *Index) DocumentWithout(l *listing.Listing, fields ...string) (map[string]any, error) {
	b, err := json.Marshal(ix.document(l, ix.Now()))
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	for _, f := range fields {
		delete(doc, f)
	}
	return doc, nil
}
