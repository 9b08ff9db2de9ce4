//go:build pprof

package main

// Built with -tags pprof, the binary serves Go's profiles on
// REPARERER_PPROF_ADDR (default 127.0.0.1:6060), for finding where a
// benchmark's time goes (docs/BENCHMARKS.md, "Profiling"). Release builds
// never have it.

import (
	"cmp"
	"net/http"
	_ "net/http/pprof" //nolint:gosec // only in -tags pprof builds, on a loopback address
	"os"
)

func init() {
	addr := cmp.Or(os.Getenv("REPARERER_PPROF_ADDR"), "127.0.0.1:6060")
	go func() { _ = http.ListenAndServe(addr, nil) }() //nolint:gosec // a profiling build's side port
}
