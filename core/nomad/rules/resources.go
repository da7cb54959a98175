package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// ResourcesRules is Nomad's validation of task resources after defaults
// (CPU 100, MemoryMB 300): CPU or Cores, minimums, MemoryMaxMB, SecretsMB,
// device names.
var ResourcesRules = &rule.Rule{ID: "nomad-resources", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of task resources (CPU/Cores, memory minimums, devices)", Check: checkResources}

func checkResources(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, t := range j.Tasks() {
		r := view.Get(t.Node, "Resources")
		if r == nil {
			continue
		}
		cores := view.IntOr(r, "Cores", 0)
		cpu, hasCPU := view.Int(r, "CPU")
		if cn := view.Get(r, "Cores"); cn != nil && !hasCPU && cores == 0 {
			// The api defaults CPU to 100 only when Cores is absent too.
			nomadSays(ctx, cn, `with "Cores" written (even as 0) Nomad leaves CPU at 0; remove "Cores" or set "CPU"`, "minimum CPU value is %d; got %d", 1, 0)
		}
		if hasCPU && cores > 0 && cpu > 0 {
			nomadSays(ctx, view.Get(r, "CPU"), "", "Task can only ask for 'cpu' or 'cores' resource, not both.")
		} else if hasCPU && cores == 0 && cpu < 1 {
			nomadSays(ctx, view.Get(r, "CPU"), "CPU is in MHz", "minimum CPU value is %d; got %d", 1, cpu)
		}
		mem := view.IntOr(r, "MemoryMB", 300)
		if mem < 10 {
			nomadSays(ctx, view.Get(r, "MemoryMB"), "MemoryMB is in megabytes", "minimum MemoryMB value is %d; got %d", 10, mem)
		}
		if mx, ok := view.Int(r, "MemoryMaxMB"); ok && mx != 0 && mx != -1 && mx < mem {
			nomadSays(ctx, view.Get(r, "MemoryMaxMB"), "", "MemoryMaxMB value (%d) should be larger than MemoryMB value (%d)", mx, mem)
		}
		if s, ok := view.Int(r, "SecretsMB"); ok {
			if s < 0 {
				nomadSays(ctx, view.Get(r, "SecretsMB"), "", "SecretsMB value (%d) cannot be negative", s)
			} else if s > mem {
				nomadSays(ctx, view.Get(r, "SecretsMB"), "", "SecretsMB value (%d) cannot be larger than MemoryMB value (%d)", s, mem)
			}
		}
		if numa := view.Get(r, "NUMA"); numa != nil {
			switch canonStr("NUMA", numa, "Affinity", "none") {
			case "none", "prefer", "require":
			default:
				nomadSays(ctx, at(numa, "Affinity"), "", "numa affinity must be one of none, prefer, or require")
			}
		}
		for i, d := range view.Objects(view.Get(r, "Devices")) {
			// Nomad checks only that the name is there ("nvidia/gpu/" passes).
			if name, _ := view.Str(d, "Name"); name == "" {
				nomadSays(ctx, at(d, "Name"), `write the device as "type", "vendor/type" or "vendor/type/model", e.g. "nvidia/gpu"`, "device %d failed validation: device name must be given as one of the following: type, vendor/type, or vendor/type/name", i)
			}
		}
	}
}
