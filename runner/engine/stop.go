package engine

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
)

// stopper stops a container once, with a reason.
type stopper struct {
	e            *Engine
	id           string
	mu           sync.Mutex
	why          string
	byDependency bool
}

// setID changes the container (it was made again on other ports).
func (s *stopper) setID(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.id = id
}

func (s *stopper) requested() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.why != ""
}

func (s *stopper) reason() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.why
}

var errStopped = errors.New("stopped before it started")

// again repeats the stop (for a container that started after the stop).
func (s *stopper) again() {
	grace := int(s.e.Opts.Grace.Round(time.Second) / time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), s.e.Opts.Grace+30*time.Second)
	defer cancel()
	s.mu.Lock()
	id := s.id
	s.mu.Unlock()
	_ = s.e.D.ContainerStop(ctx, id, container.StopOptions{Signal: "SIGTERM", Timeout: &grace})
}

// stop sends SIGTERM and, after the grace period, SIGKILL.
func (s *stopper) stop(why string, byDependency bool) {
	s.mu.Lock()
	if s.why != "" {
		s.mu.Unlock()
		return
	}
	s.why, s.byDependency = why, byDependency
	s.mu.Unlock()
	s.again()
}

// watchStop stops the container when the run is stopped or, with
// stop_if_dependent_stops, when a dependency ends.
func (e *Engine) watchStop(ctx, opDone context.Context, r *opRun, s *stopper) {
	var depDone []<-chan struct{}
	var depIDs []string
	if r.step.StopIfDependentStops {
		for _, id := range r.step.DependsOn {
			if d := e.ops[id]; d != nil {
				depDone = append(depDone, d.done)
				depIDs = append(depIDs, id)
			}
		}
	}
	cases := make(chan string, len(depDone))
	for i, ch := range depDone {
		go func() {
			select {
			case <-ch:
				cases <- depIDs[i]
			case <-opDone.Done():
			}
		}()
	}
	select {
	case <-ctx.Done():
		why := CauseText(ctx)
		e.con.logf("op %s: stopping (%s)", r.step.OpID, why)
		s.stop(why, false)
	case id := <-cases:
		e.con.logf("op %s: stopping because dependency %s stopped (stop_if_dependent_stops)", r.step.OpID, id)
		s.stop("dependency "+id+" stopped", true)
	case <-opDone.Done():
	}
}

// CauseText says in one word (or the cause's text) why a run context ended.
func CauseText(ctx context.Context) string {
	switch c := context.Cause(ctx); {
	case errors.Is(c, ErrTimeout):
		return "timeout"
	case c != nil && !errors.Is(c, context.Canceled):
		return c.Error()
	}
	return "interrupted"
}
