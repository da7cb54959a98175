package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Parameterized checks a parameterized job's dispatch settings: a known
// payload requirement and disjoint required and optional meta keys.
var Parameterized = &rule.Rule{ID: "nomad-parameterized", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of parameterized jobs (payload requirement, meta keys)", Check: checkParameterized}

func checkParameterized(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	p := view.Get(j.Node, "ParameterizedJob")
	if p == nil {
		return
	}
	if pl, ok := view.Str(p, "Payload"); ok {
		switch pl {
		case "", "optional", "required", "forbidden":
		default:
			nomadSays(ctx, view.Get(p, "Payload"), "use optional, required or forbidden", "Unknown payload requirement: %q", pl)
		}
	}
	req := map[string]bool{}
	for _, k := range view.Items(view.Get(p, "MetaRequired")) {
		if s, ok := k.StringValue(); ok {
			req[s] = true
		}
	}
	var both []string
	for _, k := range view.Items(view.Get(p, "MetaOptional")) {
		if s, ok := k.StringValue(); ok && req[s] {
			both = append(both, s)
		}
	}
	if len(both) > 0 {
		nomadSays(ctx, view.Get(p, "MetaOptional"), "a key is either required or optional", "Required and optional meta keys should be disjoint. Following keys exist in both: %v", both)
	}
}
