package bridge

import (
	"fmt"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/intel"
	"github.com/jobkit-dev/jobkit/core/rule"
)

func init() {
	methods["lint"] = lintMethod
	methods["fixes"] = fixesMethod
}

// DocParams is what every document method receives.
type DocParams struct {
	Text string `json:"text"`
	// Format is "", "auto", "nosana" or "nomad".
	Format string `json:"format"`
}

func (p *DocParams) setText(s string) { p.Text = s }

// decodeDoc decodes a method's parameters (any struct embedding DocParams)
// and returns the lint options they choose: the first step of every method.
func decodeDoc(r request, p interface{ options() (core.Options, error) }) (core.Options, error) {
	if err := decode(r, p); err != nil {
		return core.Options{}, err
	}
	return p.options()
}

func (p DocParams) options() (core.Options, error) {
	switch p.Format {
	case "", "auto":
		return core.Options{}, nil
	case string(rule.Nosana), string(rule.Nomad):
		return core.Options{Format: rule.Format(p.Format)}, nil
	}
	return core.Options{}, fmt.Errorf("unknown format %q (want auto, nosana or nomad)", p.Format)
}

// LintResult is a lint's answer.
type LintResult struct {
	Format      string       `json:"format"`
	Detected    string       `json:"detected"`
	Diagnostics []Diagnostic `json:"diagnostics"`
	Counts      [3]int       `json:"counts"` // errors, warnings, infos
}

// Diagnostic is a diag.Diagnostic as the editor wants it: UTF-16 span,
// 1-based line and UTF-16 column for display, fixes as UTF-16 edits.
type Diagnostic struct {
	Span
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	Path     string `json:"path,omitempty"`
	Pointer  string `json:"pointer,omitempty"`
	DocURL   string `json:"docUrl,omitempty"`
	Fixes    []Fix  `json:"fixes,omitempty"`
}

// Fix is a diag.Fix in UTF-16 offsets.
type Fix struct {
	Title string `json:"title"`
	Safe  bool   `json:"safe"`
	Edits []Edit `json:"edits"`
}

// linter scans each live lint into the memory of the previous one's tree:
// a keystroke in a 200 KB job would otherwise allocate a new tree of a few
// megabytes and leave the last one to the collector. Calls are one at a
// time (the page's worker runs one request after another), and nothing
// keeps a lint's tree: only its diagnostics are answered.
var linter core.Linter

func lintMethod(r request) (any, error) {
	var p DocParams
	opts, err := decodeDoc(r, &p)
	if err != nil {
		return nil, err
	}
	text := []byte(p.Text)
	res := linter.Lint(text, opts)
	o := newOffsets(text)
	out := LintResult{Format: string(res.Format), Detected: string(res.Detected), Diagnostics: make([]Diagnostic, 0, len(res.Diagnostics))}
	out.Counts[0], out.Counts[1], out.Counts[2] = diag.Counts(res.Diagnostics)
	for _, d := range res.Diagnostics {
		out.Diagnostics = append(out.Diagnostics, convertDiagnostic(o, withFixes(text, d)))
	}
	return out, nil
}

// withFixes adds the fixes intel offers beyond those the linter attached.
func withFixes(text []byte, d diag.Diagnostic) diag.Diagnostic {
	if more := intel.Fixes(text, d); len(more) > 0 {
		d.Fixes = append(append([]diag.Fix(nil), d.Fixes...), more...)
	}
	return d
}

func convertDiagnostic(o *offsets, d diag.Diagnostic) Diagnostic {
	out := Diagnostic{
		Span:     o.span(d.Range),
		Line:     d.Range.Start.Line,
		Column:   d.Range.Start.UTF16Column,
		Severity: d.Severity.String(),
		Rule:     d.Rule,
		Message:  d.Message,
		Path:     d.Path,
		Pointer:  d.Pointer,
		DocURL:   d.DocURL,
	}
	for _, f := range d.Fixes {
		fx := Fix{Title: f.Title, Safe: f.Safe, Edits: make([]Edit, 0, len(f.Edits))}
		for _, e := range f.Edits {
			fx.Edits = append(fx.Edits, o.edit(e))
		}
		out.Fixes = append(out.Fixes, fx)
	}
	return out
}

// RangeParams is DocParams plus a UTF-16 range of interest.
type RangeParams struct {
	DocParams
	Span
}

// FixesResult lists the fixes offered for a range, each with the rule it
// comes from.
type FixesResult struct {
	Fixes []RuleFix `json:"fixes"`
}

// RuleFix is a Fix with the diagnostic it resolves.
type RuleFix struct {
	Fix
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// fixesMethod returns the fixes of every diagnostic that touches [from, to]:
// the editor's "quick fix at cursor".
func fixesMethod(r request) (any, error) {
	var p RangeParams
	opts, err := decodeDoc(r, &p)
	if err != nil {
		return nil, err
	}
	text := []byte(p.Text)
	o := newOffsets(text)
	from, to := o.toByte(p.From), o.toByte(max(p.To, p.From))
	out := FixesResult{Fixes: []RuleFix{}}
	for _, d := range core.Lint(text, opts).Diagnostics {
		if d.Range.End.Offset < from || d.Range.Start.Offset > to {
			continue
		}
		cd := convertDiagnostic(o, withFixes(text, d))
		for _, f := range cd.Fixes {
			out.Fixes = append(out.Fixes, RuleFix{Fix: f, Rule: d.Rule, Message: d.Message})
		}
	}
	return out, nil
}
