package nosana

import "sort"

// The effective values below are what a Nosana node computes from an op and
// the job's global section; the runner executes exactly these.

// GPU is args.gpu || global.gpu: an op cannot opt out of a global GPU.
func (o *Op) GPU() bool {
	if o.Run != nil && o.Run.GPU {
		return true
	}
	return o.global != nil && o.global.GPU
}

// Image is args.image, falling back to global.image.
func (o *Op) Image() string {
	if o.Run != nil && o.Run.Image != "" {
		return o.Run.Image
	}
	if o.global != nil {
		return o.global.Image
	}
	return ""
}

// Entrypoint is args.entrypoint, falling back to global.entrypoint; nil keeps
// the image's ENTRYPOINT. A string entrypoint is one executable name (not split).
func (o *Op) Entrypoint() []string {
	if o.Run != nil && o.Run.Entrypoint != nil && !o.Run.Entrypoint.empty() {
		return o.Run.Entrypoint.List()
	}
	if o.global != nil && o.global.Entrypoint != nil && !o.global.Entrypoint.empty() {
		return o.global.Entrypoint.List()
	}
	return nil
}

// empty mirrors JavaScript falsiness of the field: "" is falsy, [] is not.
func (c *Command) empty() bool { return c.IsString && c.Shell == "" }

// WorkDir is args.work_dir, falling back to global.work_dir ("" keeps the image's).
func (o *Op) WorkDir() string {
	if o.Run != nil && o.Run.WorkDir != "" {
		return o.Run.WorkDir
	}
	if o.global != nil {
		return o.global.WorkDir
	}
	return ""
}

// Command is the container's Cmd: a string cmd runs as ["/bin/sh","-c",cmd],
// an array is used as is, and nil (no cmd) keeps the image's CMD.
func (o *Op) Command() []string {
	if o.Run == nil || o.Run.Cmd == nil {
		return nil
	}
	if o.Run.Cmd.IsString {
		return []string{"/bin/sh", "-c", o.Run.Cmd.Shell}
	}
	if o.Run.Cmd.Argv == nil {
		return []string{}
	}
	return o.Run.Cmd.Argv
}

// Env is {...global.env, ...args.env, NOSANA_ID: nosanaID}.
func (o *Op) Env(nosanaID string) map[string]string {
	env := map[string]string{}
	if o.global != nil {
		for k, v := range o.global.Env {
			env[k] = v
		}
	}
	if o.Run != nil {
		for k, v := range o.Run.Env {
			env[k] = v
		}
	}
	env["NOSANA_ID"] = nosanaID
	return env
}

// EnvList is Env as sorted KEY=value entries.
func (o *Op) EnvList(nosanaID string) []string {
	env := o.Env(nosanaID)
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + env[k]
	}
	return out
}

// ExposedPorts are the port entries of expose, in order, without duplicates
// (literals and spread markers are left out: they are known only at run time).
func (o *Op) ExposedPorts() []ExposedPort {
	if o.Run == nil {
		return nil
	}
	var out []ExposedPort
	seen := map[int]bool{}
	for _, it := range o.Run.Expose {
		if it.Port == nil || seen[it.Port.Port] {
			continue
		}
		seen[it.Port.Port] = true
		p := *it.Port
		if p.Type == "" {
			p.Type = PortNone
		}
		out = append(out, p)
	}
	return out
}

// Exposed reports whether the op exposes at least one port.
func (o *Op) Exposed() bool { return len(o.ExposedPorts()) > 0 }

// Group is one execution group: its ops start together, and the next group
// starts when every op of this one ended.
type Group struct {
	Name string
	Ops  []*Op
}

// Groups orders the ops into groups (execution.group, or the op id) by first
// appearance in ops[].
func (j *Job) Groups() []Group {
	var out []Group
	at := map[string]int{}
	for _, op := range j.Ops {
		g := op.Group()
		i, ok := at[g]
		if !ok {
			i = len(out)
			at[g] = i
			out = append(out, Group{Name: g})
		}
		out[i].Ops = append(out[i].Ops, op)
	}
	return out
}

// Op finds an op by id.
func (j *Job) Op(id string) *Op {
	for _, op := range j.Ops {
		if op.ID == id {
			return op
		}
	}
	return nil
}

// Variables is global.variables (nil when absent).
func (j *Job) Variables() map[string]string {
	if j.Global == nil {
		return nil
	}
	return j.Global.Variables
}
