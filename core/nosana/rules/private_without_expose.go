package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// privateWithoutExpose: "private": true on an op that exposes nothing.
//
// private only makes the op's exposed URLs random and secret; without
// "expose" there is no URL, so the flag does nothing and usually means the
// expose list was forgotten or put on another op.
var privateWithoutExpose = &rule.Rule{
	ID:       "private-without-expose",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  `"private": true has no effect on an op without "expose"`,
	Check:    checkPrivateWithoutExpose,
}

func checkPrivateWithoutExpose(c *rule.Context) {
	for _, o := range runOps(c) {
		m := o.Args.MemberByKey("private")
		if m == nil || !trueValue(m.Value) {
			continue
		}
		e := o.Args.Get("expose")
		if e != nil && !(e.Is(jsonast.Array) && len(e.Items) == 0) {
			continue
		}
		d := c.ReportKey(m, "%s: private only hides the URLs of exposed ports, and %s exposes none; add \"expose\" or remove \"private\"", m.Path(), o.Label())
		d.Fixes = append(d.Fixes, diag.Fix{
			Title: `Remove "private"`,
			Edits: []diag.TextEdit{deleteMember(c.Doc, m)},
		})
	}
}
