// Command reparerer is the Bergen Reparerer service and its tools.
package main

import (
	"os"
	_ "time/tzdata" // Europe/Oslo must be known even in a minimal container

	"github.com/bergenreparerer/reparerer/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}
