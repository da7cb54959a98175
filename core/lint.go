// Package core is jobkit's shared engine: it scans a job document once,
// detects its format, runs the schema layer and the semantic rules, and
// returns sorted diagnostics. It is pure Go (no syscall/js, no Docker, no
// net/http of its own) and also builds for GOOS=js GOARCH=wasm.
package core

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/lintconfig"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Options choose how a document is linted.
type Options struct {
	// Format forces a format; "" detects it from the document's shape.
	Format rule.Format
	// NomadVersion is the Nomad version to check against (default "1.9").
	NomadVersion string
	// Policy disables rules, overrides severities and ignores places
	// (.jobkit.json and --disable/--enable); nil changes nothing.
	Policy *lintconfig.Policy
}

// Result is what Lint found.
type Result struct {
	// Format is the format the document was linted as; Detected is what the
	// document's shape says (they differ when Options.Format forces one).
	Format, Detected rule.Format
	Doc              *jsonast.Document
	Diagnostics      []diag.Diagnostic
}

// Lint checks one document. It never panics and never fails: every problem,
// including unreadable JSON, is a diagnostic.
func Lint(text []byte, opts Options) *Result {
	return lint(text, opts, jsonast.Parse)
}

// Linter lints documents one after another, scanning each into the memory
// of the previous one's tree (jsonast.Arena): for a program that lints many
// files on each of a few goroutines. A Result's Doc is valid until the
// Linter's next Lint; its diagnostics stay valid. A Linter is not safe for
// concurrent use; the zero Linter is ready to use.
type Linter struct {
	arena jsonast.Arena
}

// Lint is Lint, reusing the Linter's memory.
func (l *Linter) Lint(text []byte, opts Options) *Result {
	return lint(text, opts, l.arena.Parse)
}

func lint(text []byte, opts Options, parse func([]byte) *jsonast.Document) *Result {
	if LooksLikeHCL(text) {
		res := LintHCL(text)
		res.Diagnostics = opts.Policy.Apply(res.Diagnostics)
		return res
	}
	return LintDocument(parse(text), opts)
}

// LintDocument is Lint for an already parsed document.
func LintDocument(doc *jsonast.Document, opts Options) *Result {
	res := &Result{Doc: doc, Detected: Detect(doc)}
	res.Format = res.Detected
	if opts.Format != "" {
		res.Format = opts.Format
	}
	var schemaDiags, ruleDiags []diag.Diagnostic
	unknown := false
	if doc.Root != nil {
		if f, ok := formats[res.Format]; ok {
			ropts := rule.Options{NomadVersion: opts.NomadVersion}
			if ropts.NomadVersion == "" {
				ropts.NomadVersion = DefaultNomadVersion
			}
			if f.validate != nil {
				schemaDiags = f.validate(doc, ropts)
			}
			ruleDiags = rule.NewContext(doc, ropts).Run(enabledRules(f.rules(), opts.Policy))
		} else {
			unknown = res.Format == rule.Unknown
		}
	}
	// One slice at its final size: a file full of errors has thousands of
	// diagnostics, and growing it layer by layer copied them again and again.
	ds := make([]diag.Diagnostic, 0, len(doc.Syntax)+len(schemaDiags)+len(ruleDiags)+1)
	ds = append(ds, doc.Syntax...)
	if res.Format == rule.Nomad && doc.TrailingText > 0 {
		trailingForNomad(ds, doc.TrailingText)
	}
	ds = append(append(ds, schemaDiags...), ruleDiags...)
	if unknown {
		ds = append(ds, unknownFormat(doc))
	}
	res.Diagnostics = diag.Sort(opts.Policy.Apply(ds))
	return res
}

// trailingForNomad grades text after the JSON document as a warning: Nomad
// (the HTTP API and `nomad job run -json`) decodes the first JSON value and
// ignores what follows, so the job still runs.
func trailingForNomad(ds []diag.Diagnostic, offset int) {
	for i := range ds {
		if d := &ds[i]; d.Rule == "json-syntax" && d.Range.Start.Offset == offset && d.Severity == diag.Error {
			d.Severity = diag.Warning
			d.Message = "text after the end of the JSON document: Nomad reads the first JSON value and ignores the rest; remove it"
		}
	}
}

// enabledRules drops the rules a policy turns off, so they do not even run.
func enabledRules(rules []*rule.Rule, p *lintconfig.Policy) []*rule.Rule {
	if p == nil {
		return rules
	}
	out := rules[:0:0]
	for _, r := range rules {
		if !p.Disabled(r.ID) {
			out = append(out, r)
		}
	}
	return out
}

// DefaultNomadVersion is the Nomad version rules follow unless told otherwise.
const DefaultNomadVersion = "1.9"

// format is how one kind of document is checked.
type format struct {
	validate func(*jsonast.Document, rule.Options) []diag.Diagnostic // schema layer
	rules    func() []*rule.Rule                                     // every rule of the format, Check or not
	prepare  func() error                                            // compiles what its lints may need later
}

// formats is the one place where formats are registered.
var formats = map[rule.Format]format{}

func unknownFormat(doc *jsonast.Document) diag.Diagnostic {
	return diag.Diagnostic{
		Rule:     "unknown-format",
		Severity: diag.Error,
		Message:  `cannot tell what kind of job this is: a Nosana job has "version", "type": "container" and "ops"; a Nomad job is {"Job": {...}} with "TaskGroups"`,
		Range:    doc.Lines.Range(doc.Root.Start, min(doc.Root.Start+1, doc.Root.End)),
		DocURL:   diag.DocURL("unknown-format"),
	}
}
