package nomadexec

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/jobkit-dev/jobkit/runner/nomadjob"
)

// allocRun runs one allocation's tasks in Nomad's lifecycle order.
type allocRun struct {
	r     *Runner
	al    *nomadjob.Alloc
	st    *AllocState
	tasks []*taskRun
	// checks counts the running check loops (runChecks).
	checks sync.WaitGroup
}

// poststopLimit bounds poststop tasks of a stopped run: they still run (as
// Nomad runs them when a job is stopped) but cannot hold the runner forever.
const poststopLimit = time.Minute

// run: prestart tasks (sidecars stay up; the others must succeed), then
// the main tasks, poststart tasks once the main tasks have started; when
// the main tasks are done the sidecars are stopped, then poststop tasks run.
// A failed task stops its siblings, as on a Nomad client.
func (ar *allocRun) run(ctx context.Context) {
	ar.setStatus(ClientRunning)
	defer func() {
		status := ClientComplete
		for _, t := range ar.tasks {
			if t.failed() {
				status = ClientFailed
			}
		}
		ar.setStatus(status)
	}()
	if ar.al.Network == "bridge" {
		if err := ar.r.startInfra(ctx, ar.al); err != nil {
			msg := ar.r.parts.Mask(err.Error())
			for _, t := range ar.tasks {
				t.event(api.TaskSetupFailure, msg, func(e *api.TaskEvent) { e.SetupError = msg; e.FailsTask = true })
				t.update(func(s *api.TaskState) { s.Failed = true; s.State = stateDead })
			}
			return
		}
	}
	by := map[string][]*taskRun{}
	for _, t := range ar.tasks {
		by[t.t.Hook] = append(by[t.t.Hook], t)
	}
	var live sync.WaitGroup // tasks to stop when the main ones are done
	start := func(t *taskRun) {
		live.Add(1)
		go func() { defer live.Done(); t.run(ctx) }()
	}
	var ephemeral []*taskRun
	for _, t := range by[nomadjob.HookPrestart] {
		start(t)
		if !t.t.Sidecar {
			ephemeral = append(ephemeral, t)
		}
	}
	ok := true
	for _, t := range ephemeral {
		<-t.done
		if t.failed() {
			ok = false
		}
	}
	if !ok {
		ar.killAll("prestart task failed", nil)
	}
	if ok && ctx.Err() == nil {
		ar.runMain(ctx, by, start)
	}
	ar.killAll("main tasks are dead", nil)
	live.Wait()
	if post := by[nomadjob.HookPoststop]; len(post) > 0 {
		pctx := ctx
		if ctx.Err() != nil {
			var cancel context.CancelFunc
			pctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), poststopLimit)
			defer cancel()
		}
		var wg sync.WaitGroup
		for _, t := range post {
			wg.Go(func() { t.run(pctx) })
		}
		wg.Wait()
	}
}

// runMain starts the main tasks, the poststart tasks once every main task
// has started, and waits for the main tasks to end. A failed task, or a
// leader that ends, stops the others.
func (ar *allocRun) runMain(ctx context.Context, by map[string][]*taskRun, start func(*taskRun)) {
	mains := by[""]
	// Checks run while the main tasks do.
	checksCtx, stopChecks := context.WithCancel(ctx)
	defer stopChecks()
	var wg sync.WaitGroup
	for _, t := range mains {
		wg.Add(1)
		go func() { defer wg.Done(); t.run(ctx) }()
	}
	decided := make(chan struct{})
	go func() {
		defer close(decided)
		for _, t := range mains {
			<-t.started
		}
		if ctx.Err() != nil {
			return
		}
		for _, t := range by[nomadjob.HookPoststart] {
			start(t)
		}
		ar.runChecks(checksCtx)
	}()
	for _, t := range mains {
		go func() {
			<-t.done
			switch {
			case t.failed():
				stopChecks()
				ar.killAll(api.TaskSiblingFailed, t)
			case t.t.Leader:
				stopChecks()
				ar.killAll(api.TaskLeaderDead, t)
			}
		}()
	}
	wg.Wait()
	stopChecks()
	// Poststart tasks are started by the goroutine above: wait for it so
	// that none starts after the caller stops the allocation.
	<-decided
	ar.checks.Wait()
}

// killAll stops every task of the allocation except from and the poststop ones.
func (ar *allocRun) killAll(why string, from *taskRun) {
	for _, t := range ar.tasks {
		if t == from || t.t.Hook == nomadjob.HookPoststop {
			continue
		}
		select {
		case <-t.done:
			continue
		default:
		}
		if from != nil && t.killReason() == "" {
			if why == api.TaskLeaderDead {
				t.event(api.TaskLeaderDead, fmt.Sprintf("Leader Task %q is dead", from.t.Name), nil)
			} else {
				t.event(api.TaskSiblingFailed, fmt.Sprintf("Task's sibling %q failed", from.t.Name), func(e *api.TaskEvent) {
					e.FailedSibling = from.t.Name
				})
			}
		}
		t.kill(why)
	}
}

func (ar *allocRun) setStatus(s string) {
	ar.r.mu.Lock()
	defer ar.r.mu.Unlock()
	ar.st.ClientStatus = s
}
