//go:build !js

// The mutation test runs natively (with -race in make test); the wasm run of
// the core checks the build, not the engine verdicts again.

package nomad

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/nomad/api"
)

// nomadRejects returns the validation error Nomad 1.9 reports for a job that
// api decoded and canonicalized, or "" when none of the encoded rules fails.
// Each predicate quotes the rule of /work/shared/specs/nomad-reference.md
// (section 2) it encodes; only rules that are exact and that the server's own
// canonicalization does not change are here, so a "" means "not decided",
// never "Nomad accepts".
func nomadRejects(j *api.Job) string {
	var errs []string
	fail := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	num := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}
	dur := func(p *time.Duration) time.Duration {
		if p == nil {
			return 0
		}
		return *p
	}

	// J2 `Job.ID` required: `Missing job ID`; J3 no space: `Job ID contains a space`.
	if id := str(j.ID); id == "" {
		fail("Missing job ID")
	} else if strings.Contains(id, " ") {
		fail("Job ID contains a space")
	}
	// J5 `Job.Name` non-empty: `Missing job name` (default Name←ID).
	if str(j.Name) == "" {
		fail("Missing job name")
	}
	// J8 `Job.Type` one of service batch system sysbatch: `Missing job type` / `Invalid job type: %q`.
	typ := str(j.Type)
	switch typ {
	case "service", "batch", "system", "sysbatch":
	default:
		fail("Invalid job type: %q", typ)
	}
	// J10 `Job.Datacenters[i]` non-empty string: `Job datacenter must be non-empty string`.
	for _, dc := range j.Datacenters {
		if dc == "" {
			fail("Job datacenter must be non-empty string")
		}
	}
	// J11 `Job.TaskGroups` at least one: `Missing job task groups`.
	if len(j.TaskGroups) == 0 {
		fail("Missing job task groups")
	}
	// J1 `Job.Region` non-empty: `Missing job region` (only if "" explicitly).
	if str(j.Region) == "" && j.Multiregion == nil {
		fail("Missing job region")
	}
	// J7 `Job.Namespace` non-empty: `Job must be in a namespace`.
	if str(j.Namespace) == "" {
		fail("Job must be in a namespace")
	}
	checkConstraints("Job", j.Constraints, fail)
	checkAffinities(j.Affinities, fail)
	groupNames := map[string]bool{}
	for gi, g := range j.TaskGroups {
		name := str(g.Name)
		// J16 `Job.TaskGroups[i].Name` required: `Job task group %d missing name`;
		// J17 unique: `Job task group %d redefines '%s' from group %d`.
		if name == "" {
			fail("Job task group %d missing name", gi+1)
		} else if groupNames[name] {
			fail("Job task group %d redefines '%s'", gi+1, name)
		}
		groupNames[name] = true
		// G2 `Count` ≥ 0: `Task group count can't be negative`.
		count := num(g.Count)
		if count < 0 {
			fail("Task group count can't be negative")
		}
		// J20 `Count` ≤ 1 for system jobs: `... Count cannot exceed 1 with system scheduler`.
		if typ == "system" && count > 1 {
			fail("Job task group %s has count %d. Count cannot exceed 1 with system scheduler", name, count)
		}
		// G3 `Tasks` ≥ 1: `Missing tasks for task group` (a Connect gateway
		// group gets its gateway task from the server before validation).
		if len(g.Tasks) == 0 && !hasGateway(g) {
			fail("Missing tasks for task group")
		}
		// G8 `EphemeralDisk.SizeMB` ≥ 10: `minimum DiskMB value is 10; got %d`.
		disk := 300
		if g.EphemeralDisk != nil {
			disk = num(g.EphemeralDisk.SizeMB)
			if disk < 10 {
				fail("minimum DiskMB value is 10; got %d", disk)
			}
		}
		checkConstraints("group", g.Constraints, fail)
		checkServices(g.Services, fail)
		checkAffinities(g.Affinities, fail)
		// §2.7 RestartPolicy: RP1 `Mode` ∈ delay, fail: `Unsupported restart mode: %q`;
		// RP3 `Interval` ≥ 5 s: `Interval can not be less than %v (got %v)`;
		// RP4 `Attempts*Delay` ≤ `Interval`: `Nomad can't restart the TaskGroup %v times in an interval of %v with a delay of %v`.
		if rp := g.RestartPolicy; rp != nil {
			if m := str(rp.Mode); m != "delay" && m != "fail" {
				fail("Unsupported restart mode: %q", m)
			}
			if dur(rp.Interval) < 5*time.Second {
				fail("Interval can not be less than 5s (got %v)", dur(rp.Interval))
			}
			if time.Duration(num(rp.Attempts))*dur(rp.Delay) > dur(rp.Interval) {
				fail("Nomad can't restart the TaskGroup %v times in an interval of %v with a delay of %v", num(rp.Attempts), dur(rp.Interval), dur(rp.Delay))
			}
		}
		taskNames := map[string]bool{}
		for ti, task := range g.Tasks {
			if task == nil {
				continue
			}
			// G11 `Tasks[i].Name` required, unique: `Task %d missing name` / `Task %d redefines '%s' from task %d`;
			// T2 no `/` or `\`: `Task name cannot include slashes`.
			switch {
			case task.Name == "":
				fail("Task %d missing name", ti+1)
			case taskNames[task.Name]:
				fail("Task %d redefines '%s'", ti+1, task.Name)
			case strings.ContainsAny(task.Name, `/\`):
				fail("Task name cannot include slashes")
			}
			taskNames[task.Name] = true
			// T4 `Driver` required: `Missing task driver`.
			if task.Driver == "" {
				fail("Missing task driver")
			}
			// T5 `KillTimeout` ≥ 0: `KillTimeout must be a positive value`.
			if dur(task.KillTimeout) < 0 {
				fail("KillTimeout must be a positive value")
			}
			// T7 `ShutdownDelay` ≥ 0: `ShutdownDelay must be a positive value`.
			if task.ShutdownDelay < 0 {
				fail("ShutdownDelay must be a positive value")
			}
			checkConstraints("task", task.Constraints, fail)
			checkServices(task.Services, fail)
			checkAffinities(task.Affinities, fail)
			// T22 `Lifecycle.Hook` ∈ prestart poststart poststop: `invalid hook: %v`
			// (an empty hook drops the block: API-unreachable).
			if lc := task.Lifecycle; lc != nil {
				switch lc.Hook {
				case "", "prestart", "poststart", "poststop":
				default:
					fail("invalid hook: %v", lc.Hook)
				}
			}
			// §2.11 `GetterSource` required: `source must be specified`;
			// `GetterMode` ∈ any file dir: `invalid artifact mode %q; must be one of: %s, %s, %s`.
			for _, a := range task.Artifacts {
				if a == nil {
					continue
				}
				if str(a.GetterSource) == "" {
					fail("source must be specified")
				}
				switch str(a.GetterMode) {
				case "any", "file", "dir":
				default:
					fail("invalid artifact mode %q", str(a.GetterMode))
				}
			}
			// §2.13 Template: `Must specify a destination for the template`;
			// change mode noop|restart|signal|script: `Invalid change mode. Must be one of the following: noop, signal, script, restart`.
			for _, tp := range task.Templates {
				if tp == nil {
					continue
				}
				if str(tp.DestPath) == "" {
					fail("Must specify a destination for the template")
				}
				switch str(tp.ChangeMode) {
				case "noop", "restart", "signal", "script":
				default:
					fail("Invalid change mode. Must be one of the following: noop, signal, script, restart")
				}
			}
			if r := task.Resources; r != nil {
				cpu, cores, mem := num(r.CPU), num(r.Cores), num(r.MemoryMB)
				// R1 `CPU`+`Cores` not both: `Task can only ask for 'cpu' or 'cores' resource, not both.`
				if cpu > 0 && cores > 0 {
					fail("Task can only ask for 'cpu' or 'cores' resource, not both.")
				}
				// R2 `CPU` ≥ 1 MHz (when `Cores`=0): `minimum CPU value is %d; got %d`.
				if cores == 0 && cpu < 1 {
					fail("minimum CPU value is 1; got %d", cpu)
				}
				// R3 `MemoryMB` ≥ 10: `minimum MemoryMB value is %d; got %d`.
				if mem < 10 {
					fail("minimum MemoryMB value is 10; got %d", mem)
				}
			}
			// L1 `LogConfig.MaxFiles` ≥ 1: `minimum number of files is 1; got %d`;
			// L2 `MaxFileSizeMB` ≥ 1: `minimum file size is 1MB; got %d`;
			// L3 `MaxFiles*MaxFileSizeMB` < group `EphemeralDisk.SizeMB`:
			// `log storage (%d MB) must be less than requested disk capacity (%d MB)`.
			if lc := task.LogConfig; lc != nil {
				files, size := num(lc.MaxFiles), num(lc.MaxFileSizeMB)
				if files < 1 {
					fail("minimum number of files is 1; got %d", files)
				}
				if size < 1 {
					fail("minimum file size is 1MB; got %d", size)
				}
				if files*size >= disk {
					fail("log storage (%d MB) must be less than requested disk capacity (%d MB)", files*size, disk)
				}
			}
			// §5.1 docker driver task config: `image` required (decoded on
			// the client: the task fails when it starts).
			if task.Driver == "docker" {
				switch img := task.Config["image"].(type) {
				case string, float64, bool:
				default:
					fail("docker config: image is required and must be a string (got %T)", img)
				}
			}
		}
	}
	return strings.Join(errs, "; ")
}

// checkConstraints encodes §2.6: C1 `Operand` required: `Missing constraint
// operand`; C2 one of the listed operands: `Unknown constraint type %q`;
// C3 comparison ops need `RTarget`: `Operator %q requires an RTarget`.
func checkConstraints(where string, cs []*api.Constraint, fail func(string, ...any)) {
	for i, c := range cs {
		if c == nil {
			continue
		}
		switch c.Operand {
		case "":
			fail("%s Constraint %d validation failed: Missing constraint operand", where, i+1)
		case "=", "==", "is", "!=", "not", "<", "<=", ">", ">=":
			if c.RTarget == "" {
				fail("%s Constraint %d validation failed: Operator %q requires an RTarget", where, i+1, c.Operand)
			}
		case "regexp", "version", "semver", "set_contains", "set_contains_all", "set_contains_any",
			"distinct_hosts", "distinct_property", "is_set", "is_not_set":
		default:
			fail("%s Constraint %d validation failed: Unknown constraint type %q", where, i+1, c.Operand)
		}
	}
}

func hasGateway(g *api.TaskGroup) bool {
	for _, s := range g.Services {
		if s != nil && s.Connect != nil && s.Connect.Gateway != nil {
			return true
		}
	}
	return false
}

// serviceName is §2.10's pattern, matched after every ${...} is replaced
// with ENV-VAR.
var (
	serviceName = regexp.MustCompile(`^(?i:[a-z0-9]|[a-z0-9][a-z0-9\-]{0,61}[a-z0-9])$`)
	interpVar   = regexp.MustCompile(`\$\{[^}]*\}`)
)

// checkServices encodes §2.10 (api's Canonicalize has already turned an
// empty AddressMode into auto, OnUpdate into require_healthy and Provider
// into consul).
func checkServices(ss []*api.Service, fail func(string, ...any)) {
	for _, s := range ss {
		if s == nil {
			continue
		}
		// `Service name must be valid per RFC 1123 and can contain only alphanumeric characters or dashes and must be no longer than 63 characters: %q`
		if !serviceName.MatchString(interpVar.ReplaceAllString(s.Name, "ENV-VAR")) {
			fail("Service name must be valid per RFC 1123 ...: %q", s.Name)
		}
		// `AddressMode` ∈ auto host driver alloc: `Service address_mode must be %q, %q, or %q; not %q`
		switch s.AddressMode {
		case "auto", "host", "driver", "alloc":
		default:
			fail("Service address_mode must be \"auto\", \"host\", or \"driver\"; not %q", s.AddressMode)
		}
		// `OnUpdate`: `Service on_update must be %q, %q, or %q; not %q`
		switch s.OnUpdate {
		case "require_healthy", "ignore_warnings", "ignore":
		default:
			fail("Service on_update must be \"require_healthy\", \"ignore_warnings\", or \"ignore\"; not %q", s.OnUpdate)
		}
		// `Provider` ∈ consul nomad: `Service provider must be %q, or %q; not %q`
		types := map[string]bool{"http": true, "tcp": true, "script": true, "grpc": true}
		switch s.Provider {
		case "consul":
		case "nomad":
			types = map[string]bool{"http": true, "tcp": true}
		default:
			fail("Service provider must be \"consul\", or \"nomad\"; not %q", s.Provider)
		}
		for _, c := range s.Checks {
			// check `Type` (lower-cased): consul grpc tcp http script; nomad tcp http:
			// `invalid check type (%q), must be one of %s`
			if !types[strings.ToLower(c.Type)] {
				fail("invalid check type (%q)", c.Type)
			}
			// `Interval` ≥ 1 s: `missing required value interval. Interval cannot be less than %v` / `interval (%v) cannot be lower than %v`;
			// `Timeout` ≥ 1 s: `missing required value timeout. Timeout cannot be less than %v` / `timeout (%v) is lower than required minimum timeout %v`
			if c.Interval < time.Second {
				fail("interval (%v) cannot be lower than 1s", c.Interval)
			}
			if c.Timeout < time.Second {
				fail("timeout (%v) is lower than required minimum timeout 1s", c.Timeout)
			}
		}
	}
}

// checkAffinities encodes A1/A2 of §2.6: `Missing affinity operand` /
// `Unknown affinity operator %q`; `Affinity weight cannot be zero` /
// `Affinity weight must be within the range [-100,100]` (api's Canonicalize
// sets an absent Weight to 50).
func checkAffinities(as []*api.Affinity, fail func(string, ...any)) {
	for _, a := range as {
		if a == nil {
			continue
		}
		switch a.Operand {
		case "":
			fail("Missing affinity operand")
		case "=", "==", "is", "!=", "not", "<", "<=", ">", ">=", "regexp", "version", "semver",
			"set_contains", "set_contains_all", "set_contains_any":
		default:
			fail("Unknown affinity operator %q", a.Operand)
		}
		if a.Weight != nil {
			switch w := *a.Weight; {
			case w == 0:
				fail("Affinity weight cannot be zero")
			case w < -100 || w > 100:
				fail("Affinity weight must be within the range [-100,100]")
			}
		}
	}
}
