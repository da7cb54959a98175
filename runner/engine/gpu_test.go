package engine

import (
	"reflect"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

func TestParseNvidiaSMI(t *testing.T) {
	tests := []struct {
		name string
		out  string
		want []GPU
	}{
		{"nounits", "0, GPU-aaa, NVIDIA H100 80GB HBM3, 81559\n1, GPU-bbb, NVIDIA H100 80GB HBM3, 81559\n",
			[]GPU{{"0", "GPU-aaa", "NVIDIA H100 80GB HBM3", 81559}, {"1", "GPU-bbb", "NVIDIA H100 80GB HBM3", 81559}}},
		{"header and units", "index, uuid, name, memory.total [MiB]\n0, GPU-c, NVIDIA GeForce RTX 3060, 12288 MiB\n",
			[]GPU{{"0", "GPU-c", "NVIDIA GeForce RTX 3060", 12288}}},
		{"comma in name, blank lines, CRLF", "\r\n0, GPU-d, Weird, Name, 8192\r\n\n",
			[]GPU{{"0", "GPU-d", "Weird, Name", 8192}}},
		{"not available", "0, GPU-e, Some GPU, [N/A]\n", nil},
		{"garbage", "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ParseNvidiaSMI(tc.out); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseNvidiaSMI = %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestCheckVRAM(t *testing.T) {
	gpus := []GPU{{"0", "GPU-a", "small", 8192}, {"1", "GPU-b", "big", 24576}}
	tests := []struct {
		name     string
		sel      plan.GPURequest
		required float64
		want     string // "" = passes; else a substring of the message
	}{
		{"nothing required", plan.GPURequest{Count: -1}, 0, ""},
		{"all: one big enough", plan.GPURequest{Count: -1}, 16, ""},
		{"all: none big enough", plan.GPURequest{Count: -1}, 40, "needs 40 GB of GPU memory"},
		{"device too small", plan.GPURequest{DeviceIDs: []string{"0"}}, 16, "GPU 0 small 8.0 GB"},
		{"device by uuid", plan.GPURequest{DeviceIDs: []string{"GPU-b"}}, 16, ""},
		{"unknown device", plan.GPURequest{DeviceIDs: []string{"7"}}, 1, "--gpus 7 names GPUs this machine does not have"},
		{"count 2 needs two", plan.GPURequest{Count: 2}, 16, "needs 16 GB"},
		{"count 2 small", plan.GPURequest{Count: 2}, 8, ""},
	}
	for _, tc := range tests {
		got := CheckVRAM(gpus, tc.sel, tc.required)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: CheckVRAM = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := CheckVRAM(nil, plan.GPURequest{Count: -1}, 4); !strings.Contains(got, "no GPUs") {
		t.Errorf("no GPUs: %q", got)
	}
}

func TestPullHelp(t *testing.T) {
	auth := &plan.Step{OpID: "a", Auth: &nosana.DockerAuth{Username: "bot", Password: "pw"}}
	anon := &plan.Step{OpID: "a"}
	tests := []struct {
		step *plan.Step
		msg  string
		want string
	}{
		{auth, "unauthorized: authentication required", `refused the credentials of op a (user "bot")`},
		{anon, `Head "http://127.0.0.1:5000/v2/x/manifests/1": no basic auth credentials`, "add args.authentication.docker"},
		{anon, "manifest for x:nope not found: manifest unknown", "no such image or tag"},
		{anon, "dial tcp: lookup registry-1.docker.io: no such host", "--image-map x:1=LOCAL_IMAGE"},
	}
	for _, tc := range tests {
		if got := pullHelp("x:1", tc.step, tc.msg); !strings.Contains(got, tc.want) || strings.Contains(got, "pw") {
			t.Errorf("pullHelp(%q) = %q, want it to contain %q", tc.msg, got, tc.want)
		}
	}
}
