// Command runner runs a Nosana job definition on the local Docker daemon.
// See docs/runner.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/jobkit-dev/jobkit/runner/runnercli"
)

func main() {
	// A closed stdout (`runner job.json | head`) must not kill the runner
	// before it removes its containers: with SIGPIPE ignored, writes fail
	// with EPIPE instead, and the run goes on with its output in its log
	// files.
	signal.Ignore(syscall.SIGPIPE)
	// Ctrl-C, SIGTERM and SIGHUP (the SSH session closed) cancel the run:
	// ops get SIGTERM, then SIGKILL after --grace, and everything the run
	// made is removed before exiting.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := runnercli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
