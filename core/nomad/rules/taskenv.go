package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/nomad/view"
)

// taskEnv is the environment the Nomad client builds for a task before it
// interpolates the task's Config: the task's Env, the variables of its
// templates with "Envvars": true, and the port variables of the group's and
// every task's networks.
type taskEnv struct {
	vars map[string]bool
	// open is true when an env template's variable names cannot be known
	// offline (a SourcePath file, or names produced by template actions).
	open bool
	// taskPorts maps every task of the group to its own task-network labels,
	// which the client exposes to all tasks as NOMAD_<KIND>_<task>_<label>.
	taskPorts map[string]map[string]bool
}

// env returns the task's environment, computed once.
func (t *Task) env() *taskEnv {
	if t.envCache != nil {
		return t.envCache
	}
	e := &taskEnv{vars: map[string]bool{}, taskPorts: map[string]map[string]bool{}}
	for _, m := range view.Members(view.Get(t.Node, "Env")) {
		e.vars[m.Key] = true
	}
	for _, tp := range view.Objects(view.Get(t.Node, "Templates")) {
		if on, _ := view.Bool(tp, "Envvars"); !on {
			continue
		}
		emb, _ := view.Str(tp, "EmbeddedTmpl")
		if emb == "" {
			e.open = true // rendered from a file jobkit cannot read
			continue
		}
		if templateEnvKeys(emb, e.vars) {
			e.open = true
		}
	}
	for _, sib := range t.Group.Tasks {
		labels := map[string]bool{}
		for _, n := range view.Objects(view.Get(view.Get(sib.Node, "Resources"), "Networks")) {
			for _, kind := range []string{"ReservedPorts", "DynamicPorts"} {
				for _, p := range view.Objects(view.Get(n, kind)) {
					if l, ok := view.Str(p, "Label"); ok {
						labels[l] = true
					}
				}
			}
		}
		e.taskPorts[sib.Name] = labels
	}
	t.envCache = e
	return e
}

// hasTaskPort reports whether rest is "<task>_<label>" for a task of the
// group and a label of that task's own network. Task and label names may
// both hold underscores, so every split is tried.
func (e *taskEnv) hasTaskPort(rest string) bool {
	for i := 0; i < len(rest); i++ {
		if rest[i] == '_' && e.taskPorts[rest[:i]][rest[i+1:]] {
			return true
		}
	}
	return false
}

// templateEnvKeys adds to keys the variable names an env template
// (KEY=value lines) defines, and reports whether some names are produced
// by template actions and so cannot be known offline.
func templateEnvKeys(tmpl string, keys map[string]bool) (open bool) {
	for _, line := range strings.Split(tmpl, "\n") {
		lit, outputAt := stripActions(line)
		eq := strings.IndexByte(lit, '=')
		if eq < 0 {
			if outputAt >= 0 {
				open = true // e.g. {{ key "app/env" }}: the output may hold KEY=value lines
			}
			continue
		}
		if outputAt >= 0 && outputAt <= eq {
			open = true // the name itself comes from an action: {{ .Key }}={{ .Value }}
			continue
		}
		key := strings.TrimSpace(lit[:eq])
		key = strings.TrimSpace(strings.TrimPrefix(key, "export "))
		if key != "" && !strings.HasPrefix(key, "#") {
			keys[key] = true
		}
	}
	return open
}

// stripActions removes the {{ ... }} actions of a template line, returning
// the literal text and the offset in it of the first action that writes
// output (-1 if only control actions such as if, with, range, end).
func stripActions(line string) (lit string, outputAt int) {
	var b strings.Builder
	outputAt = -1
	for {
		i := strings.Index(line, "{{")
		if i < 0 {
			b.WriteString(line)
			return b.String(), outputAt
		}
		b.WriteString(line[:i])
		j := strings.Index(line[i:], "}}")
		if j < 0 {
			return b.String(), outputAt
		}
		action := strings.Trim(line[i+2:i+j], "- \t")
		if outputAt < 0 && writesOutput(action) {
			outputAt = b.Len()
		}
		line = line[i+j+2:]
	}
}

func writesOutput(action string) bool {
	word, _, _ := strings.Cut(action, " ")
	switch word {
	case "", "if", "else", "end", "range", "with", "define", "block", "break", "continue":
		return false
	}
	if strings.HasPrefix(action, "/*") || strings.HasPrefix(action, "$") && strings.Contains(action, ":=") {
		return false
	}
	return true
}

// portVarTask returns whether name is a port variable for a sibling task's
// own network (NOMAD_ADDR_<task>_<label> and its IP/PORT/HOST_ forms).
func (e *taskEnv) portVarTask(name string) bool {
	for _, p := range []string{"NOMAD_ADDR_", "NOMAD_IP_", "NOMAD_PORT_", "NOMAD_HOST_PORT_", "NOMAD_HOST_IP_", "NOMAD_HOST_ADDR_"} {
		if rest, ok := strings.CutPrefix(name, p); ok && e.hasTaskPort(rest) {
			return true
		}
	}
	return false
}
