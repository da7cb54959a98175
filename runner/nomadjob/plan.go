package nomadjob

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

// Options are the runner's flags and the host facts that shape a plan.
type Options struct {
	RunID    string            // names everything the run makes
	Pull     string            // plan.PullMissing | PullAlways | PullNever
	ImageMap map[string]string // --image-map
	GPUs     string            // --gpus: device ids override the job's count
	NoGPU    bool              // --no-gpu
	Node     Node              // the local host as a Nomad client sees it
	// AllocRoot is the host directory under which each allocation's
	// directory (alloc/, <task>/local, <task>/secrets) is made.
	AllocRoot string
	// PickPort returns a free host port for a dynamic port.
	PickPort func() (int, error)
	// Meta are --meta K=V values for a parameterized job (dispatch meta).
	Meta map[string]string
	// Payload is the --payload file's content for a parameterized job.
	Payload []byte
}

// Node is the local host's identity and fingerprinted attributes
// (${node.*}, ${attr.*}, ${meta.*}).
type Node struct {
	ID, Name, Datacenter, Region, Class, Pool string
	Attrs                                     map[string]string
	Meta                                      map[string]string
}

// Plan is the whole run of a Nomad job on this host.
type Plan struct {
	RunID     string
	JobID     string
	JobName   string
	Type      string // batch | sysbatch | service | system
	Region    string
	Namespace string
	Allocs    []*Alloc
	NeedsGPU  bool
	// Notes are Nomad behaviours that cannot exist on one host, said once.
	Notes   []string
	Secrets []string `json:"-"` // values that must never be printed
	Payload []byte   `json:"-"` // the dispatch payload (--payload)
}

// Alloc is one allocation of a task group.
type Alloc struct {
	ID    string
	Name  string // job.group[index]
	Index int
	Group string
	Path  string // Job.TaskGroups[i]
	// Network is the group network mode: "bridge" (one network namespace
	// shared by the tasks, held by the Infra container), "host", or ""
	// (no group network: each task on Docker's default bridge).
	Network string
	Infra   string // name of the container holding the bridge namespace
	Ports   []Port
	Dir     string // host directory of the allocation
	Tasks   []*Task
	Checks  []Check `json:",omitempty"`
}

// Port is one group port as bound on this host.
type Port struct {
	Label  string
	Host   int  // host port on 127.0.0.1 (static Value, or picked)
	To     int  // port inside the namespace or container (0: the host port)
	Static bool // ReservedPorts
}

// Hooks of Nomad's task lifecycle ("" is a main task).
const (
	HookPrestart  = "prestart"
	HookPoststart = "poststart"
	HookPoststop  = "poststop"
)

// Task is one docker task as a container.
type Task struct {
	Name      string
	Path      string // Job.TaskGroups[i].Tasks[j]
	Hook      string // "" for a main task
	Sidecar   bool
	Leader    bool
	Container string

	Image       string // after --image-map
	SourceImage string
	Pull        string
	Auth        *nosana.DockerAuth `json:"-"` // registry credentials: never printed
	Entrypoint  []string
	Cmd         []string
	WorkDir     string
	User        string
	// Docker settings taken as the docker driver takes them.
	ShmSize        int64    `json:",omitempty"`
	Init           bool     `json:",omitempty"`
	ReadonlyRootfs bool     `json:",omitempty"`
	PidsLimit      int64    `json:",omitempty"`
	CapAdd         []string `json:",omitempty"`
	CapDrop        []string `json:",omitempty"`
	ExtraHosts     []string `json:",omitempty"`
	DNSServers     []string `json:",omitempty"`
	Tty            bool     `json:",omitempty"`
	Labels         map[string]string
	Env            []string // sorted KEY=value
	Mounts         []Mount
	// NetworkMode is Docker's: "container:<infra>", "host", or "" (the
	// default bridge).
	NetworkMode string
	// Publish are the group ports this task's container publishes
	// (docker `ports` in a group without a bridge network).
	Publish []Port

	CPUShares   int64
	NanoCPUs    int64 // from Cores
	MemoryMB    int64 // hard limit
	MemoryResMB int64 // soft limit (MemoryMB when MemoryMaxMB raises the hard one)
	GPU         *plan.GPURequest
	GPUDropped  bool
	// GPUMemory are ${device.attr.memory} constraints the GPUs must meet.
	GPUMemory []MemoryRule `json:",omitempty"`

	Restart     Restart
	KillTimeout time.Duration
	KillSignal  string
	Artifacts   []Artifact `json:",omitempty"`
	Templates   []Template `json:",omitempty"`
	// Payload is where DispatchPayload writes the payload (host path).
	Payload string `json:",omitempty"`
}

// Mount is a bind mount of a host directory (inside the allocation) or a tmpfs.
type Mount struct {
	Type     string // "bind" | "tmpfs"
	Source   string // host path (bind)
	Target   string
	ReadOnly bool
}

// Restart is the task's restart policy after Nomad's merging and defaults.
type Restart struct {
	Attempts int
	Interval time.Duration
	Delay    time.Duration
	Mode     string // fail | delay
}

// Build makes the plan of a decoded, canonicalized job.
func Build(job *api.Job, opts Options) (*Plan, error) {
	if opts.RunID == "" {
		return nil, fmt.Errorf("plan: no run id")
	}
	gpus, err := plan.ParseGPUs(opts.GPUs)
	if err != nil {
		return nil, err
	}
	p := &Plan{
		RunID: opts.RunID, JobID: str(job.ID), JobName: str(job.Name), Type: str(job.Type),
		Region: str(job.Region), Namespace: str(job.Namespace), Payload: opts.Payload,
	}
	if opts.Node.Region == "" {
		opts.Node.Region = p.Region
	}
	if opts.Node.Datacenter == "" {
		// The host joins the job's first datacenter, so ${node.datacenter}
		// and NOMAD_DC read as they would where the job is placed.
		opts.Node.Datacenter = "dc1"
		if len(job.Datacenters) > 0 && !strings.ContainsAny(job.Datacenters[0], "*?") {
			opts.Node.Datacenter = job.Datacenters[0]
		}
	}
	b := &builder{job: job, opts: opts, plan: p, gpus: gpus}
	if err := b.jobNotes(); err != nil {
		return nil, err
	}
	for gi, tg := range job.TaskGroups {
		count := 1
		if tg.Count != nil {
			count = *tg.Count
		}
		if p.Type == "system" || p.Type == "sysbatch" {
			count = 1 // one allocation per client: this host
		}
		for i := 0; i < count; i++ {
			a, err := b.alloc(gi, tg, i)
			if err != nil {
				return nil, err
			}
			p.Allocs = append(p.Allocs, a)
		}
	}
	p.Secrets = secrets(p)
	return p, nil
}

type builder struct {
	job  *api.Job
	opts Options
	plan *Plan
	gpus plan.GPURequest
}

func (b *builder) note(format string, a ...any) {
	n := fmt.Sprintf(format, a...)
	for _, have := range b.plan.Notes {
		if have == n {
			return
		}
	}
	b.plan.Notes = append(b.plan.Notes, n)
}

func (b *builder) jobNotes() error {
	job := b.job
	if job.Periodic != nil && job.Periodic.Enabled != nil && *job.Periodic.Enabled {
		b.note("the job is periodic: the runner runs it once, now, not on its schedule")
	}
	if job.ParameterizedJob != nil {
		pj := job.ParameterizedJob
		for _, k := range pj.MetaRequired {
			if _, ok := b.opts.Meta[k]; !ok {
				return fmt.Errorf("the job is parameterized and needs meta %q (Job.ParameterizedJob.MetaRequired): give it with --meta %s=VALUE", k, k)
			}
		}
		allowed := map[string]bool{}
		for _, k := range append(append([]string{}, pj.MetaRequired...), pj.MetaOptional...) {
			allowed[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(b.opts.Meta)) {
			if !allowed[k] {
				return fmt.Errorf("--meta %s: the job does not take it (Job.ParameterizedJob lists %s)", k, listOrNone(append(append([]string{}, pj.MetaRequired...), pj.MetaOptional...)))
			}
		}
		switch pj.Payload {
		case "required":
			if b.opts.Payload == nil {
				return fmt.Errorf("the job is parameterized with Payload \"required\": give the payload with --payload FILE")
			}
		case "forbidden":
			if b.opts.Payload != nil {
				return fmt.Errorf("the job is parameterized with Payload \"forbidden\": drop --payload")
			}
		}
	} else if len(b.opts.Meta) > 0 || b.opts.Payload != nil {
		return fmt.Errorf("--meta and --payload are for parameterized jobs; this job has no ParameterizedJob block")
	}
	if len(job.Constraints) > 0 || len(job.Affinities) > 0 || len(job.Spreads) > 0 {
		b.note("constraints, affinities and spreads choose among a cluster's clients; the runner runs on this host and does not check them")
	}
	return nil
}

// allocID is a UUID-shaped id derived from the run id, so a plan is the
// same each time it is built (golden tests, --plan then run).
func allocID(runID, group string, index int) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%d", runID, group, index)))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// containerName is <run>-<group>-<index>-<task>, limited to what Docker allows.
func containerName(runID, group string, index int, task string) string {
	return unsafeName.ReplaceAllString(fmt.Sprintf("%s-%s-%d-%s", runID, group, index, task), "_")
}

func (b *builder) alloc(gi int, tg *api.TaskGroup, index int) (*Alloc, error) {
	group := str(tg.Name)
	a := &Alloc{
		ID: allocID(b.opts.RunID, group, index), Index: index, Group: group,
		Name: fmt.Sprintf("%s.%s[%d]", b.plan.JobName, group, index),
		Path: fmt.Sprintf("Job.TaskGroups[%d]", gi),
	}
	a.Dir = b.opts.AllocRoot + "/" + a.ID
	if err := b.network(a, tg); err != nil {
		return nil, err
	}
	if len(tg.Services) > 0 {
		b.note("services are not registered anywhere (no Consul or Nomad service catalogue on this host); their checks run from this host")
	}
	for ti, t := range tg.Tasks {
		task, err := b.task(a, tg, t, fmt.Sprintf("%s.Tasks[%d]", a.Path, ti))
		if err != nil {
			return nil, err
		}
		a.Tasks = append(a.Tasks, task)
	}
	if err := b.services(a, tg); err != nil {
		return nil, err
	}
	return a, nil
}

func secrets(p *Plan) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range p.Allocs {
		for _, t := range a.Tasks {
			if t.Auth != nil && t.Auth.Password != "" && !seen[t.Auth.Password] {
				seen[t.Auth.Password] = true
				out = append(out, t.Auth.Password)
			}
			for _, kv := range t.Env {
				k, v, _ := strings.Cut(kv, "=")
				// The client's own NOMAD_* variables (NOMAD_SECRETS_DIR…) are paths and ids.
				if plan.SecretName(k) && !strings.HasPrefix(k, "NOMAD_") && len(v) >= 4 && !seen[v] {
					seen[v] = true
					out = append(out, v)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ", ")
}
