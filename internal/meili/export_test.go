package meili

import "context"

// CreateBare makes the index without its settings, as a half-finished
// start leaves it.
func (ix *Index) CreateBare(ctx context.Context) error { return ix.create(ctx, ix.uid) }
