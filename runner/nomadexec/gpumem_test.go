package nomadexec

import (
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/runner/engine"
	"github.com/jobkit-dev/jobkit/runner/nomadjob"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

func TestGPUMemoryProblem(t *testing.T) {
	gpus := []engine.GPU{{Index: "0", UUID: "GPU-a", Name: "L4", MemoryMB: 23034}, {Index: "1", UUID: "GPU-b", Name: "T4", MemoryMB: 15360}}
	atLeast16G := []nomadjob.MemoryRule{{Path: "Job.TaskGroups[0].Tasks[0].Resources.Devices[0].Constraints[0]", Operand: ">=", MiB: 16384}}
	cases := []struct {
		name string
		gpus []engine.GPU
		req  plan.GPURequest
		want string // "" means no problem
	}{
		{"one big enough", gpus, plan.GPURequest{Count: 1}, ""},
		{"two wanted, one fits", gpus, plan.GPURequest{Count: 2}, "it needs 2 GPU(s) with memory >= 16384 MiB (Job.TaskGroups[0].Tasks[0].Resources.Devices[0].Constraints[0]), and this host has GPU 0 L4 23034 MiB, GPU 1 T4 15360 MiB"},
		{"--gpus picks the small one", gpus, plan.GPURequest{DeviceIDs: []string{"1"}}, "--gpus picks GPU 1, which does not meet memory >= 16384 MiB"},
		{"--gpus by uuid", gpus, plan.GPURequest{DeviceIDs: []string{"GPU-a"}}, ""},
		{"unknown device", gpus, plan.GPURequest{DeviceIDs: []string{"7"}}, "--gpus names GPU 7, which this host does not have"},
		{"no GPUs", nil, plan.GPURequest{Count: 1}, "this host has none"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := gpuMemoryProblem(tc.gpus, tc.req, atLeast16G)
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
