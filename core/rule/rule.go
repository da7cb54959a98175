// Package rule defines what a lint rule is and the context it runs in. A rule
// is an id, a severity, a summary, a doc section in docs/rules.md, testdata,
// and (for semantic rules) a Check function over the parsed document.
package rule

import (
	"fmt"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// Format names a kind of job document.
type Format string

const (
	Nosana  Format = "nosana"
	Nomad   Format = "nomad"
	Unknown Format = "unknown"
	// Any marks rules that apply to every document (JSON syntax, schema layer).
	Any Format = ""
)

// Rule is one lint rule.
type Rule struct {
	ID       string // kebab-case, stable: it appears in output, docs and suppressions
	Format   Format
	Severity diag.Severity // the default severity; a check may report a different one
	Summary  string        // one line for `jobkit rules`
	// Check runs the rule. It is nil for rules whose diagnostics come from the
	// scanner or the schema layer.
	Check func(*Context)
}

// Options carry user choices that change what rules report.
type Options struct {
	// NomadVersion is the Nomad version rules check against ("1.9" by default).
	NomadVersion string
}

// Context is what a rule's Check sees.
type Context struct {
	Doc     *jsonast.Document
	Rule    *Rule
	Options Options
	// Shared lets the rules of one run share work (e.g. a parsed literal index),
	// keyed by a package-private type.
	Shared map[any]any

	found []*diag.Diagnostic
	// slab holds the diagnostics found points to, allocated a block at a
	// time: a file full of errors has thousands.
	slab []diag.Diagnostic
	// urlOf is the rule whose DocURL url is.
	urlOf *Rule
	url   string
}

// NewContext returns a context for running rules over doc.
func NewContext(doc *jsonast.Document, opts Options) *Context {
	return &Context{Doc: doc, Options: opts, Shared: map[any]any{}}
}

// Run runs every rule with a Check and returns what they found.
func (c *Context) Run(rules []*Rule) []diag.Diagnostic {
	for _, r := range rules {
		if r.Check == nil {
			continue
		}
		c.Rule = r
		func() {
			// A rule bug must never take the whole lint down: report it as a
			// diagnostic instead (and let the fuzz tests find it).
			defer func() {
				if p := recover(); p != nil {
					c.ReportSpan(0, 0, nil, "internal error in rule %s: %v (please report this)", r.ID, p)
				}
			}()
			r.Check(c)
		}()
	}
	out := make([]diag.Diagnostic, len(c.found))
	for i, d := range c.found {
		out[i] = *d
	}
	return out
}

// Report reports a problem with a node's value and returns the diagnostic so
// the caller can change its severity or add fixes.
func (c *Context) Report(n *jsonast.Node, format string, args ...any) *diag.Diagnostic {
	var buf [16]jsonast.Segment
	return c.ReportSpan(n.Start, n.End, n.AppendSegments(buf[:0]), format, args...)
}

// ReportKey reports a problem with an object member, placed on its key.
func (c *Context) ReportKey(m *jsonast.Member, format string, args ...any) *diag.Diagnostic {
	var buf [16]jsonast.Segment
	return c.ReportSpan(m.KeyStart, m.KeyEnd, m.AppendSegments(buf[:0]), format, args...)
}

// ReportSpan reports a problem at the bytes [start, end) of the field segs.
func (c *Context) ReportSpan(start, end int, segs []jsonast.Segment, format string, args ...any) *diag.Diagnostic {
	id, sev := "internal", diag.Error
	if c.Rule != nil {
		id, sev = c.Rule.ID, c.Rule.Severity
	}
	if c.urlOf != c.Rule || c.url == "" {
		c.urlOf, c.url = c.Rule, diag.DocURL(id)
	}
	if len(c.slab) == cap(c.slab) {
		c.slab = make([]diag.Diagnostic, 0, min(2*cap(c.slab)+8, 1024))
	}
	c.slab = append(c.slab, diag.Diagnostic{
		Rule:     id,
		Severity: sev,
		Message:  fmt.Sprintf(format, args...),
		Path:     jsonast.FormatPath(segs),
		Pointer:  jsonast.FormatPointer(segs),
		Range:    c.Doc.Lines.Range(start, end),
		DocURL:   c.url,
	})
	d := &c.slab[len(c.slab)-1]
	c.found = append(c.found, d)
	return d
}

// Edit makes a text edit replacing the bytes [start, end) of the document.
func (c *Context) Edit(start, end int, newText string) diag.TextEdit {
	return c.Doc.Edit(start, end, newText)
}
