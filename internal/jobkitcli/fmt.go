package jobkitcli

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/jobkit-dev/jobkit/core/intel"
)

func init() {
	commands["fmt"] = command{"pretty-print job files, keeping key order (-w rewrites them)", runFmt}
}

func runFmt(env Env, args []string) int {
	fs := flag.NewFlagSet("jobkit fmt", flag.ContinueOnError)
	write := fs.Bool("w", false, "write the result back to the file instead of printing it")
	list := fs.Bool("l", false, "only list the files whose formatting differs")
	paths, code, ok := parseFlags(fs, env, args)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		fmt.Fprintln(env.Stderr, "Usage: jobkit fmt [-w] [-l] PATH... | -")
		return ExitUsage
	}
	inputs, fatal := collectInputs(env, paths)
	result := ExitOK
	for _, in := range inputs {
		out, err := intel.Format(in.text)
		if err != nil {
			fmt.Fprintf(env.Stderr, "%s: cannot format: %v (run jobkit lint %s)\n", in.path, err, in.path)
			result = ExitProblem
			continue
		}
		changed := !bytes.Equal(out, in.text)
		switch {
		case *list:
			if changed {
				fmt.Fprintln(env.Stdout, in.path)
			}
		case *write && in.path != "<stdin>":
			if changed {
				if err := writeFileKeepMode(in.path, out); err != nil {
					fmt.Fprintf(env.Stderr, "jobkit fmt: %v\n", err)
					return ExitFatal
				}
			}
		default:
			env.Stdout.Write(out)
		}
	}
	if fatal {
		return ExitFatal
	}
	return result
}

// writeFileKeepMode replaces a file's content, keeping its permissions.
func writeFileKeepMode(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	if err := os.WriteFile(path, data, mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
