package cli

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
	"github.com/jobkit-dev/jobkit/internal/output"
	"github.com/jobkit-dev/jobkit/internal/share"
)

func init() {
	commands["lint"] = command{"check job files, directories or stdin (-)", runLint}
}

// maxInput bounds what jobkit reads from one file: a job definition is a few
// kilobytes, so 64 MiB is already absurd, and it keeps memory bounded.
const maxInput = 64 << 20

func runLint(env Env, args []string) int {
	fs := flag.NewFlagSet("jobkit lint", flag.ContinueOnError)
	format := fs.String("format", "text", "output format: text, json, sarif or github")
	strict := fs.Bool("strict", false, "exit 1 on warnings too")
	as := fs.String("as", "", "lint as this format (nosana or nomad) instead of detecting it")
	nomadVersion := fs.String("nomad-version", core.DefaultNomadVersion, "Nomad version to check against")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: jobkit lint [flags] PATH... | -\n\nPATH is a file, a directory (searched for *.json), - for stdin, or a jobkit share link.\nExit codes: 0 no errors, 1 errors found, 2 bad usage, 3 an input could not be read.\n\nFlags:")
		fs.PrintDefaults()
	}
	paths, code, ok := parseFlags(fs, env, args)
	if !ok {
		return code
	}
	write, known := output.Formats[*format]
	if !known {
		fmt.Fprintf(env.Stderr, "jobkit lint: unknown --format %q (want text, json, sarif or github)\n", *format)
		return ExitUsage
	}
	if *as != "" && *as != string(rule.Nosana) && *as != string(rule.Nomad) {
		fmt.Fprintf(env.Stderr, "jobkit lint: unknown --as %q (want nosana or nomad)\n", *as)
		return ExitUsage
	}
	if len(paths) == 0 {
		fs.Usage()
		return ExitUsage
	}
	inputs, fatal := collectInputs(env, paths)
	opts := core.Options{Format: rule.Format(*as), NomadVersion: *nomadVersion}
	var files []output.File
	for _, in := range inputs {
		res := core.Lint(in.text, opts)
		files = append(files, output.File{Path: in.path, Format: res.Format, Text: in.text, Diagnostics: res.Diagnostics})
	}
	output.Version = Version
	if err := write(env.Stdout, files, core.Rules()); err != nil {
		fmt.Fprintf(env.Stderr, "jobkit lint: write output: %v\n", err)
		return ExitFatal
	}
	if fatal {
		return ExitFatal
	}
	s := output.Summarize(files)
	if s.Errors > 0 || *strict && s.Warnings > 0 {
		return ExitProblem
	}
	return ExitOK
}

type input struct {
	path string
	text []byte
}

// collectInputs reads every path: files, directories (recursively, *.json,
// sorted), "-" for stdin and share links. Unreadable inputs are reported on
// stderr and make fatal true; the rest are still linted.
func collectInputs(env Env, paths []string) (inputs []input, fatal bool) {
	for _, p := range paths {
		switch {
		case p == "-":
			text, err := io.ReadAll(io.LimitReader(env.Stdin, maxInput+1))
			if err == nil && len(text) > maxInput {
				err = fmt.Errorf("larger than %d MiB", maxInput>>20)
			}
			if err != nil {
				fmt.Fprintf(env.Stderr, "jobkit: read stdin: %v\n", err)
				fatal = true
				continue
			}
			inputs = append(inputs, input{"<stdin>", text})
		case share.IsLink(p):
			text, err := share.Decode(p)
			if err != nil {
				fmt.Fprintf(env.Stderr, "jobkit: share link: %v\n", err)
				fatal = true
				continue
			}
			inputs = append(inputs, input{"<share link>", text})
		default:
			found, err := jsonFiles(p)
			if err != nil {
				fmt.Fprintf(env.Stderr, "jobkit: %v\n", err)
				fatal = true
			}
			for _, f := range found {
				text, err := readFile(f)
				if err != nil {
					fmt.Fprintf(env.Stderr, "jobkit: %v\n", err)
					fatal = true
					continue
				}
				inputs = append(inputs, input{f, text})
			}
		}
	}
	return inputs, fatal
}

// jsonFiles returns p itself for a file, or every *.json below a directory.
func jsonFiles(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, unwrapPathError(err))
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	var out []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != p && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".json") {
			out = append(out, path)
		}
		return nil
	})
	sort.Strings(out)
	if err != nil {
		return out, fmt.Errorf("walk %s: %w", p, err)
	}
	return out, nil
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	text, err := io.ReadAll(io.LimitReader(f, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(text) > maxInput {
		return nil, fmt.Errorf("read %s: larger than %d MiB; is this really a job definition?", path, maxInput>>20)
	}
	return text, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// countBy is used by tests and the rules command.
func countBy(ds []diag.Diagnostic, sev diag.Severity) int {
	n := 0
	for _, d := range ds {
		if d.Severity == sev {
			n++
		}
	}
	return n
}
