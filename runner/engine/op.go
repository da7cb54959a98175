package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/jobkit-dev/jobkit/core/nosana"
	interp "github.com/jobkit-dev/jobkit/core/nosana/resolve"
	"github.com/jobkit-dev/jobkit/runner/plan"
	"github.com/jobkit-dev/jobkit/runner/results"
)

// runOp runs one op from waiting for its dependencies to its results.
func (e *Engine) runOp(ctx context.Context, r *opRun) {
	if err := e.waitDependencies(ctx, r); err != nil {
		return
	}
	step, op, err := e.resolve(ctx, r)
	if err != nil {
		e.failBeforeStart(r, err)
		return
	}
	if step.Type == nosana.TypeCreateVolume {
		e.createVolume(ctx, r, step)
		return
	}
	e.runContainer(ctx, r, step, op)
}

// waitDependencies blocks until every dependency is ready. It fails the op
// when a dependency ends first, and stops it when the run is stopped.
func (e *Engine) waitDependencies(ctx context.Context, r *opRun) error {
	for _, id := range r.step.DependsOn {
		dep := e.ops[id]
		if dep == nil {
			err := fmt.Errorf("depends_on names op %q, which is not in this job", id)
			e.failBeforeStart(r, err)
			return err
		}
		if dep.group > r.group {
			// Ops without execution.group pass the node's depends_on check
			// but each runs in a group of its own: this group ends before
			// the dependency's starts, so the node never starts this op.
			msg := fmt.Sprintf("depends_on names %q, which runs in a later group (ops without execution.group each get a group of their own, run in order), so %q never started, as on a Nosana node; put both ops in the same execution.group, or move %q before %q", id, r.step.OpID, id, r.step.OpID)
			r.addLog(results.Line{Type: nosana.LogNodeErr, Log: msg, Time: time.Now()})
			r.set(func(s *OpState) { s.Status, s.Reason = StatusPending, "never started: "+msg })
			e.con.logf("op %s never started: %s", r.step.OpID, msg)
			return errors.New(msg)
		}
		neverReady := exposedWithoutChecks(dep.step)
		if neverReady {
			e.con.logf("op %s waits for %s, which exposes ports without health_checks: a Nosana node never reports such an op ready, so %s never starts there either; add a health check to %s's expose entry, or drop %s from depends_on", r.step.OpID, id, r.step.OpID, id, id)
		}
		select {
		case <-dep.ready:
		case <-dep.done:
			select {
			case <-dep.ready:
				continue
			default:
			}
			why := fmt.Sprintf("dependency %q ended (%s) before it was ready", id, dep.state.Status)
			if neverReady {
				why = fmt.Sprintf("dependency %q exposes ports without health_checks, so it is never ready (as on a Nosana node)", id)
			}
			err := fmt.Errorf("%s, so %q never started", why, r.step.OpID)
			if neverReady {
				msg := e.con.mask.Mask(err.Error())
				r.addLog(results.Line{Type: nosana.LogNodeErr, Log: msg, Time: time.Now()})
				r.set(func(s *OpState) { s.Status, s.Reason = StatusPending, "never started: "+msg })
				e.con.logf("op %s never started: %s", r.step.OpID, msg)
				return err
			}
			e.failBeforeStart(r, err)
			return err
		case <-ctx.Done():
			r.set(func(s *OpState) { s.Status = StatusStopped; s.Reason = "stopped before it started: " + CauseText(ctx) })
			return ctx.Err()
		}
	}
	return nil
}

// resolve interpolates the op's literals and builds its step again from the
// resolved args; an op without literals keeps its planned step.
func (e *Engine) resolve(ctx context.Context, r *opRun) (*plan.Step, *nosana.Op, error) {
	if !r.step.Literals {
		return r.step, r.op, nil
	}
	raw, err := interp.Args(spreadResultObjects(r.op.RawArgs, e.store), e.store)
	if err != nil {
		return nil, nil, err
	}
	op := r.op.Clone()
	if err := op.SetArgs(raw); err != nil {
		return nil, nil, fmt.Errorf("after resolving literals: %w", err)
	}
	step, err := plan.BuildStep(op, e.Opts.Plan)
	if err != nil {
		return nil, nil, err
	}
	if step.Type == nosana.TypeRun {
		if err := e.pull(ctx, step); err != nil {
			return nil, nil, err
		}
		if err := e.fetchResources(ctx, step); err != nil {
			return nil, nil, err
		}
	}
	return step, op, nil
}

func (e *Engine) failBeforeStart(r *opRun, err error) {
	var infra *InfraError
	if errors.As(err, &infra) {
		e.infraMu.Lock()
		if e.infraErr == nil {
			e.infraErr = err
		}
		e.infraMu.Unlock()
	}
	msg := e.con.mask.Mask(err.Error())
	if interp.IsUnresolved(err) {
		msg = "Unresolved literal: " + strings.TrimPrefix(msg, "unresolved literal ") + e.sameGroupResultsHint(r, err)
	}
	now := time.Now()
	r.addLog(results.Line{Type: nosana.LogNodeErr, Log: msg, Time: now})
	r.set(func(s *OpState) {
		s.Status = StatusFailed
		s.Error = msg
		s.StartTime, s.EndTime = msPtr(now), msPtr(now)
	})
	e.con.logf("op %s failed before it started: %s", r.step.OpID, msg)
}

// sameGroupResultsHint explains an unresolved results literal of an op of
// the same group: results exist once an op has ended, and depends_on waits
// only until it has started, on a node as here, so only an earlier group
// helps.
func (e *Engine) sameGroupResultsHint(r *opRun, err error) string {
	var u *interp.UnresolvedError
	if !errors.As(err, &u) {
		return ""
	}
	var ids []string
	for _, p := range u.Problems {
		for _, l := range interp.Find(p) {
			dep := e.ops[l.Op]
			if l.Scope == "ops" && len(l.Path) > 0 && l.Path[0] == "results" && dep != nil && dep != r &&
				dep.step.Group == r.step.Group && !slices.Contains(ids, l.Op) {
				ids = append(ids, l.Op)
			}
		}
	}
	if len(ids) == 0 {
		return ""
	}
	return fmt.Sprintf(" (op %s runs in the same group: its results exist only once it has ended, and depends_on waits only until it has started, on a Nosana node too; move it to an earlier execution group)", strings.Join(ids, ", "))
}

func (e *Engine) createVolume(ctx context.Context, r *opRun, step *plan.Step) {
	start := time.Now()
	labels := e.withOwner(map[string]string{plan.LabelOp: step.OpID})
	_, err := e.D.VolumeCreate(ctx, volume.CreateOptions{Name: step.Volume, Labels: labels})
	end := time.Now()
	r.set(func(s *OpState) {
		s.StartTime, s.EndTime = msPtr(start), msPtr(end)
		if err != nil {
			s.Status, s.Error = StatusFailed, fmt.Sprintf("create volume %s: %v", step.Volume, err)
			return
		}
		zero := 0
		s.Status, s.ExitCode = StatusSuccess, &zero
	})
	if err != nil {
		e.con.logf("op %s: create volume %s: %v", step.OpID, step.Volume, err)
		return
	}
	e.con.logf("op %s: created volume %s", step.OpID, step.Volume)
	r.markReady()
}

// runContainer creates, starts and watches the op's container, restarting
// it as its restart_policy says, until it ends or is stopped.
func (e *Engine) runContainer(ctx context.Context, r *opRun, step *plan.Step, op *nosana.Op) {
	r.log.setExtractor(results.NewExtractor(op))
	ports, err := pickPorts(step.Ports, true)
	if err != nil {
		e.failBeforeStart(r, err)
		return
	}
	id, err := e.create(ctx, step, ports)
	if err != nil {
		e.failBeforeStart(r, err)
		return
	}
	stopper := &stopper{e: e, id: id}
	watchCtx, endWatch := context.WithCancel(context.Background())
	defer endWatch()
	go e.watchStop(ctx, watchCtx, r, stopper)

	start := time.Now()
	r.set(func(s *OpState) { s.Status = StatusRunning; s.StartTime = msPtr(start) })
	var exit int
	portRetries := 0
	for attempt := 0; ; attempt++ {
		var started bool
		first := attempt == 0
		exit, started, err = e.runOnce(ctx, r, id, stopper, func() {
			if first {
				e.con.logf("op %s: started %s (%s)", step.OpID, step.Container, step.Image)
				e.announcePorts(step, ports)
				go e.healthChecks(watchCtx, r, step, ports)
			}
		})
		if err != nil && !started && attempt == 0 && portTaken(err) && portRetries < 5 && !stopper.requested() {
			portRetries++
			e.con.logf("op %s: a host port was taken before the container started (another run?); retrying on other ports", step.OpID)
			newID, newPorts, rerr := e.recreate(ctx, step, id)
			if rerr != nil {
				e.failBeforeStart(r, rerr)
				return
			}
			id, ports = newID, newPorts
			stopper.setID(id)
			attempt = -1
			continue
		}
		if err != nil && !started {
			if errors.Is(err, errStopped) {
				if attempt == 0 {
					now := time.Now()
					r.set(func(s *OpState) {
						s.Status, s.Reason, s.EndTime = StatusStopped, stopper.reason(), msPtr(now)
						r.byDependency = stopper.byDependency
					})
					return
				}
				break
			}
			if attempt == 0 {
				e.failBeforeStart(r, e.startError(step, err))
				return
			}
			break
		}
		if stopper.requested() || !shouldRestart(step.Restart, exit, attempt) {
			break
		}
		delay := min(100*time.Millisecond<<min(attempt, 6), 5*time.Second)
		e.con.logf("op %s: exited with code %d; restarting (%s) in %s", step.OpID, exit, step.Restart.Policy, delay)
		r.set(func(s *OpState) { s.Restarts++ })
		select {
		case <-time.After(delay):
		case <-watchCtx.Done():
		}
		if stopper.requested() {
			break
		}
	}
	end := time.Now()
	res, dropped := r.log.results()
	for _, k := range slices.Sorted(maps.Keys(dropped)) {
		e.con.logf("op %s: result %s keeps its first %d bytes; %d more matching lines were left out", step.OpID, k, results.MaxBytes, dropped[k])
	}
	r.set(func(s *OpState) {
		s.EndTime = msPtr(end)
		code := exit
		s.ExitCode = &code
		if len(res) > 0 {
			// The report is output: masked. Later ops get the real values.
			s.Results = map[string]any{}
			for k, v := range res {
				if v.Error != "" {
					s.Results[k] = v.Error
				} else {
					masked := make([]string, len(v.Matches))
					for i, m := range v.Matches {
						masked[i] = e.con.mask.Mask(m)
					}
					s.Results[k] = masked
				}
			}
		}
		switch {
		case stopper.requested():
			s.Status, s.Reason = StatusStopped, stopper.reason()
			r.byDependency = stopper.byDependency
		case exit == 0:
			s.Status = StatusSuccess
		default:
			s.Status = StatusFailed
		}
	})
	if len(res) > 0 {
		e.store.UpdateOp(step.OpID, func(v *interp.OpValues) { v.Results = results.Lists(res) })
	}
	e.con.logf("op %s: %s (exit code %d) after %s", step.OpID, r.state.Status, exit, end.Sub(start).Round(10*time.Millisecond))
}

// runOnce attaches to the container, starts it and waits for it to exit.
func (e *Engine) runOnce(ctx context.Context, r *opRun, id string, stop *stopper, onStart func()) (exit int, started bool, err error) {
	if stop.requested() {
		return 0, false, errStopped
	}
	// Attach and register the wait before start, so no output and no exit is missed.
	att, err := e.D.ContainerAttach(context.Background(), id, container.AttachOptions{Stream: true, Stdout: true, Stderr: true})
	if err != nil {
		return 0, false, fmt.Errorf("attach: %w", err)
	}
	defer att.Close()
	waitCh, waitErr := e.D.ContainerWait(context.Background(), id, container.WaitConditionNextExit)
	stdout := &lineWriter{c: e.con, st: r, typ: nosana.LogStdout, mask: e.con.mask}
	stderr := &lineWriter{c: e.con, st: r, typ: nosana.LogStderr, mask: e.con.mask}
	var copying sync.WaitGroup
	copying.Add(1)
	go func() {
		defer copying.Done()
		_, _ = stdcopy.StdCopy(stdout, stderr, att.Reader)
		stdout.Flush()
		stderr.Flush()
	}()
	if err := e.D.ContainerStart(context.Background(), id, container.StartOptions{}); err != nil {
		att.Close()
		copying.Wait()
		return 0, false, err
	}
	if stop.requested() {
		// Stopped while starting: the first stop found nothing running.
		go stop.again()
	}
	onStart()
	if ctx.Err() == nil {
		r.markReadyIfSimple()
	}
	select {
	case w := <-waitCh:
		exit = int(w.StatusCode)
		if w.Error != nil && w.Error.Message != "" {
			err = errors.New(w.Error.Message)
		}
	case werr := <-waitErr:
		err = fmt.Errorf("wait: %w", werr)
		exit = -1
	}
	// The output ends when the container does; give the stream a moment.
	doneCopy := make(chan struct{})
	go func() { copying.Wait(); close(doneCopy) }()
	select {
	case <-doneCopy:
	case <-time.After(5 * time.Second):
		att.Close()
		<-doneCopy
	}
	return exit, true, err
}

// markReadyIfSimple: an op that exposes no port is ready once it started,
// as on the node. An exposed op is ready after its first successful health
// check; without health checks it is never ready (the node never emits its
// startup success, so its dependents never start).
func (r *opRun) markReadyIfSimple() {
	if len(r.step.Ports) == 0 {
		r.markReady()
	}
}

// exposedWithoutChecks reports whether an op exposes ports but has no
// health checks, and so is never ready.
func exposedWithoutChecks(s *plan.Step) bool {
	if s == nil || s.Type != nosana.TypeRun || len(s.Ports) == 0 {
		return false
	}
	for _, p := range s.Ports {
		if len(p.HealthChecks) > 0 {
			return false
		}
	}
	return true
}

func shouldRestart(p nosana.RestartPolicy, exit, attempt int) bool {
	switch p.Policy {
	case "always", "unless-stopped":
		return true
	case "on-failure":
		return exit != 0 && (p.RestartTries <= 0 || attempt < p.RestartTries)
	}
	return false
}

// startError explains a failed start in words.
func (e *Engine) startError(step *plan.Step, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "could not select device driver"):
		return &InfraError{Msg: gpuHelp(step.OpID, msg)}
	case strings.Contains(msg, "executable file not found") || strings.Contains(msg, "no such file or directory"):
		return fmt.Errorf("start %s: the command does not exist in image %s: %s", step.Container, step.Image, lastPart(msg))
	}
	return fmt.Errorf("start %s: %w", step.Container, err)
}

func lastPart(msg string) string {
	if i := strings.Index(msg, "exec: "); i >= 0 {
		msg = msg[i:]
	}
	return strings.TrimSuffix(msg, ": unknown")
}
