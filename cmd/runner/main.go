// Command runner runs a Nosana job definition on the local Docker daemon.
// See docs/runner.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/jobkit-dev/jobkit/runner/cli"
)

func main() {
	// Ctrl-C and SIGTERM cancel the run: ops get SIGTERM, then SIGKILL after
	// --grace, and everything the run made is removed before exiting.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
