// Package cli is the jobkit command line: a thin main calls Main, and every
// command is testable in-process with its own stdin, stdout and stderr.
package jobkitcli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/jobkit-dev/jobkit/internal/version"
)

// Exit codes, as actionlint and kubeconform users expect.
const (
	ExitOK      = 0 // no errors
	ExitProblem = 1 // errors found (or warnings with --strict)
	ExitUsage   = 2 // bad flags or arguments
	ExitFatal   = 3 // an input could not be read, or an output not written
)

// Env is what a command may touch.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

type command struct {
	summary string
	run     func(env Env, args []string) int
}

// commands is filled by the files of this package, one file per command.
var commands = map[string]command{}

// Main runs one jobkit invocation and returns its exit code.
func Main(args []string, env Env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintf(env.Stdout, "jobkit %s\n", version.Version)
		return ExitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "jobkit: unknown command %q\n\n", args[0])
		usage(env.Stderr)
		return ExitUsage
	}
	return c.run(env, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "jobkit checks, fixes and explains GPU job definitions (Nosana and Nomad JSON).")
	fmt.Fprintln(w, "\nUsage: jobkit <command> [flags] [args]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "  version   print the version\n\nRun 'jobkit <command> -h' for a command's flags.")
}

// parseFlags parses flags that may come before or after positional
// arguments (jobkit lint job.json --format json). It reports usage errors
// itself and returns ok=false with the exit code to use.
func parseFlags(fs *flag.FlagSet, env Env, args []string) (rest []string, code int, ok bool) {
	fs.SetOutput(env.Stderr)
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, ExitOK, false
			}
			return nil, ExitUsage, false
		}
		args = fs.Args()
		// Take positional arguments up to the next flag, then parse again.
		i := 0
		for i < len(args) && (!strings.HasPrefix(args[i], "-") || args[i] == "-") {
			i++
		}
		rest = append(rest, args[:i]...)
		if i < len(args) && args[i] == "--" {
			return append(rest, args[i+1:]...), 0, true
		}
		if i == len(args) {
			return rest, 0, true
		}
		args = args[i:]
	}
}
