package nomadjob

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// FuzzBuild: decoding and planning any document never panics, and a plan
// that builds has a container for every task.
func FuzzBuild(f *testing.F) {
	for _, name := range []string{"gpu-batch.json", "bridge-lifecycle.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{`{"Job": {"TaskGroups": [null]}}`, `{"TaskGroups": [{"Count": -1, "Tasks": [{"Driver": "docker", "Config": {"image": "${"}}]}]}`,
		`{"ID": "j", "TaskGroups": [{"Name": "g", "Networks": [{"Mode": "bridge", "DynamicPorts": [{"Label": "a"}, {"Label": "a"}]}], "Tasks": []}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		job, err := Decode(jsonast.Parse(b))
		if err != nil {
			return
		}
		for _, tg := range job.TaskGroups {
			if tg != nil && tg.Count != nil && *tg.Count > 50 {
				return // a plan per allocation: keep the fuzzer's jobs small
			}
		}
		p, err := Build(job, testOptions())
		if err != nil {
			return
		}
		for _, a := range p.Allocs {
			for _, task := range a.Tasks {
				if task.Container == "" || task.Image == "" {
					t.Fatalf("task %s has no container or image", task.Path)
				}
			}
		}
	})
}
