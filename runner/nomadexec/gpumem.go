package nomadexec

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/jobkit-dev/jobkit/runner/engine"
	"github.com/jobkit-dev/jobkit/runner/nomadjob"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

// checkGPUMemory checks the tasks' ${device.attr.memory} constraints
// against the GPUs nvidia-smi lists, before anything starts.
func (r *Runner) checkGPUMemory(ctx context.Context) error {
	var smiOut string
	for _, a := range r.Plan.Allocs {
		for _, t := range a.Tasks {
			if t.GPU == nil || len(t.GPUMemory) == 0 {
				continue
			}
			if smiOut == "" {
				smi, err := exec.LookPath("nvidia-smi")
				if err != nil {
					r.parts.Logf("warning: cannot check %s: nvidia-smi is not on this machine's PATH", t.GPUMemory[0].Path)
					return nil
				}
				cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				out, err := exec.CommandContext(cctx, smi, "--query-gpu=index,uuid,name,memory.total", "--format=csv,noheader,nounits").Output()
				cancel()
				if err != nil {
					return &engine.InfraError{Msg: fmt.Sprintf("GPU check: nvidia-smi failed: %v; is the NVIDIA driver loaded?", err)}
				}
				smiOut = string(out)
			}
			if msg := gpuMemoryProblem(engine.ParseNvidiaSMI(smiOut), *t.GPU, t.GPUMemory); msg != "" {
				return &engine.InfraError{Msg: fmt.Sprintf("GPU check: task %q (%s): %s", t.Name, t.Path, msg)}
			}
		}
	}
	return nil
}

// gpuMemoryProblem says why the GPUs req selects cannot meet the rules, or "".
func gpuMemoryProblem(gpus []engine.GPU, req plan.GPURequest, rules []nomadjob.MemoryRule) string {
	fits := func(g engine.GPU) bool {
		for _, r := range rules {
			if !r.Holds(g.MemoryMB) {
				return false
			}
		}
		return true
	}
	var want []string
	for _, r := range rules {
		want = append(want, r.String()+" ("+r.Path+")")
	}
	var have []string
	for _, g := range gpus {
		have = append(have, fmt.Sprintf("GPU %s %s %.0f MiB", g.Index, g.Name, g.MemoryMB))
	}
	if len(have) == 0 {
		have = []string{"none"}
	}
	if len(req.DeviceIDs) > 0 {
		for _, id := range req.DeviceIDs {
			found := false
			for _, g := range gpus {
				if g.Index == id || g.UUID == id {
					found = true
					if !fits(g) {
						return fmt.Sprintf("--gpus picks GPU %s, which does not meet %s; this host has %s", id, strings.Join(want, " and "), strings.Join(have, ", "))
					}
				}
			}
			if !found {
				return fmt.Sprintf("--gpus names GPU %s, which this host does not have (%s)", id, strings.Join(have, ", "))
			}
		}
		return ""
	}
	need := req.Count
	if need <= 0 {
		need = 1
	}
	n := 0
	for _, g := range gpus {
		if fits(g) {
			n++
		}
	}
	if n >= need {
		return ""
	}
	return fmt.Sprintf("it needs %d GPU(s) with %s, and this host has %s", need, strings.Join(want, " and "), strings.Join(have, ", "))
}
