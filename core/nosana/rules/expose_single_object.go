package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// exposeSingleObject: args.expose written as one {"port": …} object.
//
// @nosana/types accepts the form, but the node's getExposePorts only handles
// a number, a string or an array: a lone object is silently not exposed, so
// the op gets no URL and its health checks never run. Wrapping the object in
// a list gives the behaviour the author meant.
var exposeSingleObject = &rule.Rule{
	ID:       "expose-single-object",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  "expose given as a single object is ignored by the node; wrap it in a list",
	Check:    checkExposeSingleObject,
}

func checkExposeSingleObject(c *rule.Context) {
	for _, o := range runOps(c) {
		e := o.Args.Get("expose")
		if !e.Is(jsonast.Object) || isSpreadMarker(e) || !e.Closed {
			continue
		}
		d := c.Report(e, "%s: a single port object is not exposed by the node (it only reads a number or a list); write it as a list: [ {…} ]", e.Path())
		d.Fixes = append(d.Fixes, diag.Fix{
			Title: "Wrap the port object in a list",
			Edits: []diag.TextEdit{c.Edit(e.Start, e.Start, "["), c.Edit(e.End, e.End, "]")},
			Safe:  true,
		})
	}
}
