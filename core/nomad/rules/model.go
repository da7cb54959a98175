// Package rules holds jobkit's Nomad lint rules: Nomad's own validation
// (quoted so users can search for it) and what Nomad lets through or only
// reports when a task starts. One rule per file; registry.go lists them.
package rules

import (
	"fmt"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Job is the job as the rules see it, with Nomad's defaults applied virtually.
type Job struct {
	Node   *jsonast.Node
	Type   string // effective type (default "service")
	Groups []*Group

	svcs    []service // services, once computed
	svcDone bool

	badBlocks map[*jsonast.Node]bool // blocks Nomad cannot decode, once computed
}

// Group is one task group.
type Group struct {
	Job      *Job
	Node     *jsonast.Node
	Name     string
	Tasks    []*Task
	Networks []*jsonast.Node // group Networks[]
}

// Task is one task.
type Task struct {
	Group  *Group
	Node   *jsonast.Node
	Name   string
	Driver string

	ports    map[string]*jsonast.Node // Ports, once computed
	envCache *taskEnv                 // env, once computed
}

type modelKey struct{}

// model returns the job of the document (nil when there is none, e.g. for
// HCL-JSON input), built once per lint run.
func model(ctx *rule.Context) *Job {
	if j, ok := ctx.Shared[modelKey{}]; ok {
		return j.(*Job)
	}
	var j *Job
	if node, _, form := view.Locate(ctx.Doc.Root); form == view.Bare || form == view.Wrapped {
		j = build(node)
	}
	ctx.Shared[modelKey{}] = j
	return j
}

func build(node *jsonast.Node) *Job {
	j := &Job{Node: node, Type: view.StrOr(node, "Type", "service")}
	for _, gn := range view.Objects(view.Get(node, "TaskGroups")) {
		g := &Group{Job: j, Node: gn, Name: view.StrOr(gn, "Name", "")}
		g.Networks = view.Objects(view.Get(gn, "Networks"))
		for _, tn := range view.Objects(view.Get(gn, "Tasks")) {
			t := &Task{Group: g, Node: tn, Name: view.StrOr(tn, "Name", ""), Driver: view.StrOr(tn, "Driver", "")}
			g.Tasks = append(g.Tasks, t)
		}
		j.Groups = append(j.Groups, g)
	}
	return j
}

// Tasks returns every task of the job.
func (j *Job) Tasks() []*Task {
	var out []*Task
	for _, g := range j.Groups {
		out = append(out, g.Tasks...)
	}
	return out
}

// Ports returns the port labels a task can use: group networks and its own
// (deprecated) task networks, label → the Label node. The map is computed
// once per task and shared: callers must not modify it.
func (t *Task) Ports() map[string]*jsonast.Node {
	if t.ports != nil {
		return t.ports
	}
	out := map[string]*jsonast.Node{}
	t.ports = out
	add := func(nets []*jsonast.Node) {
		for _, n := range nets {
			for _, kind := range []string{"ReservedPorts", "DynamicPorts"} {
				for _, p := range view.Objects(view.Get(n, kind)) {
					if l, ok := view.Str(p, "Label"); ok {
						out[l] = view.Get(p, "Label")
					}
				}
			}
		}
	}
	add(t.Group.Networks)
	add(view.Objects(view.Get(view.Get(t.Node, "Resources"), "Networks")))
	return out
}

// nomadSays reports a Nomad validation error at n, quoting Nomad's text.
// In a block Nomad cannot decode it reports nothing (Nomad stops at the
// decode error) and returns a diagnostic that goes nowhere.
func nomadSays(ctx *rule.Context, n *jsonast.Node, explain, nomad string, args ...any) *diag.Diagnostic {
	if j := model(ctx); j != nil && j.unreached(n) {
		return &diag.Diagnostic{}
	}
	msg := fmt.Sprintf(nomad, args...)
	if explain == "" {
		return report(ctx, n, "%s: Nomad says: %s", path(n), msg)
	}
	return report(ctx, n, "%s: %s. Nomad says: %s", path(n), explain, msg)
}

// report places a diagnostic on a value; objects and arrays are reported
// on their key (or opening bracket) rather than on their whole span.
func report(ctx *rule.Context, n *jsonast.Node, format string, args ...any) *diag.Diagnostic {
	if n == nil {
		return ctx.ReportSpan(0, 0, nil, format, args...)
	}
	if n.Kind == jsonast.Object || n.Kind == jsonast.Array {
		if n.Member != nil {
			return ctx.ReportSpan(n.Member.KeyStart, n.Member.KeyEnd, n.Segments(), format, args...)
		}
		return ctx.ReportSpan(n.Start, n.Start+1, n.Segments(), format, args...)
	}
	return ctx.Report(n, format, args...)
}

// path names a node for messages ("the job" for the root object).
func path(n *jsonast.Node) string {
	if p := n.Path(); p != "" {
		return p
	}
	return "the job"
}

// at returns the node to report on for key in obj: its value, or obj itself
// when the key is absent (the default applies).
func at(obj *jsonast.Node, key string) *jsonast.Node {
	if v := view.Get(obj, key); v != nil {
		return v
	}
	return obj
}
