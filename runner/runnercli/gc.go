package runnercli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/jobkit-dev/jobkit/runner/engine"
)

const gcUsage = `usage: runner gc [flags]

Removes what runs whose runner died (SIGKILL, OOM kill, power loss) left on
this host: containers, networks and volumes labelled with a runner process
that no longer holds its run's lock, and the private resource copies in the
folders of such runs. Each removal is listed. Live runs are never touched.
Every run does this when it starts.

flags:
`

// gc is `runner gc`.
func gc(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("runner gc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, gcUsage); fs.PrintDefaults() }
	runsDir := fs.String("runs-dir", engine.DefaultRunsDir(), "the runs' folders")
	dryRun := fs.Bool("dry-run", false, "list what would be removed, remove nothing")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitInvalid
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "runner gc: unexpected argument %q\n", fs.Arg(0))
		return ExitInvalid
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	cli, err := engine.Connect(cctx)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return ExitInterrupt
		}
		fmt.Fprintf(stderr, "runner gc: %v\n", err)
		return ExitInfra
	}
	defer cli.Close()
	orphans, err := engine.FindOrphans(ctx, cli, *runsDir)
	if err != nil {
		fmt.Fprintf(stderr, "runner gc: %v\n", err)
		return ExitInfra
	}
	if *dryRun {
		for _, o := range orphans {
			fmt.Fprintf(stdout, "would remove %s\n", o)
		}
		fmt.Fprintf(stdout, "%d to remove\n", len(orphans))
		return ExitOK
	}
	removed, err := engine.RemoveOrphans(ctx, cli, orphans)
	for _, o := range removed {
		fmt.Fprintf(stdout, "removed %s\n", o)
	}
	fmt.Fprintf(stdout, "removed %d\n", len(removed))
	if err != nil {
		fmt.Fprintf(stderr, "runner gc: %v\n", err)
		return ExitInfra
	}
	return ExitOK
}
