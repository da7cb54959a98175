package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/interp"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Interpolation parses every ${...} in the fields Nomad interpolates (task
// Config, Env, services and checks, artifacts, templates, volume mounts) and
// checks the variables against what exists at run time: node.*, attr.*,
// meta.*, the NOMAD_* variables (port variables need a declared port label,
// NOMAD_META_* a meta key) and, in Config, the task's Env keys and HCL2
// functions. In Config an unknown name fails the task when it starts; in
// other fields Nomad leaves the text as written.
var Interpolation = &rule.Rule{ID: "nomad-interpolation", Format: rule.Nomad, Severity: diag.Error,
	Summary: "${...} interpolation: syntax and variables that exist when the task runs", Check: checkInterpolation}

var nomadVars = map[string]bool{}

func init() {
	for _, v := range strings.Fields(`NOMAD_ALLOC_DIR NOMAD_TASK_DIR NOMAD_SECRETS_DIR NOMAD_MEMORY_LIMIT
		NOMAD_MEMORY_MAX_LIMIT NOMAD_CPU_LIMIT NOMAD_CPU_CORES NOMAD_ALLOC_ID NOMAD_SHORT_ALLOC_ID NOMAD_ALLOC_NAME
		NOMAD_ALLOC_INDEX NOMAD_TASK_NAME NOMAD_GROUP_NAME NOMAD_JOB_ID NOMAD_JOB_NAME NOMAD_JOB_PARENT_ID
		NOMAD_NAMESPACE NOMAD_REGION NOMAD_DC NOMAD_PARENT_CGROUP NOMAD_TOKEN VAULT_TOKEN VAULT_NAMESPACE
		NOMAD_UNIX_ADDR NOMAD_ALLOC_PORTS`) {
		nomadVars[v] = true
	}
}

var portPrefixes = []string{"NOMAD_HOST_PORT_", "NOMAD_HOST_IP_", "NOMAD_HOST_ADDR_", "NOMAD_ALLOC_PORT_", "NOMAD_ALLOC_IP_",
	"NOMAD_ALLOC_ADDR_", "NOMAD_ALLOC_INTERFACE_", "NOMAD_IP_", "NOMAD_PORT_", "NOMAD_ADDR_"}

var hclFuncs = map[string]bool{"abs": true, "coalesce": true, "concat": true, "hasindex": true, "int": true, "jsondecode": true,
	"jsonencode": true, "length": true, "lower": true, "max": true, "min": true, "reverse": true, "strlen": true,
	"substr": true, "upper": true}

type interpScope struct {
	task   *Task
	config bool // inside driver Config: HCL2 evaluation
	env    *taskEnv
	ports  map[string]*jsonast.Node
	meta   map[string]bool
}

func checkInterpolation(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, t := range j.Tasks() {
		sc := &interpScope{task: t, env: t.env(), ports: t.Ports(), meta: map[string]bool{}}
		for _, n := range []*jsonast.Node{j.Node, t.Group.Node, t.Node} {
			for _, m := range view.Members(view.Get(n, "Meta")) {
				sc.meta[strings.ToUpper(m.Key)] = true
			}
		}
		cfgScope := *sc
		cfgScope.config = true
		walkStrings(view.Get(t.Node, "Config"), func(n *jsonast.Node) { checkInterpString(ctx, n, &cfgScope) })
		walkStrings(view.Get(t.Node, "Env"), func(n *jsonast.Node) { checkInterpString(ctx, n, sc) })
		for _, s := range view.Objects(view.Get(t.Node, "Services")) {
			for _, k := range []string{"Tags", "CanaryTags", "PortLabel", "Address", "Meta", "CanaryMeta", "TaggedAddresses"} {
				walkStrings(view.Get(s, k), func(n *jsonast.Node) { checkInterpString(ctx, n, sc) })
			}
			for _, c := range view.Objects(view.Get(s, "Checks")) {
				for _, k := range []string{"Name", "Command", "Args", "Path", "Protocol", "PortLabel", "Method", "GRPCService", "Header"} {
					walkStrings(view.Get(c, k), func(n *jsonast.Node) { checkInterpString(ctx, n, sc) })
				}
			}
		}
		for _, a := range view.Objects(view.Get(t.Node, "Artifacts")) {
			for _, k := range []string{"GetterSource", "GetterOptions", "GetterHeaders", "RelativeDest"} {
				walkStrings(view.Get(a, k), func(n *jsonast.Node) { checkInterpString(ctx, n, sc) })
			}
		}
		for _, tp := range view.Objects(view.Get(t.Node, "Templates")) {
			for _, k := range []string{"SourcePath", "DestPath"} {
				walkStrings(view.Get(tp, k), func(n *jsonast.Node) { checkInterpString(ctx, n, sc) })
			}
		}
		for _, vm := range view.Objects(view.Get(t.Node, "VolumeMounts")) {
			for _, k := range []string{"Volume", "Destination"} {
				walkStrings(view.Get(vm, k), func(n *jsonast.Node) { checkInterpString(ctx, n, sc) })
			}
		}
	}
}

// walkStrings calls fn for every string value at or below n.
func walkStrings(n *jsonast.Node, fn func(*jsonast.Node)) {
	jsonast.Walk(n, func(c *jsonast.Node) bool {
		if c.Kind == jsonast.String && strings.Contains(c.Str, "${") {
			fn(c)
		}
		return true
	})
}

func checkInterpString(ctx *rule.Context, n *jsonast.Node, sc *interpScope) {
	tpl, err := interp.Parse(n.Str)
	if err != nil {
		if sc.config {
			ctx.Report(n, "%s: %s; the task fails when it starts (Config is evaluated as an HCL2 template)", n.Path(), err)
		} else {
			d := ctx.Report(n, "%s: %s; Nomad leaves the text as written", n.Path(), err)
			d.Severity = diag.Warning
		}
		return
	}
	if sc.config {
		for _, c := range tpl.Calls() {
			if !hclFuncs[c.Name] {
				ctx.Report(n, "%s: the task fails when it starts: Call to unknown function: There is no function named %q", n.Path(), c.Name)
			}
		}
	}
	for _, v := range tpl.Vars() {
		if msg := sc.unknown(v); msg != "" {
			if sc.config {
				ctx.Report(n, "%s: %s; the task fails when it starts: Unknown variable: There is no variable named %q", n.Path(), msg, v.Root)
			} else {
				d := ctx.Report(n, "%s: %s; Nomad leaves ${%s} as written", n.Path(), msg, v.Name())
				d.Severity = diag.Warning
			}
		}
	}
}

// unknown explains why a variable will not resolve, or returns "".
func (sc *interpScope) unknown(v *interp.Path) string {
	name := v.Name()
	switch v.Root {
	case "node":
		switch name {
		case "node.unique.id", "node.region", "node.datacenter", "node.unique.name", "node.class", "node.pool":
			return ""
		}
		return "${" + name + "} is not a node variable (node.unique.id, node.unique.name, node.region, node.datacenter, node.class, node.pool)"
	case "attr", "meta":
		if len(v.Steps) > 0 {
			return ""
		}
		return "${" + name + "} needs a name after the dot, e.g. ${" + v.Root + ".<name>}"
	case "env":
		if sc.config && len(v.Steps) == 1 && v.Steps[0].Index != "" {
			return ""
		}
	}
	if len(v.Steps) > 0 {
		return "${" + name + "} is not a variable Nomad knows (node.*, attr.*, meta.* or NOMAD_*)"
	}
	if nomadVars[name] || sc.env.vars[name] || sc.env.portVarTask(name) {
		return ""
	}
	for _, p := range []string{"NOMAD_UPSTREAM_", "NOMAD_ENVOY_", "CONSUL_", "NOMAD_VAR_"} {
		if strings.HasPrefix(name, p) {
			return ""
		}
	}
	if key, ok := strings.CutPrefix(name, "NOMAD_META_"); ok {
		if sc.meta[strings.ToUpper(key)] {
			return ""
		}
		return "${" + name + "} refers to meta key " + key + ", which no Meta block of the job, group or task sets"
	}
	for _, p := range portPrefixes {
		if label, ok := strings.CutPrefix(name, p); ok {
			if _, ok := sc.ports[label]; ok {
				return ""
			}
			if task, l, ok := strings.Cut(label, "_"); ok && task == sc.task.Name {
				if _, ok := sc.ports[l]; ok {
					return ""
				}
			}
			return "${" + name + "} needs a port labelled " + label + ", which no network of the group or task declares"
		}
	}
	if sc.env.open {
		return "" // an env template may define it
	}
	return "${" + name + "} is not a variable Nomad sets (NOMAD_*, node.*, attr.*, meta.*" + map[bool]string{true: ", the task's Env or an env template", false: ""}[sc.config] + ")"
}
