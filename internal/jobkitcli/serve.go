package jobkitcli

import (
	"context"
	"flag"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/jobkit-dev/jobkit/internal/webui"
)

func init() {
	commands["serve"] = command{"serve the browser editor (built into this binary) on localhost", runServe}
}

func runServe(env Env, args []string) int {
	fs := flag.NewFlagSet("jobkit serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	if _, code, ok := parseFlags(fs, env, args); !ok {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := webui.Serve(ctx, *addr, env.Stdout); err != nil {
		fmt.Fprintf(env.Stderr, "jobkit serve: %v\n", err)
		return ExitFatal
	}
	return ExitOK
}
