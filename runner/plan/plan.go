// Package plan turns a typed Nosana job and the runner's flags into the
// execution plan: the ordered groups and, for every op, the container it
// becomes (image, command, env, mounts, ports, GPUs, resources). It is a pure
// function of its inputs; nothing here talks to Docker. The engine builds
// the same Step again for an op after interpolating its literals, so the plan
// printed by --plan and what runs are made by one function.
package plan

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/nosana"
	interp "github.com/jobkit-dev/jobkit/core/nosana/resolve"
)

// Pull policies.
const (
	PullMissing = "missing"
	PullAlways  = "always"
	PullNever   = "never"
)

// LabelRun is the label every container, network and volume of a run carries
// (its value is the run id); LabelOp carries the op id.
const (
	LabelRun = "dev.jobkit.run"
	LabelOp  = "dev.jobkit.op"
)

// Options are the flags that shape a plan.
type Options struct {
	RunID    string            // names everything the run makes; also NOSANA_ID
	Pull     string            // missing (default) | always | never
	ImageMap map[string]string // image substitutions (exact image strings)
	GPUs     string            // "all" (default) | "N" | "0,2"
	NoGPU    bool              // run GPU ops without GPUs
	// HostAccess adds the op id as a network alias (the node gives ops no
	// op-id host names); for local debugging.
	HostAccess bool
}

// Plan is the whole run.
type Plan struct {
	RunID        string
	Network      string
	Labels       map[string]string
	Groups       []Group
	Volumes      []string // per-run volumes made by create-volume ops
	NeedsGPU     bool     // some op needs a GPU and --no-gpu is off
	RequiredVRAM float64  // GB, from meta.system_requirements.required_vram
	Warnings     []string
	Secrets      []string // values that must never be printed
	HostAccess   bool     // Options.HostAccess
}

// Group is one execution group.
type Group struct {
	Name  string
	Steps []*Step
}

// Step is one op as a container (or a volume).
type Step struct {
	OpID  string
	Index int
	Type  string // nosana.TypeRun | nosana.TypeCreateVolume
	Group string

	// Volume is the Docker volume a create-volume op makes.
	Volume string

	Container            string // container name; also %%ops.<id>.host%%
	Image                string // after --image-map
	SourceImage          string // as written
	Pull                 string
	Auth                 *nosana.DockerAuth
	Entrypoint           []string // nil: the image's
	Cmd                  []string // nil: the image's
	WorkDir              string
	Env                  []string // sorted KEY=value
	Aliases              []string // network aliases (the op id first)
	GPU                  *GPURequest
	GPUDropped           bool // the op wants a GPU but --no-gpu is on
	Ports                []nosana.ExposedPort
	Mounts               []Mount
	Restart              nosana.RestartPolicy
	DependsOn            []string
	StopIfDependentStops bool
	// Literals is set when the args hold %%…%% literals: the values above
	// are as written and are resolved when the op starts.
	Literals bool
}

// GPURequest is Docker's DeviceRequest for the op.
type GPURequest struct {
	Count     int      // -1: all
	DeviceIDs []string // with Count 0
}

// Mount is a volume or a downloaded resource mounted into the container.
type Mount struct {
	Volume   string           // Docker volume name (volumes[])
	Resource *nosana.Resource // or a resource, downloaded into the host cache
	Target   string
	ReadOnly bool
}

// Build makes the plan of job.
func Build(job *nosana.Job, opts Options) (*Plan, error) {
	if opts.RunID == "" {
		return nil, fmt.Errorf("plan: no run id")
	}
	if _, err := ParseGPUs(opts.GPUs); err != nil {
		return nil, err
	}
	if err := validate(job); err != nil {
		return nil, err
	}
	p := &Plan{
		RunID:        opts.RunID,
		Network:      opts.RunID,
		Labels:       map[string]string{LabelRun: opts.RunID},
		RequiredVRAM: job.RequiredVRAM(),
		Secrets:      Secrets(job),
		HostAccess:   opts.HostAccess,
	}
	for _, g := range job.Groups() {
		pg := Group{Name: g.Name}
		for _, op := range g.Ops {
			s, err := BuildStep(op, opts)
			if err != nil {
				return nil, err
			}
			if s.Volume != "" {
				p.Volumes = append(p.Volumes, s.Volume)
			}
			if s.GPU != nil {
				p.NeedsGPU = true
			}
			pg.Steps = append(pg.Steps, s)
		}
		p.Groups = append(p.Groups, pg)
	}
	p.Warnings = warnings(p)
	return p, nil
}

// BuildStep maps one op to its container.
func BuildStep(op *nosana.Op, opts Options) (*Step, error) {
	s := &Step{
		OpID:                 op.ID,
		Index:                op.Index,
		Type:                 op.Type,
		Group:                op.Group(),
		DependsOn:            op.DependsOn(),
		StopIfDependentStops: op.StopIfDependentStops(),
		Literals:             interp.HasLiterals(op.RawArgs),
	}
	if op.Volume != nil {
		s.Type = nosana.TypeCreateVolume
		if err := checkVolumeName(op.Volume.Name, s.Literals); err != nil {
			return nil, fmt.Errorf("ops[%d].args.name: %w", op.Index, err)
		}
		s.Volume = VolumeName(opts.RunID, op.Volume.Name)
		return s, nil
	}
	run := op.Run
	if run == nil {
		return nil, fmt.Errorf("ops[%d] (%s) has no container/run args", op.Index, op.ID)
	}
	s.Type = nosana.TypeRun
	s.Container = ContainerName(opts.RunID, op.Index)
	s.SourceImage = op.Image()
	s.Image = MapImage(s.SourceImage, opts.ImageMap)
	s.Pull = opts.Pull
	if s.Pull == "" {
		s.Pull = PullMissing
	}
	if run.Authentication != nil && run.Authentication.Docker != nil {
		s.Auth = run.Authentication.Docker
	}
	s.Entrypoint = op.Entrypoint()
	s.Cmd = op.Command()
	s.WorkDir = op.WorkDir()
	s.Env = op.EnvList(opts.RunID)
	// Like the node: only args.aliases (and the container name) resolve.
	s.Aliases = append([]string(nil), run.Aliases...)
	if opts.HostAccess {
		s.Aliases = append([]string{op.ID}, s.Aliases...)
	}
	if op.GPU() {
		if opts.NoGPU {
			s.GPUDropped = true
		} else {
			g, _ := ParseGPUs(opts.GPUs)
			s.GPU = &g
		}
	}
	s.Ports = op.ExposedPorts()
	for _, it := range run.Expose {
		if it.Literal != "" && !s.Literals {
			n, err := strconv.Atoi(it.Literal)
			if err != nil || n <= 0 || n > 65535 {
				return nil, fmt.Errorf("ops[%d].args.expose: %q is not a port number", op.Index, it.Literal)
			}
			s.Ports = append(s.Ports, nosana.ExposedPort{Port: n, Type: nosana.PortNone})
		}
	}
	for _, p := range s.Ports {
		if p.Port <= 0 || p.Port > 65535 {
			return nil, fmt.Errorf("ops[%d].args.expose: port %d is outside 1–65535", op.Index, p.Port)
		}
	}
	for i, v := range run.Volumes {
		if err := checkVolumeName(v.Name, s.Literals); err != nil {
			return nil, fmt.Errorf("ops[%d].args.volumes[%d].name: %w", op.Index, i, err)
		}
		s.Mounts = append(s.Mounts, Mount{Volume: VolumeName(opts.RunID, v.Name), Target: v.Dest})
	}
	for i := range run.Resources {
		r := &run.Resources[i]
		if r.Spread != nil {
			continue // resolved when the op starts
		}
		s.Mounts = append(s.Mounts, Mount{Resource: r, Target: r.Target(), ReadOnly: !r.Writable()})
	}
	if run.RestartPolicy != nil {
		s.Restart = *run.RestartPolicy
	}
	return s, nil
}

// volumeNamePattern is what Docker accepts after the "<run id>-" prefix.
var volumeNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)

// checkVolumeName rejects a volume name that is not a plain Docker volume
// name, such as "/etc" or "../data", which a careless runner would pass on
// as a host path. With literals the name is checked again once resolved.
func checkVolumeName(name string, literals bool) error {
	if literals && strings.Contains(name, "%%") {
		return nil
	}
	if !volumeNamePattern.MatchString(name) || strings.Contains(name, "..") {
		return fmt.Errorf("volume name %q is not a plain name: use letters, digits, '_', '.' or '-' (no '/' and no '..'); a volume is never a folder of the host", name)
	}
	return nil
}

// ContainerName is the container of op index i (the node's "<flowId>-<index>").
func ContainerName(runID string, i int) string { return fmt.Sprintf("%s-%d", runID, i) }

// VolumeName is the Docker volume of a create-volume op (the node's "<flowId>-<name>").
func VolumeName(runID, name string) string { return runID + "-" + name }

// MapImage applies --image-map.
func MapImage(image string, m map[string]string) string {
	if to, ok := m[image]; ok {
		return to
	}
	return image
}

// ParseGPUs reads --gpus: "all" (or ""), a count "N", or device ids "0,2".
func ParseGPUs(s string) (GPURequest, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "all" {
		return GPURequest{Count: -1}, nil
	}
	if n, err := strconv.Atoi(s); err == nil && !strings.Contains(s, ",") {
		if n < 1 {
			return GPURequest{}, fmt.Errorf("--gpus %s: give a count of at least 1, device ids like 0,2, or all", s)
		}
		return GPURequest{Count: n}, nil
	}
	var ids []string
	for _, id := range strings.Split(s, ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			return GPURequest{}, fmt.Errorf("--gpus %s: empty device id", s)
		}
		ids = append(ids, id)
	}
	return GPURequest{DeviceIDs: ids}, nil
}

// ImageTag is the tag of an image reference ("" when none; a digest counts as pinned).
func ImageTag(image string) (tag string, pinned bool) {
	if strings.Contains(image, "@") {
		return "", true
	}
	slash := strings.LastIndex(image, "/")
	if c := strings.LastIndex(image, ":"); c > slash {
		return image[c+1:], image[c+1:] != "latest"
	}
	return "", false
}

func warnings(p *Plan) []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range p.Groups {
		for _, s := range g.Steps {
			if s.Type != nosana.TypeRun {
				continue
			}
			if s.GPUDropped {
				out = append(out, fmt.Sprintf("op %s asks for a GPU; running it without one (--no-gpu)", s.OpID))
			}
			if seen[s.SourceImage] || strings.Contains(s.SourceImage, "%%") {
				continue
			}
			seen[s.SourceImage] = true
			if _, pinned := ImageTag(s.SourceImage); !pinned && s.Pull != PullAlways {
				out = append(out, fmt.Sprintf("image %s has no pinned tag (it means :latest): a cached copy is used and never refreshed; pin a version tag or use --pull always", s.SourceImage))
			}
		}
	}
	return out
}

// Secrets lists the secret values of a job: registry passwords, S3 secret
// keys and Hugging Face tokens, plus env values whose names say they are
// secrets (TOKEN, SECRET, PASSWORD, KEY, …). Short values are left out so
// that masking does not garble ordinary text.
func Secrets(job *nosana.Job) []string {
	set := map[string]bool{}
	add := func(v string) {
		if len(v) >= 4 && !strings.Contains(v, "%%") {
			set[v] = true
		}
	}
	addURL := func(raw string) {
		if u, err := url.Parse(raw); err == nil && u.User != nil {
			add(u.User.Username())
			if p, ok := u.User.Password(); ok {
				add(p)
			}
		}
	}
	var envs []map[string]string
	addEnv := func(env map[string]string) { envs = append(envs, env) }
	if job.Global != nil {
		addEnv(job.Global.Env)
		addEnv(job.Global.Variables)
	}
	for _, op := range job.Ops {
		if op.Run == nil {
			continue
		}
		addEnv(op.Run.Env)
		if a := op.Run.Authentication; a != nil && a.Docker != nil {
			add(a.Docker.Password)
		}
		for _, r := range op.Run.Resources {
			if r.S3 != nil {
				addURL(r.S3.URL)
				for _, b := range r.S3.Buckets {
					addURL(b.URL)
				}
			}
			if r.S3 != nil && r.S3.IAM != nil {
				add(r.S3.IAM.SecretAccessKey)
				add(r.S3.IAM.AccessKeyID)
			}
			if r.HF != nil {
				add(r.HF.AccessToken)
			}
		}
	}
	// Env values: by name (TOKEN, SECRET, …), by shape (a well-known token
	// format, a URL with a password), or because the value is a credential
	// the job gives elsewhere (MY_CRED set to the registry password; a value
	// merely containing one is masked by the replacer anyway).
	known := maps.Clone(set)
	for _, env := range envs {
		for k, v := range env {
			switch {
			case SecretName(k), credentialShape.MatchString(v), known[v]:
				add(v)
			default:
				addURL(v)
			}
		}
	}
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	// Longest first, so that a secret containing another is masked whole.
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) || len(out[i]) == len(out[j]) && out[i] < out[j] })
	return out
}

// credentialShape matches values that are credentials whatever their name:
// Hugging Face, GitHub, GitLab, OpenAI-style, Slack and AWS access keys,
// and JSON web tokens.
var credentialShape = regexp.MustCompile(`^(hf_[A-Za-z0-9]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|sk-[A-Za-z0-9_-]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|(AKIA|ASIA)[A-Z0-9]{16}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$`)

// SecretName reports whether an env name looks like it holds a secret.
func SecretName(name string) bool {
	n := strings.ToUpper(name)
	for _, w := range []string{"TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASS", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY", "CREDENTIAL", "AUTH"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return strings.HasSuffix(n, "_KEY") || n == "KEY"
}

// Masker replaces secrets with "****" in text.
type Masker struct{ r *strings.Replacer }

// NewMasker masks the given secrets.
func NewMasker(secrets []string) *Masker {
	if len(secrets) == 0 {
		return &Masker{}
	}
	args := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		args = append(args, s, "****")
	}
	return &Masker{r: strings.NewReplacer(args...)}
}

// Empty reports whether there is nothing to mask.
func (m *Masker) Empty() bool { return m == nil || m.r == nil }

// Mask returns s with every secret replaced.
func (m *Masker) Mask(s string) string {
	if m == nil || m.r == nil {
		return s
	}
	return m.r.Replace(s)
}
