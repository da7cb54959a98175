package resolve

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Store holds the values literals resolve to. It is safe for concurrent use:
// ops of one group resolve while others publish results.
type Store struct {
	mu        sync.RWMutex
	globals   map[string]string // job, host, project, frps_address
	variables map[string]string
	ops       map[string]*OpValues
}

// OpValues are what %%ops.<id>.…%% can read.
type OpValues struct {
	Host               string
	Results            map[string][]string
	Endpoints          map[string]string // container port → URL
	DeploymentEndpoint string
}

// NewStore makes a store with the job-wide values (%%global.job%% etc.) and
// global.variables.
func NewStore(globals, variables map[string]string) *Store {
	return &Store{globals: globals, variables: variables, ops: map[string]*OpValues{}}
}

// SetOp publishes (or replaces) the values of one op.
func (s *Store) SetOp(id string, v OpValues) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ops[id] = &v
}

// UpdateOp changes one op's values under the lock.
func (s *Store) UpdateOp(id string, f func(*OpValues)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.ops[id]
	if v == nil {
		v = &OpValues{}
		s.ops[id] = v
	}
	f(v)
}

// Resolve gives the value of a literal: a string, or []string for results.
func (s *Store) Resolve(l Literal) (any, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	switch l.Scope {
	case "global", "globals":
		if len(l.Path) == 2 && l.Path[0] == "variables" && l.Scope == "global" {
			if v, ok := s.variables[l.Path[1]]; ok {
				return v, nil
			}
			return nil, fmt.Errorf("global.variables has no %q%s", l.Path[1], available(keysOf(s.variables)))
		}
		if len(l.Path) == 1 {
			if v, ok := s.globals[l.Path[0]]; ok {
				return v, nil
			}
			return nil, fmt.Errorf("%q is not a global value (use job, host, project, frps_address or variables.NAME)", l.Path[0])
		}
		return nil, fmt.Errorf("unknown global path %q", strings.Join(l.Path, "."))
	case "ops":
		v, ok := s.ops[l.Op]
		if !ok {
			return nil, fmt.Errorf("op %q has not started yet (or does not exist)", l.Op)
		}
		return v.resolve(l)
	}
	return nil, fmt.Errorf("unknown scope %q", l.Scope)
}

func (v *OpValues) resolve(l Literal) (any, error) {
	p := l.Path
	switch {
	case len(p) == 1 && p[0] == "host":
		return v.Host, nil
	case len(p) >= 2 && p[0] == "results":
		key := strings.Join(p[1:], ".")
		if r, ok := v.Results[key]; ok {
			return r, nil
		}
		if v.Results == nil {
			return nil, fmt.Errorf("op %q has no results yet (results are read when the op ends)", l.Op)
		}
		return nil, fmt.Errorf("op %q has no result %q%s", l.Op, key, available(keysOf(v.Results)))
	case len(p) == 2 && p[0] == "endpoint":
		if e, ok := v.Endpoints[p[1]]; ok {
			return e, nil
		}
		return nil, fmt.Errorf("op %q does not expose port %s%s", l.Op, p[1], available(keysOf(v.Endpoints)))
	case len(p) == 1 && p[0] == "deployment_endpoint":
		if v.DeploymentEndpoint != "" {
			return v.DeploymentEndpoint, nil
		}
		return nil, fmt.Errorf("op %q has no deployment endpoint (it needs an exposed port and a deployment_id)", l.Op)
	}
	return nil, fmt.Errorf("unknown op path %q (use host, results.KEY, endpoint.PORT or deployment_endpoint)", strings.Join(p, "."))
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func available(keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	return " (it has " + strings.Join(keys, ", ") + ")"
}
