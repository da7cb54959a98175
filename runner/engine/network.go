package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"

	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

// defaultBridge is Docker's own bridge network (docker0), which a daemon
// has unless it was started with --bridge=none.
const defaultBridge = "bridge"

// needsNetwork says whether the run gets its own bridge network, where ops
// find each other by op id, alias and container name. It does whenever
// another op could use it. A job with exactly one container/run op that
// does not name itself (no literals, and none of its names in its command,
// entrypoint, working directory, env or args) has nobody to talk to: its
// container joins Docker's default bridge, where published ports,
// host.docker.internal and outbound traffic work the same, and the run
// saves creating and removing a network. --keep promises the network, so
// it makes one.
func (e *Engine) needsNetwork() bool {
	if e.Opts.Keep {
		return true
	}
	var only *plan.Step
	for _, g := range e.Plan.Groups {
		for _, s := range g.Steps {
			if s.Type != nosana.TypeRun {
				continue
			}
			if only != nil {
				return true
			}
			only = s
		}
	}
	if only == nil {
		return false // nothing runs a container
	}
	return only.Literals || namesItself(only, e.Job.Op(only.OpID))
}

// namesItself reports whether the step's own text mentions one of the names
// it has on the run's network (a container that reaches itself by alias).
func namesItself(s *plan.Step, op *nosana.Op) bool {
	var text strings.Builder
	for _, part := range [][]string{s.Cmd, s.Entrypoint, s.Env, {s.WorkDir}} {
		for _, t := range part {
			text.WriteString(t)
			text.WriteByte('\n')
		}
	}
	if op != nil {
		text.Write(op.RawArgs)
	}
	all := strings.ToLower(text.String())
	for _, name := range append([]string{s.Container}, s.Aliases...) {
		if containsName(all, strings.ToLower(name)) {
			return true
		}
	}
	return false
}

// containsName reports whether name occurs in text as a whole host name:
// not inside a longer one ("one" is not in "phone", but in "http://one:80").
func containsName(text, name string) bool {
	if name == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(text[i:], name)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(name)
		if (start == 0 || !hostChar(text[start-1])) && (end == len(text) || !hostChar(text[end])) {
			return true
		}
		i = start + 1
	}
}

func hostChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// createNetwork makes the run's bridge network. The call is not cancelled
// with the run: when it returns, the network exists or does not, so the
// cleanup that follows finds it.
func (e *Engine) createNetwork(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, err := e.D.NetworkCreate(ctx, e.Plan.Network, network.CreateOptions{
		Driver: "bridge",
		Labels: e.withOwner(nil),
	})
	if err != nil {
		return &InfraError{Msg: fmt.Sprintf("create network %s: %v", e.Plan.Network, err)}
	}
	return nil
}

// hasDefaultBridge reports whether the daemon has its default bridge (one
// started with --bridge=none has not).
func (e *Engine) hasDefaultBridge(ctx context.Context) (bool, error) {
	ns, err := e.D.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("name", defaultBridge))})
	if err != nil {
		return false, &InfraError{Msg: fmt.Sprintf("list networks: %v", err)}
	}
	for _, n := range ns {
		if n.Name == defaultBridge {
			return true, nil
		}
	}
	return false, nil
}

// prepareNetwork makes the run's network, or, when the run does without
// one, checks that the default bridge is there and makes the network when
// it is not.
func (e *Engine) prepareNetwork(ctx context.Context) error {
	if !e.ownNet {
		ok, err := e.hasDefaultBridge(ctx)
		if err != nil || ok {
			return err
		}
		e.ownNet = true
	}
	return e.createNetwork(ctx)
}

// useDefaultBridge moves a container configuration from the run's network
// to Docker's default bridge, which has no aliases.
func useDefaultBridge(hc *container.HostConfig) *network.NetworkingConfig {
	hc.NetworkMode = defaultBridge
	return nil
}
