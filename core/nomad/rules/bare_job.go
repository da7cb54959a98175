package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// BareJob notes a bare job object, which `nomad job run -json` reads but the
// HTTP API (/v1/jobs, /v1/validate/job) rejects: it needs {"Job": {…}}.
var BareJob = &rule.Rule{ID: "nomad-bare-job", Format: rule.Nomad, Severity: diag.Info,
	Summary: `a bare Nomad job object: the HTTP API needs it wrapped as {"Job": {...}}`,
	Check: func(c *rule.Context) {
		f, ok := WrapBareJob(c.Doc)
		if !ok {
			return
		}
		d := c.ReportSpan(c.Doc.Root.Start, c.Doc.Root.Start+1, nil,
			`this is a bare job object, which "nomad job run -json" reads; the HTTP API (/v1/jobs) needs it wrapped as {"Job": {...}}`)
		d.Fixes = append(d.Fixes, f)
	}}

// WrapBareJob returns the fix wrapping a bare Nomad job object in {"Job": …}. It
// reports false unless the root is a closed object that looks like a job
// (it has TaskGroups) and has no Job key.
func WrapBareJob(doc *jsonast.Document) (diag.Fix, bool) {
	root := doc.Root
	if !root.Is(jsonast.Object) || !root.Closed {
		return diag.Fix{}, false
	}
	if _, _, form := view.Locate(root); form != view.Bare {
		return diag.Fix{}, false
	}
	job := false
	for _, m := range root.Members {
		switch strings.ToLower(m.Key) {
		case "job", "ops":
			return diag.Fix{}, false
		case "taskgroups":
			job = true
		}
	}
	if !job {
		return diag.Fix{}, false
	}
	// Unsafe: it changes which tool reads the file (jobkit fix leaves it).
	return diag.Fix{Title: `Wrap the job in {"Job": ...}`, Edits: []diag.TextEdit{
		doc.Edit(root.Start, root.Start, `{"Job": `),
		doc.Edit(root.End, root.End, `}`),
	}}, true
}
