package rules

import (
	"fmt"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/core/nosana/literal"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// networkAlias: a network alias that is not a valid host name, or that two
// ops both claim.
//
// The node attaches args.aliases to the op's container on the job network
// (a string is split on commas, without trimming). Other ops reach it by
// these names through Docker's DNS, so an alias with spaces, underscores or
// other characters outside a DNS label cannot be looked up, and an alias
// given to two ops resolves to either of them.
var networkAlias = &rule.Rule{
	ID:       "alias",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  "a network alias that is not a DNS name, or the same alias on two ops",
	Check:    checkAlias,
}

var dnsLabel = rule.Regexp(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// validDNSName reports whether s is one or more DNS labels joined by dots.
func validDNSName(s string) bool {
	if len(s) > 253 {
		return false
	}
	for _, l := range strings.Split(s, ".") {
		if !dnsLabel().MatchString(l) {
			return false
		}
	}
	return true
}

// aliasEntry is one alias with its place in the document.
type aliasEntry struct {
	Name       string
	Node       *jsonast.Node // the string that holds it
	Start, End int           // the alias inside the decoded string
}

func aliasesOf(args *jsonast.Node) []aliasEntry {
	var out []aliasEntry
	add := func(n *jsonast.Node, split bool) {
		s, ok := n.StringValue()
		if !ok || literal.Contains(s) {
			return
		}
		if !split {
			out = append(out, aliasEntry{s, n, 0, len(s)})
			return
		}
		start := 0
		for _, part := range strings.Split(s, ",") {
			out = append(out, aliasEntry{part, n, start, start + len(part)})
			start += len(part) + 1
		}
	}
	switch a := args.Get("aliases"); {
	case a.Is(jsonast.String):
		add(a, true)
	case a.Is(jsonast.Array):
		for _, it := range a.Items {
			add(it, false)
		}
	}
	return out
}

func checkAlias(c *rule.Context) {
	type owner struct {
		op    *nosana.SourceOp
		entry aliasEntry
	}
	seen := map[string]owner{}
	for _, o := range sourceOf(c).Ops {
		if o.Args == nil || o.IsVolume() {
			continue
		}
		for _, a := range aliasesOf(o.Args) {
			s, e, _ := literal.SourceSpan(c.Doc.Text[a.Node.Start:a.Node.End], a.Node.Str, a.Start, a.End)
			s, e = a.Node.Start+s, a.Node.Start+e
			if !validDNSName(a.Name) {
				hint := "use letters, digits and \"-\", starting and ending with a letter or digit"
				if t := strings.TrimSpace(a.Name); t != a.Name && validDNSName(t) {
					hint = fmt.Sprintf("remove the spaces: the node splits a string of aliases on commas without trimming them, so write %q", t)
				} else if a.Name == "" {
					hint = "remove the empty entry"
				}
				c.ReportSpan(s, e, a.Node.Segments(), "%s: alias %q is not a valid host name, so other ops cannot reach this op by it: %s", a.Node.Path(), a.Name, hint)
				continue
			}
			key := strings.ToLower(a.Name)
			if first, dup := seen[key]; dup && first.op != o {
				c.ReportSpan(s, e, a.Node.Segments(), "%s: alias %q is also given to op %s (%s); on the job network the name then resolves to either op: give each op its own alias",
					a.Node.Path(), a.Name, first.op.Name(), first.entry.Node.Path())
				continue
			}
			if _, dup := seen[key]; !dup {
				seen[key] = owner{o, a}
			}
		}
	}
}
