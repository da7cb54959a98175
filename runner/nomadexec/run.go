// Package nomadexec runs a Nomad job's plan (runner/nomadjob) on the local
// Docker daemon the way a Nomad client would: every allocation with its
// directories, network namespace and ports, its tasks in lifecycle order
// with their restart policies, kill signals and timeouts. It borrows the
// Nosana runner's machinery (engine.Parts: pulls, GPU check, private-image
// removal; engine.RemoveRun: cleanup by the run label) so both job models
// are run by one engine.
package nomadexec

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/hashicorp/nomad/api"

	"github.com/jobkit-dev/jobkit/runner/engine"
	"github.com/jobkit-dev/jobkit/runner/nomadjob"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

// DefaultInfraImage is the image of the container that holds a bridge
// allocation's network namespace: the Nomad docker driver's default.
const DefaultInfraImage = "registry.k8s.io/pause-amd64:3.3"

// Options are the run-time flags.
type Options struct {
	Timeout       time.Duration // 0: none; service jobs run until it or Ctrl-C
	Keep          bool          // keep containers and allocation directories
	Terminal      bool          // stderr is a terminal (progress bars)
	InfraImage    string        // default DefaultInfraImage
	GPUProbeImage string        // image for the GPU probe (default: any local image)
	CacheDir      string        // artifact download cache (default engine.DefaultCacheDir())
	S3Endpoint    string        // S3 endpoint for s3:// artifacts (--s3-endpoint)
}

// Runner runs one plan.
type Runner struct {
	D    engine.Daemon
	Plan *nomadjob.Plan
	Opts Options
	Out  io.Writer // task logs
	Err  io.Writer // runner messages

	parts    *engine.Parts
	mu       sync.Mutex // report state
	outMu    sync.Mutex
	pad      int
	infraMu  sync.Mutex
	infraErr error
}

// Run executes the plan. The report is always returned, also on error; err
// is an *engine.InfraError when the machinery failed.
func (r *Runner) Run(ctx context.Context) (rep *Report, err error) {
	if r.Opts.InfraImage == "" {
		r.Opts.InfraImage = DefaultInfraImage
	}
	if r.Opts.CacheDir == "" {
		r.Opts.CacheDir = engine.DefaultCacheDir()
	}
	r.parts = engine.NewParts(r.D, r.Plan.RunID, r.Err, r.Plan.Secrets, r.Opts.Terminal, r.Opts.GPUProbeImage)
	rep = &Report{RunID: r.Plan.RunID, JobID: r.Plan.JobID, JobType: r.Plan.Type, StartTime: time.Now(), Notes: r.Plan.Notes}
	var allocs []*allocRun
	for _, a := range r.Plan.Allocs {
		st := &AllocState{ID: a.ID, Name: a.Name, JobID: r.Plan.JobID, TaskGroup: a.Group, ClientStatus: ClientPending, TaskStates: map[string]*api.TaskState{}}
		ar := &allocRun{r: r, al: a, st: st}
		for _, t := range a.Tasks {
			ts := &api.TaskState{State: statePending, Events: []*api.TaskEvent{}}
			st.TaskStates[t.Name] = ts
			st.order = append(st.order, t.Name)
			ar.tasks = append(ar.tasks, newTaskRun(r, ar, t, ts))
			r.pad = max(r.pad, len(a.Name)+1+len(t.Name))
		}
		rep.Allocations = append(rep.Allocations, st)
		allocs = append(allocs, ar)
	}
	stopped := false
	defer func() {
		if err == nil {
			r.infraMu.Lock()
			err = r.infraErr
			r.infraMu.Unlock()
		}
		r.cleanup()
		rep.EndTime = time.Now()
		rep.Status = statusOf(rep, err, stopped)
		if err != nil {
			rep.Errors = append(rep.Errors, r.parts.Mask(err.Error()))
		}
	}()
	for _, n := range r.Plan.Notes {
		r.parts.Logf("note: %s", n)
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if r.Opts.Timeout > 0 {
		var stop context.CancelFunc
		runCtx, stop = context.WithTimeoutCause(runCtx, r.Opts.Timeout, engine.ErrTimeout)
		defer stop()
	}
	if err := r.prepare(runCtx); err != nil {
		if runCtx.Err() != nil {
			stopped = true
			r.parts.Logf("stopped while preparing (%s): %s", engine.CauseText(runCtx), r.parts.Mask(err.Error()))
			return rep, nil
		}
		return rep, err
	}
	var wg sync.WaitGroup
	for _, ar := range allocs {
		wg.Go(func() { ar.run(runCtx) })
	}
	wg.Wait()
	if runCtx.Err() != nil {
		stopped = true
		r.parts.Logf("run stopped (%s)", engine.CauseText(runCtx))
	}
	return rep, nil
}

// prepare does what can fail for reasons outside the job before any task
// starts: the GPU check, image pulls, the allocation directories.
func (r *Runner) prepare(ctx context.Context) error {
	if r.Plan.NeedsGPU {
		for _, a := range r.Plan.Allocs {
			for _, t := range a.Tasks {
				if t.GPU == nil {
					continue
				}
				who := fmt.Sprintf("task %q (%s.Resources.Devices)", t.Name, t.Path)
				if err := r.parts.CheckGPU(ctx, t.Image, t.Pull, who, t.Auth, *t.GPU); err != nil {
					return err
				}
				if err := r.checkGPUMemory(ctx); err != nil {
					return err
				}
				goto pulls
			}
		}
	}
pulls:
	for _, a := range r.Plan.Allocs {
		if a.Network == "bridge" {
			if err := r.parts.Pull(ctx, r.Opts.InfraImage, plan.PullMissing, "the bridge network's infra container (--infra-image)", nil); err != nil {
				return err
			}
		}
		for _, t := range a.Tasks {
			if err := r.parts.Pull(ctx, t.Image, t.Pull, fmt.Sprintf("task %q (%s.Config.image)", t.Name, t.Path), t.Auth); err != nil {
				return err
			}
		}
	}
	for _, a := range r.Plan.Allocs {
		if err := makeAllocDirs(a, r.Plan.Payload); err != nil {
			return &engine.InfraError{Msg: err.Error()}
		}
	}
	return nil
}

// makeAllocDirs creates the allocation's directories as a Nomad client
// lays them out (alloc/{data,logs,tmp}, <task>/{local,secrets,tmp}), the
// sources of the task's bind mounts, and writes the dispatch payload.
func makeAllocDirs(a *nomadjob.Alloc, payload []byte) error {
	dirs := []string{a.Dir + "/alloc/data", a.Dir + "/alloc/logs", a.Dir + "/alloc/tmp"}
	for _, t := range a.Tasks {
		dirs = append(dirs, a.Dir+"/"+t.Name+"/local", a.Dir+"/"+t.Name+"/secrets", a.Dir+"/"+t.Name+"/tmp")
		for _, m := range t.Mounts {
			if m.Type == "bind" {
				dirs = append(dirs, m.Source)
			}
		}
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o777); err != nil {
			return fmt.Errorf("allocation %s: make %s: %w", a.Name, d, err)
		}
		// Tasks may run as any user; the client makes these world-writable too.
		_ = os.Chmod(d, 0o777)
	}
	for _, t := range a.Tasks {
		if t.Payload == "" {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(t.Payload), 0o777); err != nil {
			return fmt.Errorf("allocation %s: dispatch payload: %w", a.Name, err)
		}
		if err := os.WriteFile(t.Payload, payload, 0o666); err != nil {
			return fmt.Errorf("allocation %s: dispatch payload: %w", a.Name, err)
		}
	}
	return nil
}

// startInfra creates and starts the container holding a bridge
// allocation's network namespace and ports.
func (r *Runner) startInfra(ctx context.Context, a *nomadjob.Alloc) error {
	cfg, hc := InfraContainer(r.Plan, a, r.Opts.InfraImage)
	created, err := r.D.ContainerCreate(ctx, cfg, hc, nil, nil, a.Infra)
	if err != nil {
		return fmt.Errorf("allocation %s: create the network namespace's container from %s: %w", a.Name, r.Opts.InfraImage, err)
	}
	if err := r.D.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		return fmt.Errorf("allocation %s: start the network namespace's container (%s): %w", a.Name, r.Opts.InfraImage, err)
	}
	for _, p := range a.Ports {
		r.parts.Logf("%s: port %s → 127.0.0.1:%d (container port %d)", a.Name, p.Label, p.Host, p.To)
	}
	return nil
}

func (r *Runner) setInfra(err error) {
	r.infraMu.Lock()
	defer r.infraMu.Unlock()
	if r.infraErr == nil {
		r.infraErr = err
	}
}

func (r *Runner) taskLine(prefix, line string) {
	r.outMu.Lock()
	defer r.outMu.Unlock()
	fmt.Fprintf(r.Out, "%-*s | %s\n", r.pad, prefix, r.parts.Mask(line))
}

// cleanup removes every container of the run (by the run label, like a
// Nosana run), the allocation directories and the images pulled with
// credentials; --keep keeps the containers and directories.
func (r *Runner) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	root := ""
	if len(r.Plan.Allocs) > 0 {
		root = filepath.Dir(r.Plan.Allocs[0].Dir)
	}
	if r.Opts.Keep {
		r.parts.Logf("kept the containers of run %s (remove them with: docker rm -f $(docker ps -aq -f label=%s=%s)) and the allocation directories in %s",
			r.Plan.RunID, plan.LabelRun, r.Plan.RunID, root)
		return
	}
	n, err := engine.RemoveRun(ctx, r.D, r.Plan.RunID)
	if err != nil {
		r.parts.Logf("warning: cleanup of run %s: %v", r.Plan.RunID, err)
	} else if n > 0 {
		r.parts.Logf("removed %d containers of run %s", n, r.Plan.RunID)
	}
	if root != "" {
		if err := os.RemoveAll(root); err != nil {
			r.parts.Logf("warning: remove the allocation directories %s: %v", root, err)
		}
	}
	r.parts.RemoveAuthImages(ctx)
}
