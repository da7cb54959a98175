package jobkitcli

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/lintconfig"
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
	var cf configFlags
	cf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: jobkit lint [flags] PATH... | -\n\nPATH is a file, a directory (searched for *.json), - for stdin, or a jobkit share link.\n"+
			"Rules are configured by the nearest "+lintconfig.FileName+" above each file (see docs/config.md) and by --disable/--enable.\n"+
			"Exit codes: 0 no errors, 1 errors found, 2 bad usage or config, 3 an input could not be read.\n\nFlags:")
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
	if err := cf.load(); err != nil {
		fmt.Fprintf(env.Stderr, "jobkit lint: %v\n", err)
		return ExitUsage
	}
	budget, restore := startMemoryBudget()
	defer restore()
	srcs := collectSources(env, paths)
	// Policies are resolved first, in input order, so that a bad config
	// stops the run before any linting and its message does not depend on
	// scheduling.
	policies := make([]*lintconfig.Policy, len(srcs))
	for i, src := range srcs {
		if src.msg != "" {
			continue
		}
		policy, err := cf.policyFor(src.file)
		if err != nil {
			for _, prev := range srcs[:i] {
				fmt.Fprint(env.Stderr, prev.msg)
			}
			fmt.Fprintf(env.Stderr, "jobkit lint: %v\n", err)
			return ExitUsage
		}
		policies[i] = policy
	}
	// Each worker reads its file, lints it and keeps the text only when
	// there is something to show from it, so a thousand files never sit in
	// memory at once.
	results := make([]output.File, len(srcs))
	readErrs := make([]error, len(srcs))
	// One Linter per worker: each file is scanned into the memory of the
	// worker's previous tree.
	linters := make([]core.Linter, lintWorkers(len(srcs)))
	lintAll(len(srcs), func(w, i int) {
		src, policy := srcs[i], policies[i]
		if src.msg != "" {
			return
		}
		text := src.text
		var buf *bytes.Buffer
		if src.toRead {
			buf = readBuffers.Get().(*bytes.Buffer)
			if text, readErrs[i] = readFileInto(buf, src.file); readErrs[i] != nil {
				readBuffers.Put(buf)
				return
			}
		}
		tree := int64(len(text)) * treeBytesPerByte
		budget.add(tree)
		opts := core.Options{Format: rule.Format(*as), NomadVersion: *nomadVersion, Policy: policy}
		var res *core.Result
		if isHCLName(src.path) && !startsLikeJSON(text) {
			res = core.LintHCL(text)
			res.Diagnostics = policy.Apply(res.Diagnostics)
		} else {
			res = linters[w].Lint(text, opts)
		}
		kept := int64(len(text)) * keptBytesPerByte
		if len(res.Diagnostics) == 0 {
			kept = 0
			text = nil // only findings show source lines
			if buf != nil {
				// Nothing refers to the text any more (the scanned tree
				// holds copies): the next file is read into the same bytes.
				readBuffers.Put(buf)
			}
		}
		budget.add(kept - tree)
		results[i] = output.File{Path: src.path, Format: res.Format, Text: text, Diagnostics: res.Diagnostics}
	})
	var files []output.File
	fatal := false
	for i, src := range srcs {
		switch {
		case src.msg != "":
			fmt.Fprint(env.Stderr, src.msg)
			fatal = fatal || src.fatal
		case readErrs[i] != nil:
			fmt.Fprintf(env.Stderr, "jobkit: %v\n", readErrs[i])
			fatal = true
		default:
			files = append(files, results[i])
		}
	}
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
	path string // as shown to the user
	file string // on disk ("" for stdin and share links): where the config is looked up
	text []byte
}

// collectInputs reads every path: files, directories (recursively, *.json,
// sorted), "-" for stdin and share links. Unreadable inputs are reported on
// stderr and make fatal true; the rest are still linted.
func collectInputs(env Env, paths []string) (inputs []input, fatal bool) {
	srcs := collectSources(env, paths)
	// A directory of a thousand jobs is read on every core; errors are
	// still reported in path order.
	errs := make([]error, len(srcs))
	lintAll(len(srcs), func(_, i int) {
		if srcs[i].toRead {
			srcs[i].text, errs[i] = readFile(srcs[i].file)
		}
	})
	for i, src := range srcs {
		switch {
		case src.msg != "":
			fmt.Fprint(env.Stderr, src.msg)
			fatal = fatal || src.fatal
		case errs[i] != nil:
			fmt.Fprintf(env.Stderr, "jobkit: %v\n", errs[i])
			fatal = true
		default:
			inputs = append(inputs, src.input)
		}
	}
	return inputs, fatal
}

// source is one entry of the inputs in command-line order: a text already
// read (stdin, a share link), a file still to read, or a message for stderr
// (a path that could not be read, skipped HCL files).
type source struct {
	input
	toRead bool   // file is read by whoever uses the source
	msg    string // printed on stderr in its place, newline included
	fatal  bool   // msg reports a failure (exit 3)
}

// collectSources lists every path: files, directories (recursively, *.json,
// sorted), "-" for stdin and share links. Stdin and share links are read
// here, files are not.
func collectSources(env Env, paths []string) (srcs []source) {
	fail := func(format string, args ...any) {
		srcs = append(srcs, source{msg: fmt.Sprintf(format, args...), fatal: true})
	}
	for _, p := range paths {
		switch {
		case p == "-":
			text, err := io.ReadAll(io.LimitReader(env.Stdin, maxInput+1))
			if err == nil && len(text) > maxInput {
				err = fmt.Errorf("larger than %d MiB", maxInput>>20)
			}
			if err != nil {
				fail("jobkit: read stdin: %v\n", err)
				continue
			}
			srcs = append(srcs, source{input: input{"<stdin>", "", text}})
		case share.IsLink(p):
			text, err := share.Decode(p)
			if err != nil {
				fail("jobkit: share link: %v\n", err)
				continue
			}
			srcs = append(srcs, source{input: input{"<share link>", "", text}})
		default:
			found, hcl, err := jsonFiles(p)
			if err != nil {
				fail("jobkit: %v\n", err)
			}
			if len(hcl) > 0 {
				srcs = append(srcs, source{msg: fmt.Sprintf("jobkit: %s: skipped %s (Nomad HCL, not JSON: %s); convert each with `nomad job run -output FILE > FILE.json`\n",
					p, plural(len(hcl), "HCL file", "HCL files"), listSome(hcl, 3))})
			}
			for _, f := range found {
				srcs = append(srcs, source{input: input{path: f, file: f}, toRead: true})
			}
		}
	}
	return srcs
}

// jsonFiles returns p itself for a file, or every *.json below a directory
// (hidden files and folders and node_modules left out) and the HCL files
// (*.nomad, *.hcl) it skipped there.
func jsonFiles(p string) (out, hcl []string, err error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", p, unwrapPathError(err))
	}
	if !st.IsDir() {
		return []string{p}, nil, nil
	}
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != p && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		switch {
		case d.IsDir() || strings.HasPrefix(d.Name(), "."): // .jobkit.json is a config, not a job
		case strings.HasSuffix(d.Name(), ".json"):
			out = append(out, path)
		case isHCLName(d.Name()):
			hcl = append(hcl, path)
		}
		return nil
	})
	sort.Strings(out)
	sort.Strings(hcl)
	if err != nil {
		return out, hcl, fmt.Errorf("walk %s: %w", p, err)
	}
	return out, hcl, nil
}

// isHCLName reports whether a file name says HCL: *.nomad, *.hcl (and so *.nomad.hcl).
func isHCLName(name string) bool {
	return strings.HasSuffix(name, ".nomad") || strings.HasSuffix(name, ".hcl")
}

// startsLikeJSON reports whether the first non-space byte opens a JSON
// object or list, so a JSON job saved as job.nomad is still linted as JSON.
func startsLikeJSON(text []byte) bool {
	t := bytes.TrimLeft(text, " \t\r\n\uFEFF")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// listSome names the first n items and says how many more there are.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// readBuffers hold the text of files that had nothing to report, for the
// next file: a thousand files are read into a few buffers instead of a
// thousand fresh ones.
var readBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func readFile(path string) ([]byte, error) {
	return readFileInto(new(bytes.Buffer), path)
}

// readFileInto reads a file into buf (emptied first) and returns its bytes.
func readFileInto(buf *bytes.Buffer, path string) ([]byte, error) {
	buf.Reset()
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	// Sized from the file's length, so the text is read into one buffer
	// instead of one that io.ReadAll grows and copies.
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() <= maxInput {
		buf.Grow(int(st.Size()) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, maxInput+1)); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	text := buf.Bytes()
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
