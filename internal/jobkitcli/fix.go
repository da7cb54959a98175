package jobkitcli

import (
	"encoding/json"
	"flag"
	"fmt"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/intel"
)

func init() {
	commands["fix"] = command{"apply every safe fix to a job file (-w rewrites it)", runFix}
}

func runFix(env Env, args []string) int {
	fs := flag.NewFlagSet("jobkit fix", flag.ContinueOnError)
	write := fs.Bool("w", false, "write the fixed text back to the file")
	asJSON := fs.Bool("json", false, "print JSON: {path, applied, text, remaining diagnostics}")
	var cf configFlags // disabled rules fix nothing, as they report nothing
	cf.register(fs)
	paths, code, ok := parseFlags(fs, env, args)
	if !ok {
		return code
	}
	if err := cf.load(); err != nil {
		fmt.Fprintf(env.Stderr, "jobkit fix: %v\n", err)
		return ExitUsage
	}
	if len(paths) != 1 {
		fmt.Fprintln(env.Stderr, "Usage: jobkit fix [-w] [--json] FILE | -")
		return ExitUsage
	}
	inputs, fatal := collectInputs(env, paths)
	if fatal || len(inputs) != 1 {
		return ExitFatal
	}
	in := inputs[0]
	policy, err := cf.policyFor(in.file)
	if err != nil {
		fmt.Fprintf(env.Stderr, "jobkit fix: %v\n", err)
		return ExitUsage
	}
	opts := core.Options{Policy: policy}
	fixed, applied := intel.FixAll(in.text, opts)
	remaining := core.Lint(fixed, opts).Diagnostics
	if *write && in.path != "<stdin>" && applied > 0 {
		if err := writeFileKeepMode(in.path, fixed); err != nil {
			fmt.Fprintf(env.Stderr, "jobkit fix: %v\n", err)
			return ExitFatal
		}
	}
	switch {
	case *asJSON:
		if remaining == nil {
			remaining = []diag.Diagnostic{}
		}
		out := map[string]any{"path": in.path, "applied": applied, "text": string(fixed), "remaining": remaining}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			return ExitFatal
		}
	case *write && in.path != "<stdin>":
		fmt.Fprintf(env.Stdout, "%s: applied %s, %s left\n", in.path, plural(applied, "fix", "fixes"), plural(len(remaining), "problem", "problems"))
	default:
		env.Stdout.Write(fixed)
	}
	if e, _, _ := diag.Counts(remaining); e > 0 {
		return ExitProblem
	}
	return ExitOK
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
