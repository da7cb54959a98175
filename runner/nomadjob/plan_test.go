package nomadjob

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testNode is a fixed host, so plans are the same on every machine.
var testNode = Node{ID: "node-1", Name: "gpu-box", Pool: "default",
	Attrs: map[string]string{"unique.hostname": "gpu-box", "cpu.arch": "amd64", "kernel.name": "linux"}}

func testOptions() Options {
	next := 30000
	return Options{RunID: "r1", Pull: "missing", GPUs: "all", Node: testNode, AllocRoot: "/tmp/r1-allocs",
		ImageMap: map[string]string{"busybox:1.36": "local/busybox:full"},
		PickPort: func() (int, error) { next++; return next, nil }}
}

func load(t *testing.T, name string) *jsonast.Document {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	res := core.Lint(text, core.Options{})
	for _, d := range res.Diagnostics {
		if d.Severity.String() == "error" {
			t.Fatalf("testdata %s does not lint clean: %s", name, d.Message)
		}
	}
	return res.Doc
}

// TestBuildGolden compares the plan (as JSON) and its printed form with
// testdata/*.plan.json and *.plan (go test -update rewrites them).
func TestBuildGolden(t *testing.T) {
	for _, name := range []string{"gpu-batch.json", "bridge-lifecycle.json"} {
		t.Run(name, func(t *testing.T) {
			job, err := Decode(load(t, name))
			if err != nil {
				t.Fatal(err)
			}
			p, err := Build(job, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(p, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			var printed bytes.Buffer
			if err := Print(&printed, p); err != nil {
				t.Fatal(err)
			}
			base := strings.TrimSuffix(name, ".json")
			golden(t, filepath.Join("testdata", base+".plan.json"), append(got, '\n'))
			golden(t, filepath.Join("testdata", base+".plan"), printed.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the plan built now (go test -update rewrites it):\n%s", path, got)
	}
}

func TestBuildFacts(t *testing.T) {
	job, err := Decode(load(t, "gpu-batch.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(job, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	task := p.Allocs[1].Tasks[0]
	env := strings.Join(task.Env, "\n")
	checks := []struct {
		name string
		ok   bool
	}{
		{"two allocations", len(p.Allocs) == 2},
		{"alloc index in args", strings.Join(task.Cmd, " ") == "python train.py --model tiny --out /alloc/data/1"},
		{"attr interpolated", strings.Contains(env, "HOST=gpu-box\n")},
		{"unknown name kept", strings.Contains(env, "KEEP=${nothing.here}")},
		{"datacenter from the job (wildcard: dc1)", strings.Contains(env, "NOMAD_DC=dc1")},
		{"memory max is the hard limit", task.MemoryMB == 8192 && task.MemoryResMB == 4096},
		{"gpu count", task.GPU != nil && task.GPU.Count == 1 && p.NeedsGPU},
		{"gpu memory constraint", len(task.GPUMemory) == 1 && task.GPUMemory[0].MiB == 16384 && task.GPUMemory[0].Operand == ">=" && task.GPUMemory[0].Holds(16384) && !task.GPUMemory[0].Holds(16000)},
		{"secrets: auth password and token", strings.Join(p.Secrets, ",") == "s3cr3t-pass,tok-123456"},
		{"volume inside the task dir", task.Mounts[3].Source == "/tmp/r1-allocs/"+p.Allocs[1].ID+"/fit/local/cache"},
		{"volume in the shared alloc dir", task.Mounts[4].Source == "/tmp/r1-allocs/"+p.Allocs[1].ID+"/alloc/shared" && task.Mounts[4].ReadOnly},
		{"restart merged", task.Restart == Restart{Attempts: 1, Interval: 600e9, Delay: 1e9, Mode: "fail"}},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: task %+v", c.name, task)
		}
	}
	no := testOptions()
	no.NoGPU = true
	p, err = Build(job, no)
	if err != nil {
		t.Fatal(err)
	}
	if p.NeedsGPU || p.Allocs[0].Tasks[0].GPU != nil || !p.Allocs[0].Tasks[0].GPUDropped {
		t.Error("--no-gpu kept the GPU request")
	}
}

func TestBuildErrors(t *testing.T) {
	cases := []struct {
		name, job, want string
	}{
		{"unsupported driver", `{"ID": "j", "Type": "batch", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "x", "Driver": "raw_exec", "Config": {"command": "true"}}]}]}`,
			`task "x" (Job.TaskGroups[0].Tasks[0]): driver "raw_exec" is not supported by the runner`},
		{"absolute host path", `{"ID": "j", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "x", "Driver": "docker", "Config": {"image": "i", "volumes": ["/var/run/docker.sock:/s"]}}]}]}`,
			`Config.volumes[0]): host path "/var/run/docker.sock" is outside the allocation`},
		{"escaping relative path", `{"ID": "j", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "x", "Driver": "docker", "Config": {"image": "i", "volumes": ["../../../etc:/s"]}}]}]}`,
			`leaves the allocation directory`},
		{"unknown variable in Config", `{"ID": "j", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "x", "Driver": "docker", "Config": {"image": "i:${nomad.version}"}}]}]}`,
			`Job.TaskGroups[0].Tasks[0].Config.image: unknown variable ${nomad.version}`},
		{"port label not in the network", `{"ID": "j", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "x", "Driver": "docker", "Config": {"image": "i", "ports": ["web"]}}]}]}`,
			`Port "web" not found, check network block`},
		{"template outside the allocation", `{"ID": "j", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "x", "Driver": "docker", "Config": {"image": "i"}, "Templates": [{"EmbeddedTmpl": "x", "DestPath": "/etc/x"}]}]}]}`,
			`Job.TaskGroups[0].Tasks[0].Templates[0].DestPath): host path "/etc/x" is outside the allocation`},
		{"template perms", `{"ID": "j", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "x", "Driver": "docker", "Config": {"image": "i"}, "Templates": [{"EmbeddedTmpl": "x", "DestPath": "local/x", "Perms": "rw"}]}]}]}`,
			`Templates[0].Perms): "rw" is not an octal file mode`},
		{"device memory that is not a size", `{"ID": "j", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "x", "Driver": "docker", "Config": {"image": "i"}, "Resources": {"Devices": [{"Name": "nvidia/gpu", "Constraints": [{"LTarget": "${device.attr.memory}", "RTarget": "lots", "Operand": ">="}]}]}}]}]}`,
			`Resources.Devices[0].Constraints[0].RTarget: "lots" is not a memory size such as "16 GiB"`},
		{"required dispatch meta", `{"ID": "j", "Type": "batch", "ParameterizedJob": {"MetaRequired": ["input"]}, "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "x", "Driver": "docker", "Config": {"image": "i"}}]}]}`,
			`needs meta "input" (Job.ParameterizedJob.MetaRequired): give it with --meta input=VALUE`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			job, err := Decode(jsonast.Parse([]byte(tc.job)))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Build(job, testOptions())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestDecodeNeverPanics(t *testing.T) {
	for _, text := range []string{`null`, `[]`, `{"Job": {"TaskGroups": [null]}}`, `{"TaskGroups": [{"Tasks": [null]}]}`, `{"Job": {"ID": 5}}`, `{"job": {"x": {}}}`} {
		job, err := Decode(jsonast.Parse([]byte(text)))
		if err == nil {
			_, _ = Build(job, testOptions())
		}
	}
}
