package nomadjob

import (
	"fmt"
	"strconv"

	"github.com/hashicorp/nomad/api"
)

// Template is a task template to render before the task starts.
type Template struct {
	Path       string // Job.TaskGroups[i].Tasks[j].Templates[k]
	Embedded   string // EmbeddedTmpl
	Source     string // SourcePath as a host path inside the allocation ("" when embedded)
	Dest       string // DestPath as a host path inside the allocation
	Perms      uint32
	Envvars    bool // the rendered file is KEY=VALUE lines for the task's env
	LeftDelim  string
	RightDelim string
	// ErrMissingKey makes a missing map key an error, as Nomad's option does.
	ErrMissingKey bool
}

// templates reads the task's templates; paths are relative to the task
// directory and must stay inside the allocation.
func (b *builder) templates(task *Task, t *api.Task, taskDir, tpath string, v vars) error {
	for i, tm := range t.Templates {
		where := fmt.Sprintf("%s.Templates[%d]", tpath, i)
		out := Template{Path: where, Embedded: str(tm.EmbeddedTmpl), LeftDelim: str(tm.LeftDelim), RightDelim: str(tm.RightDelim)}
		if tm.Envvars != nil {
			out.Envvars = *tm.Envvars
		}
		if tm.ErrMissingKey != nil {
			out.ErrMissingKey = *tm.ErrMissingKey
		}
		if src := v.expand(str(tm.SourcePath)); src != "" {
			p, err := inside(taskDir, src)
			if err != nil {
				return fmt.Errorf("task %q (%s.SourcePath): %w", t.Name, where, err)
			}
			out.Source = p
		}
		dest := v.expand(str(tm.DestPath))
		if dest == "" {
			return fmt.Errorf("task %q (%s.DestPath): a template needs a destination, such as \"local/config.env\"", t.Name, where)
		}
		p, err := inside(taskDir, dest)
		if err != nil {
			return fmt.Errorf("task %q (%s.DestPath): %w", t.Name, where, err)
		}
		out.Dest = p
		perms := "0644"
		if tm.Perms != nil && *tm.Perms != "" {
			perms = *tm.Perms
		}
		m, err := strconv.ParseUint(perms, 8, 32)
		if err != nil || m > 0o777 {
			return fmt.Errorf("task %q (%s.Perms): %q is not an octal file mode such as \"0644\"", t.Name, where, perms)
		}
		out.Perms = uint32(m)
		if mode := str(tm.ChangeMode); mode != "" && mode != "noop" {
			b.note("template ChangeMode (%s) is moot here: templates render once, before their task starts, and nothing (Consul, Vault, Nomad variables) changes them", mode)
		}
		task.Templates = append(task.Templates, out)
	}
	return nil
}
