package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// globalImageUnused: global.image set as if it were a default image.
//
// Every container/run op must have its own args.image, and the node pulls
// that one; global.image is only a fallback at container creation that is
// never reached. Changing it therefore changes nothing, which surprises
// whoever edits it later.
var globalImageUnused = &rule.Rule{
	ID:       "global-image-unused",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  "global.image is never used: each container/run op needs its own args.image",
	Check:    checkGlobalImageUnused,
}

func checkGlobalImageUnused(c *rule.Context) {
	m := c.Doc.Root.Get("global").MemberByKey("image")
	if m == nil {
		return
	}
	d := c.ReportKey(m, "%s: the node never uses global.image, because every container/run op must set \"image\" in its args and that image is pulled; set the image on each op and remove this one", m.Path())
	// Removing it changes nothing when every run op has an image of its own.
	safe := true
	for _, o := range runOps(c) {
		if s, ok := closedStr(o.Args.Get("image")); !ok || s == "" {
			safe = false
		}
	}
	if len(runOps(c)) == 0 || !m.Parent.Is(jsonast.Object) {
		safe = false
	}
	d.Fixes = append(d.Fixes, diag.Fix{Title: "Remove global.image", Edits: []diag.TextEdit{deleteMember(c.Doc, m)}, Safe: safe})
}
