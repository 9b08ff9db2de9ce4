package meili

import "context"

// CreateBare makes the index without its settings, as a half-finished
// start leaves it.
func (ix *Index) CreateBare(ctx context.Context) error {
	_, err := ix.create(ctx, ix.uid)
	return err
}
