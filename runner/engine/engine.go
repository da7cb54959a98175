// Package engine executes a plan against a Docker daemon: it checks GPUs,
// pulls images, downloads resources, runs the groups in order (the ops of a
// group concurrently, each after its dependencies are ready), streams logs,
// runs health checks, extracts results, and removes everything it made.
package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/jobkit-dev/jobkit/core/nosana"
	interp "github.com/jobkit-dev/jobkit/core/nosana/resolve"
	"github.com/jobkit-dev/jobkit/runner/plan"
	"github.com/jobkit-dev/jobkit/runner/results"
)

// Options are the run-time flags.
type Options struct {
	Plan       plan.Options
	Timeout    time.Duration // 0: none
	Grace      time.Duration // SIGTERM → SIGKILL (default 10 s)
	Keep       bool          // keep containers, network and volumes
	CacheDir   string        // resource cache on the host
	Terminal   bool          // stderr is a terminal (progress bars)
	HealthTick time.Duration // startup health-check interval (default 1 s)
	Continuous time.Duration // continuous health-check interval (default 30 s)
	S3Endpoint string        // S3 endpoint override (tests, mirrors)
	HFEndpoint string        // Hugging Face endpoint override
	// GPUProbeImage is used for the GPU probe when set (default: the first
	// GPU op's image).
	GPUProbeImage string
	// RunDir is the run's folder: a log file per op and private resource
	// copies go there ("" keeps no log files).
	RunDir string
	// ReportLines is how many lines of each op's log the report keeps at
	// the start and at the end (default DefaultReportLines).
	ReportLines int
	// Owner labels everything the run makes with the runner process, so
	// that what a dead run left can be reaped (zero: run id only).
	Owner Owner
}

// Engine runs one job.
type Engine struct {
	D    Daemon
	Job  *nosana.Job
	Plan *plan.Plan
	Opts Options
	Out  io.Writer // op logs
	Err  io.Writer // runner messages

	con      *console
	store    *interp.Store
	ops      map[string]*opRun
	order    []*opRun
	pulled   sync.Map // image → *pullOnce
	authPull sync.Map // images pulled with credentials (removed at the end)
	mounts   sync.Map // *nosana.Resource → host dir
	released []func()
	relMu    sync.Mutex
	stopWhy  string
	infraMu  sync.Mutex
	infraErr error // an infrastructure failure while an op was starting
	ownNet   bool  // the run has its own network (needsNetwork)
}

// opRun is the live state of one op.
type opRun struct {
	step  *plan.Step
	op    *nosana.Op
	state *OpState
	group int // index of the op's group in the plan: groups run in this order

	mu        sync.Mutex
	log       *opLog
	ready     chan struct{}
	done      chan struct{}
	readyOnce sync.Once
	doneOnce  sync.Once
	// byDependency: stopped because a dependency stopped
	// (stop_if_dependent_stops), which is not a failure.
	byDependency bool
}

func (r *opRun) markReady() { r.readyOnce.Do(func() { close(r.ready) }) }
func (r *opRun) markDone()  { r.doneOnce.Do(func() { close(r.done) }) }

// addLog records a runner message (already masked) in the op's log.
func (r *opRun) addLog(l results.Line) {
	r.log.add(l.Type, []byte(l.Log), []byte(l.Log), l.Time)
}

func (r *opRun) set(f func(s *OpState)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(r.state)
}

// Run executes the job. The report is always returned, also on error; err is
// an *InfraError when the machinery failed.
func (e *Engine) Run(ctx context.Context) (rep *Report, err error) {
	setupErr := e.setup()
	rep = &Report{ID: e.Plan.RunID, StartTime: ms(time.Now())}
	for _, r := range e.order {
		rep.OpStates = append(rep.OpStates, r.state)
	}
	defer func() {
		if err == nil {
			e.infraMu.Lock()
			err = e.infraErr
			e.infraMu.Unlock()
		}
		e.cleanup()
		for _, r := range e.order {
			if ferr := r.log.finish(r.state); ferr != nil {
				e.con.logf("warning: %v", ferr)
			}
		}
		rep.EndTime = ms(time.Now())
		rep.Outcome = e.status(ctx, err)
		rep.Status = nodeStatus(rep.Outcome)
		if err != nil {
			rep.Errors = append(rep.Errors, e.con.mask.Mask(err.Error()))
		}
	}()
	if setupErr != nil {
		return rep, setupErr
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if e.Opts.Timeout > 0 {
		var stop context.CancelFunc
		runCtx, stop = context.WithTimeoutCause(runCtx, e.Opts.Timeout, ErrTimeout)
		defer stop()
	}
	for _, w := range e.Plan.Warnings {
		e.con.logf("warning: %s", w)
	}
	if err := e.prepare(runCtx); err != nil {
		if runCtx.Err() != nil { // stopped while preparing: not the machinery's fault
			if ctx.Err() == nil {
				e.stopWhy = CauseText(runCtx)
			}
			e.con.logf("stopped while preparing (%s): %s", CauseText(runCtx), e.con.mask.Mask(err.Error()))
			return rep, nil
		}
		return rep, err
	}
	for gi, g := range e.Plan.Groups {
		if runCtx.Err() != nil {
			break
		}
		e.con.logf("group %d/%d %q: %s", gi+1, len(e.Plan.Groups), g.Name, stepIDs(g.Steps))
		var wg sync.WaitGroup
		for _, s := range g.Steps {
			r := e.ops[s.OpID]
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer r.markDone()
				e.runOp(runCtx, r)
			}()
		}
		wg.Wait()
	}
	if cause := context.Cause(runCtx); cause != nil && ctx.Err() == nil {
		e.stopWhy = cause.Error()
	}
	return rep, nil
}

// ErrTimeout is the cause of a run context that --timeout ended.
var ErrTimeout = errors.New("timeout")

func (e *Engine) setup() error {
	pad := 0
	for _, g := range e.Plan.Groups {
		for _, s := range g.Steps {
			pad = max(pad, len(s.OpID))
		}
	}
	e.con = &console{out: e.Out, err: e.Err, mask: plan.NewMasker(e.Plan.Secrets), pad: pad, logsAt: e.Opts.RunDir}
	if e.Opts.Grace <= 0 {
		e.Opts.Grace = 10 * time.Second
	}
	if e.Opts.HealthTick <= 0 {
		e.Opts.HealthTick = time.Second
	}
	if e.Opts.Continuous <= 0 {
		e.Opts.Continuous = 30 * time.Second
	}
	if e.Opts.ReportLines <= 0 {
		e.Opts.ReportLines = DefaultReportLines
	}
	var firstErr error
	e.ownNet = e.needsNetwork()
	e.ops = map[string]*opRun{}
	globals := map[string]string{"job": e.Plan.RunID, "host": "localhost", "project": "jobkit", "frps_address": "127.0.0.1"}
	e.store = interp.NewStore(globals, e.Job.Variables())
	for gi, g := range e.Plan.Groups {
		for _, s := range g.Steps {
			r := &opRun{
				step: s, op: e.Job.Op(s.OpID), group: gi,
				state: &OpState{OperationID: s.OpID, Group: g.Name, Status: StatusPending, Logs: []Log{}},
				ready: make(chan struct{}), done: make(chan struct{}),
			}
			log, err := newOpLog(e.Opts.RunDir, s.OpID, s.Index, e.Opts.ReportLines)
			if err != nil {
				firstErr = cmp.Or(firstErr, err)
				log, _ = newOpLog("", s.OpID, s.Index, e.Opts.ReportLines)
			}
			r.log = log
			e.ops[s.OpID] = r
			e.order = append(e.order, r)
			// Like the node, hosts and endpoints are known before anything runs.
			v := interp.OpValues{Host: plan.ContainerName(e.Plan.RunID, s.Index), Endpoints: map[string]string{}}
			for _, p := range s.Ports {
				v.Endpoints[fmt.Sprint(p.Port)] = fmt.Sprintf("http://%s:%d", s.Container, p.Port)
			}
			if e.Job.DeploymentID != "" && len(s.Ports) > 0 {
				v.DeploymentEndpoint = fmt.Sprintf("http://%s:%d", s.Container, s.Ports[0].Port)
			}
			e.store.SetOp(s.OpID, v)
		}
	}
	// The report lists ops in document order.
	sort.SliceStable(e.order, func(i, j int) bool { return e.order[i].step.Index < e.order[j].step.Index })
	if firstErr != nil {
		return &InfraError{Msg: firstErr.Error()}
	}
	return nil
}

// prepare does everything that can fail for reasons outside the job before
// any op starts: the network (made meanwhile), GPU check, image pulls,
// resource downloads.
func (e *Engine) prepare(ctx context.Context) error {
	netErr := make(chan error, 1)
	go func() { netErr <- e.prepareNetwork(ctx) }()
	err := e.prepareOps(ctx)
	if nerr := <-netErr; err == nil {
		err = nerr
	}
	return err
}

// prepareOps checks the GPUs, pulls the images and downloads the resources
// of the ops without literals.
func (e *Engine) prepareOps(ctx context.Context) error {
	if e.Plan.NeedsGPU {
		if err := e.checkGPU(ctx); err != nil {
			return err
		}
	}
	for _, g := range e.Plan.Groups {
		for _, s := range g.Steps {
			if s.Type != nosana.TypeRun || s.Literals {
				continue // an op with literals is prepared when it starts
			}
			if err := e.pull(ctx, s); err != nil {
				return err
			}
		}
	}
	for _, g := range e.Plan.Groups {
		for _, s := range g.Steps {
			if s.Type != nosana.TypeRun || s.Literals {
				continue
			}
			if err := e.fetchResources(ctx, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// status is the run's overall status.
func (e *Engine) status(ctx context.Context, err error) string {
	if err != nil {
		return StatusError
	}
	if e.stopWhy != "" || ctx.Err() != nil {
		return StatusStopped
	}
	for _, r := range e.order {
		if r.state.Status != StatusSuccess && !(r.state.Status == StatusStopped && r.byDependency) {
			return StatusFailed
		}
	}
	return StatusSuccess
}

func stepIDs(steps []*plan.Step) string {
	s := ""
	for i, st := range steps {
		if i > 0 {
			s += ", "
		}
		s += st.OpID
	}
	return s
}
