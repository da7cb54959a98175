package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// emptyValue: an empty ops list, op id or image.
//
// The official validator accepts all three. An empty ops list posts a job
// that does nothing (Nosana's dashboard refuses it), except beside
// "logistics": that is the public placeholder of a confidential job, whose
// real ops are posted to the node over the API; an empty op id cannot
// be referenced by depends_on or literals and names the op's group ""; an
// empty image makes the pull fail on the node.
var emptyValue = &rule.Rule{
	ID:       "empty-value",
	Format:   rule.Nosana,
	Severity: diag.Error,
	Summary:  "an empty ops list, op id or image",
	Check:    checkEmptyValue,
}

func checkEmptyValue(c *rule.Context) {
	if ops := c.Doc.Root.Get("ops"); ops.Is(jsonast.Array) && ops.Closed && len(ops.Items) == 0 && !c.Doc.Root.Has("logistics") {
		c.Report(ops, "ops: the job has no operations, so it would do nothing (and the dashboard refuses it); add at least one {\"type\": \"container/run\", \"id\": …, \"args\": {\"image\": …}}")
	}
	for _, o := range sourceOf(c).Ops {
		if id := o.Node.Get("id"); isClosedStr(id) && id.Str == "" {
			c.Report(id, "%s: the op id is empty; give the op a name that other ops and literals can refer to, such as \"run\"", id.Path())
		}
		if !o.IsRun() || o.Args == nil {
			continue
		}
		if img := o.Args.Get("image"); isClosedStr(img) && strings.TrimSpace(img.Str) == "" {
			c.Report(img, "%s: the image is empty, so the node has nothing to pull; write an image such as \"ubuntu:22.04\"", img.Path())
		}
	}
}
