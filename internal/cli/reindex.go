package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/bergenreparerer/reparerer/internal/meili"
)

func reindex(ctx context.Context, args, env []string, stdout, stderr io.Writer) (err error) {
	cfg, _, districts, db, err := openStore(ctx, "reindex", args, env, stderr, nil)
	if err != nil {
		return err
	}
	defer closeWith(&err, db)
	index, err := meili.New(cfg.MeiliURL, cfg.MeiliKey, cfg.MeiliIndex, districts)
	if err != nil {
		return err
	}
	defer index.Close()
	started := time.Now()
	n, err := index.Reindex(ctx, db)
	if err != nil {
		return err
	}
	// Every document is new, of this format and this year's cover: the
	// service need not re-index them again when it starts.
	if err := db.SetIndexState(ctx, meili.DocumentState, meili.DocumentStateNow(started)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "reindexed %d published listings into %q in %s (new index swapped in; no downtime)\n",
		n, cfg.MeiliIndex, time.Since(started).Round(time.Millisecond))
	return nil
}
