package jobkitcli

import (
	"encoding/json"
	"flag"
	"fmt"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/intel"
	"github.com/jobkit-dev/jobkit/core/rule"
)

func init() {
	commands["complete"] = command{"print completions at a byte offset as JSON (for editors and scripts)", runComplete}
	commands["hover"] = command{"print the hover documentation at a byte offset as JSON", runHover}
}

// cursorInput parses the flags shared by complete and hover and reads the file.
func cursorInput(env Env, name string, args []string) (text []byte, offset int, opts core.Options, code int, ok bool) {
	fs := flag.NewFlagSet("jobkit "+name, flag.ContinueOnError)
	off := fs.Int("offset", -1, "byte offset of the cursor in the file (required)")
	as := fs.String("as", "", "treat the file as this format (nosana or nomad)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: jobkit %s --offset N FILE | -\n\nFlags:\n", name)
		fs.PrintDefaults()
	}
	paths, code, ok := parseFlags(fs, env, args)
	if !ok {
		return nil, 0, opts, code, false
	}
	if len(paths) != 1 || *off < 0 {
		fs.Usage()
		return nil, 0, opts, ExitUsage, false
	}
	inputs, fatal := collectInputs(env, paths)
	if fatal || len(inputs) != 1 {
		return nil, 0, opts, ExitFatal, false
	}
	text = inputs[0].text
	if *off > len(text) {
		fmt.Fprintf(env.Stderr, "jobkit %s: --offset %d is past the end of the file (%d bytes)\n", name, *off, len(text))
		return nil, 0, opts, ExitUsage, false
	}
	return text, *off, core.Options{Format: rule.Format(*as)}, 0, true
}

func runComplete(env Env, args []string) int {
	text, off, opts, code, ok := cursorInput(env, "complete", args)
	if !ok {
		return code
	}
	items := intel.Complete(text, off, opts)
	if items == nil {
		items = []intel.Item{}
	}
	return printJSON(env, items)
}

func runHover(env Env, args []string) int {
	text, off, opts, code, ok := cursorInput(env, "hover", args)
	if !ok {
		return code
	}
	return printJSON(env, intel.Hover(text, off, opts))
}

func printJSON(env Env, v any) int {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(env.Stderr, "jobkit: write output: %v\n", err)
		return ExitFatal
	}
	return ExitOK
}
