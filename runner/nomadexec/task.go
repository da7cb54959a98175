package nomadexec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
	"github.com/hashicorp/nomad/api"

	"github.com/jobkit-dev/jobkit/runner/engine"
	"github.com/jobkit-dev/jobkit/runner/nomadjob"
)

// Task states, as Nomad names them.
const (
	statePending = "pending"
	stateRunning = "running"
	stateDead    = "dead"
)

// taskRun is the live state of one task of one allocation.
type taskRun struct {
	r     *Runner
	a     *allocRun
	t     *nomadjob.Task
	state *api.TaskState // guarded by r.mu

	id        string
	started   chan struct{}
	done      chan struct{}
	startOnce sync.Once
	killMu    sync.Mutex
	killWhy   string
	killed    chan struct{}
	running   bool // a container process is up (guarded by killMu)
	// restartWhy is set by check_restart: the next exit is restarted.
	restartWhy string    // guarded by killMu
	startedAt  time.Time // of the current run (guarded by killMu)
}

func (tr *taskRun) containerID() string {
	tr.killMu.Lock()
	defer tr.killMu.Unlock()
	if !tr.running {
		return ""
	}
	return tr.id
}

func (tr *taskRun) lastStart() time.Time {
	tr.killMu.Lock()
	defer tr.killMu.Unlock()
	return tr.startedAt
}

func newTaskRun(r *Runner, a *allocRun, t *nomadjob.Task, st *api.TaskState) *taskRun {
	return &taskRun{r: r, a: a, t: t, state: st, started: make(chan struct{}), done: make(chan struct{}), killed: make(chan struct{})}
}

func (tr *taskRun) who() string {
	return fmt.Sprintf("task %q of %s (%s)", tr.t.Name, tr.a.al.Name, tr.t.Path)
}

// event appends a task event and prints it as a runner message.
func (tr *taskRun) event(typ, msg string, set func(e *api.TaskEvent)) {
	ev := &api.TaskEvent{Type: typ, Time: time.Now().UnixNano(), DisplayMessage: msg, Details: map[string]string{}}
	if set != nil {
		set(ev)
	}
	tr.update(func(s *api.TaskState) { s.Events = append(s.Events, ev) })
	if msg != "" {
		tr.r.parts.Logf("%s/%s: %s: %s", tr.a.al.Name, tr.t.Name, typ, msg)
	} else {
		tr.r.parts.Logf("%s/%s: %s", tr.a.al.Name, tr.t.Name, typ)
	}
}

func (tr *taskRun) update(f func(s *api.TaskState)) {
	tr.r.mu.Lock()
	defer tr.r.mu.Unlock()
	f(tr.state)
}

func (tr *taskRun) failed() bool {
	tr.r.mu.Lock()
	defer tr.r.mu.Unlock()
	return tr.state.Failed
}

// kill stops the task for good: its container gets KillSignal, then
// SIGKILL after KillTimeout.
func (tr *taskRun) kill(why string) {
	tr.killMu.Lock()
	if tr.killWhy != "" {
		tr.killMu.Unlock()
		return
	}
	tr.killWhy = why
	close(tr.killed)
	running := tr.running
	tr.killMu.Unlock()
	if running {
		tr.stopContainer(true)
	}
}

func (tr *taskRun) killReason() string {
	tr.killMu.Lock()
	defer tr.killMu.Unlock()
	return tr.killWhy
}

func (tr *taskRun) stopContainer(killing bool) {
	if killing {
		tr.event(api.TaskKilling, fmt.Sprintf("Sent interrupt (%s). Waiting %s before force killing", tr.t.KillSignal, tr.t.KillTimeout), func(e *api.TaskEvent) {
			e.KillTimeout = tr.t.KillTimeout
			e.KillReason = tr.killReason()
		})
	}
	secs := int((tr.t.KillTimeout + time.Second - 1) / time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), tr.t.KillTimeout+30*time.Second)
	defer cancel()
	_ = tr.r.D.ContainerStop(ctx, tr.id, container.StopOptions{Signal: tr.t.KillSignal, Timeout: &secs})
}

// completesOnSuccess: a batch main task and every ephemeral lifecycle task
// are done when they exit 0; service main tasks and sidecars are restarted.
func (tr *taskRun) completesOnSuccess() bool {
	if tr.t.Hook != "" {
		return !tr.t.Sidecar
	}
	return tr.r.Plan.Type == "batch" || tr.r.Plan.Type == "sysbatch"
}

// run takes the task from Received to dead.
func (tr *taskRun) run(ctx context.Context) {
	defer close(tr.done)
	defer tr.startOnce.Do(func() { close(tr.started) })
	stopWatch := context.AfterFunc(ctx, func() { tr.kill(engine.CauseText(ctx)) })
	defer stopWatch()
	defer tr.update(func(s *api.TaskState) {
		s.State = stateDead
		if !s.StartedAt.IsZero() {
			s.FinishedAt = time.Now()
		}
	})
	tr.event(api.TaskReceived, "Task received by client", nil)
	if why := tr.killReason(); why != "" {
		return
	}
	tr.event(api.TaskSetup, "Building Task Directory", nil)
	cfg, hc := TaskContainer(tr.r.Plan, tr.a.al, tr.t)
	if len(tr.t.Artifacts) > 0 {
		if err := tr.r.fetchArtifacts(ctx, tr.t); err != nil {
			if ctx.Err() != nil {
				return
			}
			msg := tr.r.parts.Mask(fmt.Sprintf("task %q of %s: %v", tr.t.Name, tr.a.al.Name, err))
			tr.event(api.TaskArtifactDownloadFailed, msg, func(e *api.TaskEvent) { e.DownloadError = msg; e.FailsTask = true })
			tr.update(func(s *api.TaskState) { s.Failed = true })
			return
		}
	}
	if len(tr.t.Templates) > 0 {
		extra, err := renderTemplates(tr.t, tr.a.al.Dir)
		if err != nil {
			msg := tr.r.parts.Mask(fmt.Sprintf("task %q of %s: %v", tr.t.Name, tr.a.al.Name, err))
			tr.event(api.TaskSetupFailure, msg, func(e *api.TaskEvent) { e.SetupError = msg; e.FailsTask = true })
			tr.update(func(s *api.TaskState) { s.Failed = true })
			return
		}
		cfg.Env = mergeEnv(cfg.Env, extra)
	}
	created, err := tr.r.D.ContainerCreate(context.Background(), cfg, hc, nil, nil, tr.t.Container)
	if err != nil {
		tr.driverFailure(fmt.Errorf("create container %s from %s: %w", tr.t.Container, tr.t.Image, err))
		return
	}
	tr.id = created.ID
	var windowStart time.Time
	count := 0
	for attempt := 0; ; attempt++ {
		if tr.killReason() != "" {
			return
		}
		exit, started, err := tr.once()
		if !started {
			if tr.killReason() != "" {
				return
			}
			tr.driverFailure(tr.r.parts.StartError(tr.t.Container, tr.t.Image, tr.who(), err))
			return
		}
		if why := tr.killReason(); why != "" {
			tr.event(api.TaskKilled, "Task successfully killed", func(e *api.TaskEvent) { e.ExitCode = exit; e.KillReason = why })
			return
		}
		tr.event(api.TaskTerminated, fmt.Sprintf("Exit Code: %d", exit), func(e *api.TaskEvent) { e.ExitCode = exit })
		tr.killMu.Lock()
		checkRestart := tr.restartWhy
		tr.restartWhy = ""
		tr.killMu.Unlock()
		if exit == 0 && tr.completesOnSuccess() && checkRestart == "" {
			return
		}
		reason := "Restart within policy"
		if checkRestart != "" {
			reason = checkRestart
		}
		if exit != 0 {
			reason = "Restart within policy (exit code " + fmt.Sprint(exit) + ")"
		}
		now := time.Now()
		if windowStart.IsZero() || now.Sub(windowStart) > tr.t.Restart.Interval {
			windowStart, count = now, 0
		}
		delay := tr.t.Restart.Delay
		if count >= tr.t.Restart.Attempts {
			if tr.t.Restart.Mode != "delay" {
				msg := fmt.Sprintf("Exceeded allowed attempts %d in interval %s and mode is %q", tr.t.Restart.Attempts, tr.t.Restart.Interval, tr.t.Restart.Mode)
				if exit != 0 && tr.t.Restart.Attempts == 0 {
					msg = "Error was unrecoverable"
				}
				tr.event(api.TaskNotRestarting, msg, func(e *api.TaskEvent) { e.FailsTask = true })
				tr.update(func(s *api.TaskState) { s.Failed = true })
				return
			}
			delay = tr.t.Restart.Interval - now.Sub(windowStart)
			windowStart, count = now.Add(delay), 0
			reason = "Exceeded allowed attempts, applying a delay"
		}
		count++
		tr.event(api.TaskRestarting, fmt.Sprintf("Task restarting in %s", delay), func(e *api.TaskEvent) {
			e.RestartReason = reason
			e.StartDelay = int64(delay)
		})
		select {
		case <-time.After(delay):
		case <-tr.killed:
			return
		}
		tr.update(func(s *api.TaskState) { s.Restarts++; s.LastRestart = time.Now() })
	}
}

func (tr *taskRun) driverFailure(err error) {
	var infra *engine.InfraError
	if errors.As(err, &infra) {
		tr.r.setInfra(err)
	}
	msg := tr.r.parts.Mask(err.Error())
	tr.event(api.TaskDriverFailure, msg, func(e *api.TaskEvent) { e.DriverError = msg; e.FailsTask = true })
	tr.update(func(s *api.TaskState) { s.Failed = true })
}

// once attaches to the container, starts it and waits for it to exit.
func (tr *taskRun) once() (exit int, started bool, err error) {
	att, err := tr.r.D.ContainerAttach(context.Background(), tr.id, container.AttachOptions{Stream: true, Stdout: true, Stderr: true})
	if err != nil {
		return 0, false, fmt.Errorf("attach: %w", err)
	}
	defer att.Close()
	waitCh, waitErr := tr.r.D.ContainerWait(context.Background(), tr.id, container.WaitConditionNextExit)
	prefix := tr.a.al.Name + "/" + tr.t.Name
	stdout := &lineWriter{r: tr.r, prefix: prefix}
	stderr := &lineWriter{r: tr.r, prefix: prefix}
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		_, _ = stdcopy.StdCopy(stdout, stderr, att.Reader)
		stdout.flush()
		stderr.flush()
	}()
	tr.killMu.Lock()
	if tr.killWhy != "" {
		tr.killMu.Unlock()
		att.Close()
		<-copied
		return 0, false, errors.New("killed before it started")
	}
	err = tr.r.D.ContainerStart(context.Background(), tr.id, container.StartOptions{})
	if err == nil {
		tr.running = true
		tr.startedAt = time.Now()
	}
	tr.killMu.Unlock()
	if err != nil {
		att.Close()
		<-copied
		return 0, false, err
	}
	tr.update(func(s *api.TaskState) {
		s.State = stateRunning
		if s.StartedAt.IsZero() {
			s.StartedAt = time.Now()
		}
	})
	tr.event(api.TaskStarted, "Task started by client", nil)
	tr.startOnce.Do(func() { close(tr.started) })
	select {
	case w := <-waitCh:
		exit = int(w.StatusCode)
	case werr := <-waitErr:
		err = fmt.Errorf("wait: %w", werr)
		exit = -1
	}
	tr.killMu.Lock()
	tr.running = false
	tr.killMu.Unlock()
	select { // the output ends with the container; give the stream a moment
	case <-copied:
	case <-time.After(5 * time.Second):
		att.Close()
		<-copied
	}
	return exit, true, err
}

// lineWriter prints a stream line by line with the allocation/task prefix.
type lineWriter struct {
	r      *Runner
	prefix string
	buf    []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.r.taskLine(w.prefix, string(bytes.TrimRight(w.buf[:i], "\r")))
		w.buf = w.buf[i+1:]
	}
	if len(w.buf) > 64<<10 {
		w.flush()
	}
	return len(p), nil
}

func (w *lineWriter) flush() {
	if len(w.buf) > 0 {
		w.r.taskLine(w.prefix, string(w.buf))
		w.buf = w.buf[:0]
	}
}

// mergeEnv sets the KEY=VALUE pairs of extra over env (template Envvars
// over the task's Env), keeping the order stable.
func mergeEnv(env, extra []string) []string {
	at := map[string]int{}
	out := append([]string(nil), env...)
	for i, kv := range out {
		k, _, _ := strings.Cut(kv, "=")
		at[k] = i
	}
	for _, kv := range extra {
		k, _, _ := strings.Cut(kv, "=")
		if i, ok := at[k]; ok {
			out[i] = kv
			continue
		}
		at[k] = len(out)
		out = append(out, kv)
	}
	return out
}
