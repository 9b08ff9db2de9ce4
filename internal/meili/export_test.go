package meili

import (
	"context"

	"github.com/meilisearch/meilisearch-go"
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
