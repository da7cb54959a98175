package rules

import (
	"fmt"
	"github.com/jobkit-dev/jobkit/core/textdist"
	"slices"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/core/nosana/literal"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// literalReference: a %%ops.…%% or %%global.…%% literal in an op's args that
// the node cannot resolve.
//
// Before an op runs, the node replaces every literal in its args. A literal
// it cannot resolve (an unknown op, a result key the op does not declare, a
// port it does not expose, an undeclared variable, a result of an op that has
// not ended yet — the op's own results, or an op of the same group even
// with depends_on, which waits only for the start) fails the op with
// "Unresolved literal". An op may read its own host, endpoint.<port> and
// deployment_endpoint: the node fills those in before any op runs. Text
// that looks like a literal but does not match the node's pattern
// (%%ops.train%%, %%globals.variables.X%%) is passed on unchanged, which is
// never what the author meant. The validator checks none of this.
var literalReference = &rule.Rule{
	ID:       "literal-reference",
	Format:   rule.Nosana,
	Severity: diag.Error,
	Summary:  "a %%ops.…%% or %%global.…%% literal the node cannot resolve, or text it does not read as a literal",
	Check:    checkLiteralReference,
}

// globalKeys are the keys of the node's global store.
var globalKeys = []string{"job", "host", "project", "frps_address"}

// literalCheck is the state of one string value being checked.
type literalCheck struct {
	c    *rule.Context
	g    *nosana.Source
	op   *nosana.SourceOp
	n    *jsonast.Node // the string value
	vars *jsonast.Node // global.variables
}

func checkLiteralReference(c *rule.Context) {
	g := sourceOf(c)
	vars := c.Doc.Root.Get("global").Get("variables")
	// Generated jobs repeat the same command line in every op: each distinct
	// string is scanned for literals once (the scan is a pure function of it).
	type scan struct {
		found  []literal.Literal
		strays []literal.Candidate
	}
	scans := map[string]scan{}
	for _, o := range g.Ops {
		if o.Args == nil {
			continue
		}
		jsonast.Walk(o.Args, func(n *jsonast.Node) bool {
			if n.Is(jsonast.String) && strings.Contains(n.Str, "%%") {
				lc := &literalCheck{c: c, g: g, op: o, n: n, vars: vars}
				sc, ok := scans[n.Str]
				if !ok {
					sc.found = literal.Find(n.Str)
					sc.strays = literal.Strays(n.Str, sc.found)
					if len(scans) < 4096 {
						scans[n.Str] = sc
					}
				}
				for _, l := range sc.found {
					lc.check(l)
				}
				for _, s := range sc.strays {
					lc.stray(s)
				}
			}
			return true
		})
	}
}

// span maps a byte span of the decoded string onto the document.
func (lc *literalCheck) span(start, end int) (int, int) {
	s, e, _ := literal.SourceSpan(lc.c.Doc.Text[lc.n.Start:lc.n.End], lc.n.Str, start, end)
	return lc.n.Start + s, lc.n.Start + e
}

// report reports a problem with literal text [start, end) of the value.
func (lc *literalCheck) report(start, end int, format string, args ...any) *diag.Diagnostic {
	s, e := lc.span(start, end)
	return lc.c.ReportSpan(s, e, lc.n.Segments(), "%s: "+format, append([]any{lc.n.Path()}, args...)...)
}

// fixLiteral offers replacing the literal l with text.
func (lc *literalCheck) fixLiteral(d *diag.Diagnostic, l literal.Literal, title, text string, safe bool) {
	s, e, exact := literal.SourceSpan(lc.c.Doc.Text[lc.n.Start:lc.n.End], lc.n.Str, l.Start, l.End)
	if !exact {
		return
	}
	q := jsonString(text)
	d.Fixes = append(d.Fixes, diag.Fix{Title: title, Edits: []diag.TextEdit{lc.c.Edit(lc.n.Start+s, lc.n.Start+e, q[1:len(q)-1])}, Safe: safe})
}

func (lc *literalCheck) check(l literal.Literal) {
	if body := l.Raw[2 : len(l.Raw)-2]; strings.Contains(body, "%%") {
		head := l.Raw[:2+strings.Index(body, "%%")+2]
		lc.report(l.Start, l.End, "the node reads %q as one literal, because %s comes first and is not a complete three-part literal, so the node's pattern runs on to the end of the next literal; the op then fails with \"Unresolved literal\": put the three-part literal (%%%%ops.…%%%% or %%%%global.variables.…%%%%) first, or separate the two with a \".\"",
			l.Raw, head)
		return
	}
	if l.Scope == literal.ScopeOps {
		lc.checkOp(l)
		return
	}
	lc.checkGlobal(l)
}

func (lc *literalCheck) checkOp(l literal.Literal) {
	t := lc.g.Op(l.Op)
	switch {
	case t == nil:
		ids := lc.g.IDs()
		d := lc.report(l.Start, l.End, "%s names op %q, which does not exist, and the op fails with \"Unresolved literal\"%s", l.Raw, l.Op, didYouMean(l.Op, ids))
		if s := closest(l.Op, ids); s != "" {
			lc.fixLiteral(d, l, fmt.Sprintf("Change the op to %q", s), "%%ops."+s+"."+strings.Join(l.Path, ".")+"%%", false)
		}
		return
	case t == lc.op || lc.op.IDNode != nil && l.Op == lc.op.ID:
		// The node sets every op's host, endpoint.<port> and
		// deployment_endpoint before the first op runs (setDefaults,
		// createExecutionPlan); only results wait for the op to end.
		if l.Path[0] == "results" {
			lc.report(l.Start, l.End, "%s reads a result of op %s itself; results are collected from the logs only once the op has run, so the op fails with \"Unresolved literal\": read it from a later op", l.Raw, lc.op.Name())
			return
		}
		lc.checkOpPath(l, lc.op)
		return
	}
	if !lc.checkOpPath(l, t) {
		return
	}
	if t.Order < lc.op.Order {
		return
	}
	when := "in the same group"
	if t.Order > lc.op.Order {
		when = "in a later group"
	}
	if l.Path[0] == "results" {
		// Results are read from the logs when an op has ended, while
		// depends_on only waits until it has started (or is healthy), so
		// only an earlier group makes a result readable.
		if t.Order == lc.op.Order && lc.op.DependsOn(t.ID) {
			lc.report(l.Start, l.End, "%s reads a result of op %s, which runs in the same group: results exist only once an op has ended, and execution.depends_on only waits until it has started, so op %s fails with \"Unresolved literal\": move %s to an earlier execution group",
				l.Raw, t.Name(), lc.op.Name(), t.Name())
			return
		}
		lc.report(l.Start, l.End, "%s reads a result of op %s, which runs %s, so the result does not exist yet when op %s starts and the op fails with \"Unresolved literal\": move %s to an earlier execution group",
			l.Raw, t.Name(), when, lc.op.Name(), t.Name())
		return
	}
	if lc.op.DependsOn(t.ID) {
		return
	}
	d := lc.report(l.Start, l.End, "%s reads op %s, which runs %s and is not in execution.depends_on, so it may not be up when op %s starts: move %s to an earlier execution group, or add it to execution.depends_on",
		l.Raw, t.Name(), when, lc.op.Name(), t.Name())
	d.Severity = diag.Warning
	deps := lc.op.Node.Get("execution").Get("depends_on")
	if t.Order == lc.op.Order && deps.Is(jsonast.Array) && deps.Closed {
		edit := lc.c.Edit(deps.Start+1, deps.Start+1, jsonString(t.ID))
		if n := len(deps.Items); n > 0 {
			edit = lc.c.Edit(deps.Items[n-1].End, deps.Items[n-1].End, ", "+jsonString(t.ID))
		}
		d.Fixes = append(d.Fixes, diag.Fix{Title: fmt.Sprintf("Add %s to execution.depends_on", t.Name()), Edits: []diag.TextEdit{edit}})
	}
}

// checkOpPath checks what an ops literal reads from op t; it reports and
// returns false when the node cannot resolve it.
func (lc *literalCheck) checkOpPath(l literal.Literal, t *nosana.SourceOp) bool {
	p := l.Path
	switch p[0] {
	case "host":
		if len(p) == 1 {
			return true
		}
		lc.report(l.Start, l.End, "%s reads below host, which is a plain host name: write %%%%ops.%s.host%%%%", l.Raw, l.Op)
	case "results":
		results := t.Node.Get("results")
		var keys []string
		for _, m := range objectMembers(results) {
			keys = append(keys, m.Key)
		}
		switch {
		case len(p) == 1:
			d := lc.report(l.Start, l.End, "%s names no result key: write %%%%ops.%s.results.<key>%%%%", l.Raw, l.Op)
			d.Severity = diag.Warning
		case len(keys) == 0:
			lc.report(l.Start, l.End, "%s reads result %q, but op %s declares no \"results\", and the op fails with \"Unresolved literal\": add \"results\": {%q: \"<regex>\"} to %s",
				l.Raw, p[1], t.Name(), p[1], t.Name())
		case !slices.Contains(keys, p[1]):
			d := lc.report(l.Start, l.End, "%s reads result %q, which op %s does not declare (it has %s), and the op fails with \"Unresolved literal\"%s",
				l.Raw, p[1], t.Name(), quoteList(keys), didYouMean(p[1], keys))
			if s := closest(p[1], keys); s != "" {
				lc.fixLiteral(d, l, fmt.Sprintf("Change the result key to %q", s), "%%ops."+l.Op+".results."+strings.Join(append([]string{s}, p[2:]...), ".")+"%%", false)
			}
		default:
			return true
		}
	case "endpoint":
		x := t.Exposure()
		switch {
		case len(p) != 2 || p[1] == "":
			lc.report(l.Start, l.End, "%s must name one port: write %%%%ops.%s.endpoint.<port>%%%%", l.Raw, l.Op)
		case !x.Exposed:
			lc.report(l.Start, l.End, "%s reads the endpoint of port %s, but op %s exposes no ports, and the op fails with \"Unresolved literal\": add %s to %s's \"expose\"",
				l.Raw, p[1], t.Name(), p[1], t.Name())
		case x.Dynamic || x.HasPort(p[1]):
			return true
		default:
			d := lc.report(l.Start, l.End, "%s reads the endpoint of port %s, but op %s exposes only %s, and the op fails with \"Unresolved literal\"",
				l.Raw, p[1], t.Name(), strings.Join(x.Ports, ", "))
			if len(x.Ports) == 1 {
				lc.fixLiteral(d, l, "Use port "+x.Ports[0], "%%ops."+l.Op+".endpoint."+x.Ports[0]+"%%", false)
			}
		}
	case "deployment_endpoint":
		switch {
		case len(p) != 1:
			lc.report(l.Start, l.End, "%s reads below deployment_endpoint, which is a plain host name: write %%%%ops.%s.deployment_endpoint%%%%", l.Raw, l.Op)
		case !t.Exposure().Exposed:
			lc.report(l.Start, l.End, "%s exists only for an op that exposes ports, and op %s exposes none, so the op fails with \"Unresolved literal\"", l.Raw, t.Name())
		case !lc.c.Doc.Root.Has("deployment_id"):
			lc.report(l.Start, l.End, "%s exists only when the job has a top-level \"deployment_id\"; without one the op fails with \"Unresolved literal\"", l.Raw)
		default:
			return true
		}
	default:
		d := lc.report(l.Start, l.End, "%s reads %q, which the node does not know, and the op fails with \"Unresolved literal\": an ops literal reads host, results.<key>, endpoint.<port> or deployment_endpoint", l.Raw, p[0])
		if s := closest(p[0], []string{"host", "results", "endpoint", "deployment_endpoint"}); s != "" {
			lc.fixLiteral(d, l, fmt.Sprintf("Change %q to %q", p[0], s), "%%ops."+l.Op+"."+strings.Join(append([]string{s}, p[1:]...), ".")+"%%", false)
		}
	}
	return false
}

func (lc *literalCheck) checkGlobal(l literal.Literal) {
	key := l.Path[0]
	if len(l.Path) == 1 {
		switch {
		case slices.Contains(globalKeys, key):
		case key == "variables":
			d := lc.report(l.Start, l.End, "%s is the whole variables object, which the node writes as \"[object Object]\": write %%%%global.variables.<NAME>%%%%", l.Raw)
			d.Severity = diag.Warning
		default:
			d := lc.report(l.Start, l.End, "%s reads global key %q, which the node does not have, and the op fails with \"Unresolved literal\": the keys are job, host, project, frps_address and variables.<NAME>%s",
				l.Raw, key, didYouMean(key, globalKeys))
			if s := closest(key, globalKeys); s != "" {
				lc.fixLiteral(d, l, fmt.Sprintf("Change the key to %q", s), "%%"+l.Scope+"."+s+"%%", false)
			}
		}
		return
	}
	if key != "variables" {
		lc.report(l.Start, l.End, "%s reads below global key %q, which has no sub-keys, and the op fails with \"Unresolved literal\": only %%%%global.variables.<NAME>%%%% has a second part", l.Raw, key)
		return
	}
	name := l.Path[1]
	var names []string
	for _, m := range objectMembers(lc.vars) {
		names = append(names, m.Key)
	}
	// An empty value also fails the op on the node, but it is how a secret is
	// left out of a published file (see plaintext-secret), so it is allowed.
	switch {
	case len(l.Path) > 2:
		lc.report(l.Start, l.End, "%s reads below variable %q, which is a plain string, and the op fails with \"Unresolved literal\": write %%%%global.variables.%s%%%%", l.Raw, name, name)
	case lc.vars.Get(name) == nil:
		d := lc.report(l.Start, l.End, "%s reads variable %q, which global.variables does not declare, and the op fails with \"Unresolved literal\"%s",
			l.Raw, name, didYouMean(name, names))
		if s := closest(name, names); s != "" {
			lc.fixLiteral(d, l, fmt.Sprintf("Change the variable to %q", s), "%%global.variables."+s+"%%", false)
		}
	}
}

// stray reports text that looks like a literal but that the node leaves as it is.
func (lc *literalCheck) stray(s literal.Candidate) {
	l, err := literal.Parse(s.Raw)
	if err == nil {
		return
	}
	if l.Scope == literal.ScopeGlobals && len(l.Path) >= 2 {
		fixed := "%%global." + strings.Join(l.Path, ".") + "%%"
		d := lc.report(s.Start, s.End, "%s is left in the value as plain text: the node reads %%%%globals.…%%%% only with a single key, so a variable must be written %s", s.Raw, fixed)
		l.Start, l.End = s.Start, s.End
		lc.fixLiteral(d, l, "Write "+fixed, fixed, l.Path[0] == "variables")
		return
	}
	if !nearScope(l.Scope) {
		return // other %%…%% text, such as printf formats
	}
	d := lc.report(s.Start, s.End, "%s; the node does not read it as a literal and leaves it in the value as plain text", err)
	d.Severity = diag.Warning
}

// nearScope reports whether scope is, or looks like a typo of, ops, global
// or globals (the node's scopes are case-sensitive).
func nearScope(scope string) bool {
	if len(scope) < 3 {
		return false
	}
	for _, want := range []string{literal.ScopeOps, literal.ScopeGlobal, literal.ScopeGlobals} {
		if textdist.Levenshtein(strings.ToLower(scope), want) <= 2 {
			return true
		}
	}
	return false
}

// quoteList renders strings as "a", "b", "c".
func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
