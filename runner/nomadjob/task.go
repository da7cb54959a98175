package nomadjob

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/nomad/api"

	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

// Where the docker driver mounts the allocation directories.
const (
	AllocDirInside   = "/alloc"
	TaskDirInside    = "/local"
	SecretsDirInside = "/secrets"
)

func (b *builder) task(a *Alloc, tg *api.TaskGroup, t *api.Task, tpath string) (*Task, error) {
	if t.Driver != "docker" {
		return nil, fmt.Errorf("task %q (%s): driver %q is not supported by the runner: it runs docker tasks only (use a Nomad client for %s tasks)", t.Name, tpath, t.Driver, t.Driver)
	}
	if err := b.unsupported(t, tpath); err != nil {
		return nil, err
	}
	task := &Task{
		Name: t.Name, Path: tpath, Leader: t.Leader,
		Container:  containerName(b.opts.RunID, a.Group, a.Index, t.Name),
		KillSignal: t.KillSignal,
	}
	if t.Lifecycle != nil {
		task.Hook, task.Sidecar = t.Lifecycle.Hook, t.Lifecycle.Sidecar
		switch task.Hook {
		case HookPrestart, HookPoststart, HookPoststop:
		default:
			return nil, fmt.Errorf("task %q (%s.Lifecycle.Hook): unknown hook %q; use prestart, poststart or poststop", t.Name, tpath, task.Hook)
		}
	}
	if t.KillTimeout != nil {
		task.KillTimeout = *t.KillTimeout
	}
	if task.KillSignal == "" {
		task.KillSignal = "SIGTERM"
	}
	task.Restart = restart(t.RestartPolicy, tg.RestartPolicy)
	if err := b.resources(task, t, tpath); err != nil {
		return nil, err
	}

	env := b.taskEnv(a, tg, t, task)
	nv := nodeVars(b.opts.Node)
	scope := vars{}
	for k, v := range nv {
		scope[k] = v
	}
	for k, v := range env {
		scope[k] = v
	}
	// The task's Env sees NOMAD_* and the host's attributes (not other Env keys).
	for _, k := range slices.Sorted(maps.Keys(t.Env)) {
		env[k] = scope.expand(t.Env[k])
	}
	for k, v := range env {
		scope[k] = v
	}
	for _, k := range slices.Sorted(maps.Keys(env)) {
		task.Env = append(task.Env, k+"="+env[k])
	}

	cfg, err := decodeConfig(t.Config, scope, tpath)
	if err != nil {
		return nil, fmt.Errorf("task %q: %w", t.Name, err)
	}
	if cfg.Image == "" {
		return nil, fmt.Errorf("task %q (%s.Config.image): image name required for docker driver", t.Name, tpath)
	}
	task.SourceImage = cfg.Image
	task.Image = plan.MapImage(cfg.Image, b.opts.ImageMap)
	task.Pull = b.opts.Pull
	if cfg.ForcePull && task.Pull == plan.PullMissing {
		task.Pull = plan.PullAlways
	}
	if cfg.Auth != nil {
		task.Auth = &nosana.DockerAuth{Username: cfg.Auth.Username, Password: cfg.Auth.Password, Email: cfg.Auth.Email, Server: cfg.Auth.ServerAddress}
	}
	if cfg.Command != "" {
		if strings.TrimSpace(cfg.Command) != cfg.Command {
			return nil, fmt.Errorf("task %q (%s.Config.command): command contains extra white space: %q; put arguments in args", t.Name, tpath, cfg.Command)
		}
		task.Cmd = append([]string{cfg.Command}, cfg.Args...)
	} else if len(cfg.Args) > 0 {
		task.Cmd = cfg.Args
	}
	task.Entrypoint = cfg.Entrypoint
	task.WorkDir = cfg.WorkDir
	task.User = t.User
	if cfg.Privileged {
		return nil, fmt.Errorf("task %q (%s.Config.privileged): the runner does not run privileged containers (a Nomad client refuses them too unless allow_privileged is set); drop privileged, or add the capabilities it needs with cap_add", t.Name, tpath)
	}
	task.ShmSize, task.Init, task.ReadonlyRootfs, task.PidsLimit = cfg.ShmSize, cfg.Init, cfg.ReadonlyRootfs, cfg.PidsLimit
	task.CapAdd, task.CapDrop, task.ExtraHosts, task.DNSServers, task.Tty = cfg.CapAdd, cfg.CapDrop, cfg.ExtraHosts, cfg.DNSServers, cfg.Tty
	if task.Labels, err = cfg.labels(); err != nil {
		return nil, fmt.Errorf("task %q (%s.Config.%w)", t.Name, tpath, err)
	}
	if cfg.MemoryHardLimit > task.MemoryMB {
		task.MemoryResMB, task.MemoryMB = task.MemoryMB, cfg.MemoryHardLimit
	}
	if err := b.taskNetwork(a, task, cfg, tpath); err != nil {
		return nil, err
	}
	if err := b.mounts(a, task, cfg, tpath); err != nil {
		return nil, err
	}
	if err := b.artifacts(task, t, a.Dir+"/"+t.Name, tpath, scope); err != nil {
		return nil, err
	}
	if err := b.templates(task, t, a.Dir+"/"+t.Name, tpath, scope); err != nil {
		return nil, err
	}
	if t.DispatchPayload != nil && t.DispatchPayload.File != "" && b.opts.Payload != nil {
		p, err := inside(a.Dir+"/"+t.Name+"/local", t.DispatchPayload.File)
		if err != nil {
			return nil, fmt.Errorf("task %q (%s.DispatchPayload.File): %w", t.Name, tpath, err)
		}
		task.Payload = p
	}
	return task, nil
}

// unsupported refuses what needs a Nomad cluster's services, naming the task.
func (b *builder) unsupported(t *api.Task, tpath string) error {
	switch {
	case t.Vault != nil:
		return fmt.Errorf("task %q (%s.Vault): Vault is not available to the runner (no Vault on this host)", t.Name, tpath)
	case len(t.VolumeMounts) > 0:
		return fmt.Errorf("task %q (%s.VolumeMounts): host and CSI volumes need a Nomad client; mount allocation directories with Config.volumes instead", t.Name, tpath)
	}
	if len(t.Services) > 0 {
		b.note("services are not registered anywhere (no Consul or Nomad service catalogue on this host); their checks run from this host")
	}
	return nil
}

// restart merges the task's policy over the group's (Canonicalize has
// filled the group's with the job type's defaults).
func restart(task, group *api.RestartPolicy) Restart {
	var r Restart
	for _, p := range []*api.RestartPolicy{group, task} {
		if p == nil {
			continue
		}
		if p.Attempts != nil {
			r.Attempts = *p.Attempts
		}
		if p.Interval != nil {
			r.Interval = *p.Interval
		}
		if p.Delay != nil {
			r.Delay = *p.Delay
		}
		if p.Mode != nil {
			r.Mode = *p.Mode
		}
	}
	if r.Mode == "" {
		r.Mode = "fail"
	}
	return r
}

// resources maps Nomad's resources to Docker limits as the docker driver
// does: CPU MHz become CPU shares, MemoryMB the hard limit unless
// MemoryMaxMB raises it (then MemoryMB is the soft one), nvidia/gpu devices
// become a GPU device request.
func (b *builder) resources(task *Task, t *api.Task, tpath string) error {
	r := t.Resources
	if r == nil {
		return nil
	}
	if r.CPU != nil {
		task.CPUShares = int64(*r.CPU)
	}
	if r.Cores != nil && *r.Cores > 0 {
		task.NanoCPUs = int64(*r.Cores) * 1e9
		b.note("Cores reserve whole cores on a Nomad client; the runner limits the container to that many CPUs' time instead")
	}
	if r.MemoryMB != nil {
		task.MemoryMB = int64(*r.MemoryMB)
	}
	if r.MemoryMaxMB != nil && int64(*r.MemoryMaxMB) > task.MemoryMB {
		task.MemoryResMB, task.MemoryMB = task.MemoryMB, int64(*r.MemoryMaxMB)
	}
	for i, d := range r.Devices {
		if !isGPU(d.Name) {
			continue
		}
		count := 1
		if d.Count != nil {
			count = int(*d.Count)
		}
		if b.opts.NoGPU {
			task.GPUDropped = true
			continue
		}
		req := plan.GPURequest{Count: count}
		if len(b.gpus.DeviceIDs) > 0 {
			req = plan.GPURequest{DeviceIDs: b.gpus.DeviceIDs}
		}
		task.GPU = &req
		b.plan.NeedsGPU = true
		rules, err := b.deviceRules(d, fmt.Sprintf("%s.Resources.Devices[%d]", tpath, i))
		if err != nil {
			return fmt.Errorf("task %q (%w)", t.Name, err)
		}
		task.GPUMemory = append(task.GPUMemory, rules...)
	}
	return nil
}

func isGPU(name string) bool {
	switch name {
	case "gpu", "nvidia/gpu":
		return true
	}
	return strings.HasPrefix(name, "nvidia/gpu/")
}

var envUnsafe = regexp.MustCompile(`[^a-zA-Z0-9_]`)

// taskEnv is the environment the Nomad client gives the task before its Env.
func (b *builder) taskEnv(a *Alloc, tg *api.TaskGroup, t *api.Task, task *Task) map[string]string {
	n := b.opts.Node
	env := map[string]string{
		"NOMAD_ALLOC_DIR":      AllocDirInside,
		"NOMAD_TASK_DIR":       TaskDirInside,
		"NOMAD_SECRETS_DIR":    SecretsDirInside,
		"NOMAD_ALLOC_ID":       a.ID,
		"NOMAD_SHORT_ALLOC_ID": a.ID[:8],
		"NOMAD_ALLOC_NAME":     a.Name,
		"NOMAD_ALLOC_INDEX":    fmt.Sprint(a.Index),
		"NOMAD_TASK_NAME":      t.Name,
		"NOMAD_GROUP_NAME":     a.Group,
		"NOMAD_JOB_ID":         b.plan.JobID,
		"NOMAD_JOB_NAME":       b.plan.JobName,
		"NOMAD_NAMESPACE":      b.plan.Namespace,
		"NOMAD_REGION":         b.plan.Region,
		"NOMAD_DC":             n.Datacenter,
		"NOMAD_CPU_LIMIT":      fmt.Sprint(task.CPUShares),
		"NOMAD_MEMORY_LIMIT":   fmt.Sprint(task.MemoryMB),
		"NOMAD_PARENT_CGROUP":  "",
		"NOMAD_JOB_PARENT_ID":  str(b.job.ParentID),
	}
	if task.MemoryResMB > 0 {
		env["NOMAD_MEMORY_LIMIT"] = fmt.Sprint(task.MemoryResMB)
		env["NOMAD_MEMORY_MAX_LIMIT"] = fmt.Sprint(task.MemoryMB)
	}
	if task.NanoCPUs > 0 {
		env["NOMAD_CPU_CORES"] = fmt.Sprint(task.NanoCPUs / 1e9)
	}
	if b.job.ParameterizedJob != nil {
		env["NOMAD_JOB_PARENT_ID"] = b.plan.JobID
	}
	portEnv(a, env)
	meta := map[string]string{}
	for _, m := range []map[string]string{b.job.Meta, b.opts.Meta, tg.Meta, t.Meta} {
		for k, v := range m {
			meta[k] = v
		}
	}
	for k, v := range meta {
		k = envUnsafe.ReplaceAllString(k, "_")
		env["NOMAD_META_"+k] = v
		env["NOMAD_META_"+strings.ToUpper(k)] = v
	}
	delete(env, "NOMAD_PARENT_CGROUP")
	if env["NOMAD_JOB_PARENT_ID"] == "" {
		delete(env, "NOMAD_JOB_PARENT_ID")
	}
	return env
}

// taskNetwork puts the task in its allocation's network: the shared
// namespace of a bridge group, the host's, or Docker's default bridge with
// the labels of docker `ports` published.
func (b *builder) taskNetwork(a *Alloc, task *Task, cfg *dockerConfig, tpath string) error {
	byLabel := map[string]Port{}
	for _, p := range a.Ports {
		byLabel[p.Label] = p
	}
	for _, l := range cfg.Ports {
		if _, ok := byLabel[l]; !ok {
			return fmt.Errorf("task %q (%s.Config.ports): Port %q not found, check network block", task.Name, tpath, l)
		}
	}
	switch {
	case a.Network == "bridge":
		if cfg.NetworkMode != "" {
			return fmt.Errorf("task %q (%s.Config.network_mode): the group network is bridge, so the task shares the allocation's network namespace; drop network_mode", task.Name, tpath)
		}
		task.NetworkMode = "container:" + a.Infra
	case cfg.NetworkMode == "host" || cfg.NetworkMode == "none":
		task.NetworkMode = cfg.NetworkMode
	case cfg.NetworkMode == "" || cfg.NetworkMode == "bridge" || cfg.NetworkMode == "default":
		for _, l := range cfg.Ports {
			p := byLabel[l]
			if p.To <= 0 {
				p.To = p.Host
			}
			task.Publish = append(task.Publish, p)
		}
		if a.Network == "host" && len(cfg.Ports) == 0 && len(a.Ports) > 0 {
			b.note("in a host-mode group, a docker task reaches its ports only through Config.ports (as on a Nomad client)")
		}
	default:
		return fmt.Errorf("task %q (%s.Config.network_mode): %q is not supported by the runner; use bridge, host, none, or a group network", task.Name, tpath, cfg.NetworkMode)
	}
	return nil
}

// mounts adds the allocation directories where the docker driver mounts
// them, and the task's volumes and mounts, which must stay inside the
// allocation (as on a client with docker volumes disabled).
func (b *builder) mounts(a *Alloc, task *Task, cfg *dockerConfig, tpath string) error {
	taskDir := a.Dir + "/" + task.Name
	task.Mounts = []Mount{
		{Type: "bind", Source: a.Dir + "/alloc", Target: AllocDirInside},
		{Type: "bind", Source: taskDir + "/local", Target: TaskDirInside},
		{Type: "bind", Source: taskDir + "/secrets", Target: SecretsDirInside},
	}
	for i, v := range cfg.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
			return fmt.Errorf("task %q (%s.Config.volumes[%d]): want \"host:container[:ro]\", got %q", task.Name, tpath, i, v)
		}
		src, err := inside(taskDir, parts[0])
		if err != nil {
			return fmt.Errorf("task %q (%s.Config.volumes[%d]): %w", task.Name, tpath, i, err)
		}
		task.Mounts = append(task.Mounts, Mount{Type: "bind", Source: src, Target: parts[1], ReadOnly: len(parts) == 3 && parts[2] == "ro"})
	}
	ms, err := cfg.mounts()
	if err != nil {
		return fmt.Errorf("task %q (%s.Config.%w)", task.Name, tpath, err)
	}
	for i, m := range ms {
		where := fmt.Sprintf("%s.Config.mount[%d]", tpath, i)
		switch m.Type {
		case "bind":
			src, err := inside(taskDir, m.Source)
			if err != nil {
				return fmt.Errorf("task %q (%s.source): %w", task.Name, where, err)
			}
			task.Mounts = append(task.Mounts, Mount{Type: "bind", Source: src, Target: m.Target, ReadOnly: m.ReadOnly})
		case "tmpfs":
			task.Mounts = append(task.Mounts, Mount{Type: "tmpfs", Target: m.Target, ReadOnly: m.ReadOnly})
		case "", "volume":
			return fmt.Errorf("task %q (%s): named Docker volumes outlive the run; use a bind mount inside the allocation (source \"local/...\" or \"../alloc/...\") or tmpfs", task.Name, where)
		default:
			return fmt.Errorf("task %q (%s.type): invalid mount type, must be \"bind\", \"volume\", \"tmpfs\": %q", task.Name, where, m.Type)
		}
	}
	return nil
}

// inside resolves a host path given relative to the task directory and
// refuses one that leaves the allocation, as a client with docker volumes
// disabled does.
func inside(taskDir, p string) (string, error) {
	if path.IsAbs(p) {
		return "", fmt.Errorf("host path %q is outside the allocation: the runner mounts only the allocation's directories (volumes are not enabled); use a path relative to the task directory, such as \"local/data\" or \"../alloc/data\"", p)
	}
	allocDir := path.Dir(taskDir)
	full := path.Join(taskDir, p)
	if full != allocDir && !strings.HasPrefix(full, allocDir+"/") {
		return "", fmt.Errorf("host path %q leaves the allocation directory", p)
	}
	return full, nil
}
