package rules

import (
	"fmt"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// ServiceName checks service names the way Nomad does: ${JOB},
// ${TASKGROUP}, ${TASK} and ${BASE} are replaced, every other ${...} counts as
// "ENV-VAR", and the result must be an RFC 1123 label of at most 63
// characters (letters, digits and dashes, not starting or ending with a dash).
var ServiceName = &rule.Rule{ID: "nomad-service-name", Format: rule.Nomad, Severity: diag.Error,
	Summary: "service names must be RFC 1123 labels under 64 characters", Check: checkServiceNames}

var (
	rfc1123   = rule.Regexp(`^(?i:[a-z0-9]|[a-z0-9][a-z0-9\-]{0,61}[a-z0-9])$`)
	anyInterp = rule.Regexp(`\$\{[^}]*\}`)
)

func checkServiceNames(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	id := view.StrOr(j.Node, "Name", view.StrOr(j.Node, "ID", ""))
	for _, g := range j.Groups {
		for _, s := range view.Objects(view.Get(g.Node, "Services")) {
			checkServiceName(ctx, s, id, g.Name, "")
		}
		for _, t := range g.Tasks {
			for _, s := range view.Objects(view.Get(t.Node, "Services")) {
				checkServiceName(ctx, s, id, g.Name, t.Name)
			}
		}
	}
}

func checkServiceName(ctx *rule.Context, s *jsonast.Node, job, group, task string) {
	n := view.Get(s, "Name")
	name, ok := n.StringValue()
	base := job + "-" + group
	if task != "" {
		base += "-" + task
	}
	if !ok || name == "" {
		// api's Canonicalize names the service <job>-<group>[-<task>] before
		// Nomad validates it, so that name must be valid too.
		if n != nil && !n.Is(jsonast.Null) && !ok {
			return // a wrong type is nomad-type's
		}
		if r := anyInterp().ReplaceAllString(base, "ENV-VAR"); !rfc1123().MatchString(r) {
			where := s
			if n != nil {
				where = n
			}
			nomadSays(ctx, where, fmt.Sprintf("the service has no Name, so Nomad names it %q (job, group and task names joined by dashes); set a Name of at most 63 letters, digits and dashes", base),
				"Service name must be valid per RFC 1123 and can contain only alphanumeric characters or dashes and must be no longer than 63 characters: %q", r)
		}
		return
	}
	r := name
	if strings.Contains(name, "${") {
		r = strings.NewReplacer("${JOB}", job, "${TASKGROUP}", group, "${TASK}", task, "${BASE}", base).Replace(name)
		r = anyInterp().ReplaceAllString(r, "ENV-VAR")
	}
	if !rfc1123().MatchString(r) {
		d := nomadSays(ctx, n, "use letters, digits and dashes, at most 63 characters, no dash at either end",
			"Service name must be valid per RFC 1123 and can contain only alphanumeric characters or dashes and must be no longer than 63 characters: %q", r)
		if fixed := sanitize(name); fixed != "" && fixed != name && rfc1123().MatchString(anyInterp().ReplaceAllString(fixed, "ENV-VAR")) {
			d.Fixes = []diag.Fix{{Title: "Rename to " + fixed, Edits: []diag.TextEdit{ctx.Edit(n.Start, n.End, `"`+fixed+`"`)}}}
		}
	}
}

var badChars = rule.Regexp(`[^A-Za-z0-9\-]+`)

func sanitize(s string) string {
	if strings.Contains(s, "${") {
		return ""
	}
	s = strings.Trim(badChars().ReplaceAllString(s, "-"), "-")
	if len(s) > 63 {
		s = strings.TrimRight(s[:63], "-")
	}
	return s
}
