package cli

import (
	"context"
	"io"

	"github.com/bergenreparerer/reparerer/internal/app"
	"github.com/bergenreparerer/reparerer/internal/config"
)

func serve(ctx context.Context, args, env []string, stderr io.Writer) (err error) {
	cfg, _, err := config.Load(env, args, "serve", stderr, nil)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, newLogger(cfg, stderr), app.Options{})
	if err != nil {
		return err
	}
	defer closeWith(&err, a)
	return a.Run(ctx)
}
