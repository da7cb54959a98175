package nosana

import (
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// FuzzDecode: Decode and every effective-value method never panic.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"x","cmd":"c","expose":[1,{"port":2}],"resources":[{"type":"S3","target":"/t"}]}}]}`,
		`{"ops":[{"id":"v","type":"container/create-volume","args":{"name":"n"}}],"global":{"entrypoint":"e"},"meta":{"system_requirements":{"required_vram":"x"}}}`,
		`{"ops":[{"id":"a","args":{"expose":"%%ops.b.results.p%%","restart_policy":{"policy":"on-failure"},"aliases":"a,b"},"results":{"k":{"regex":"r"}}}]}`,
		`[]`, `null`, `{"ops":[null]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		j, err := Decode(b)
		if err != nil {
			return
		}
		_ = j.RequiredVRAM()
		_ = j.Groups()
		_ = j.Variables()
		for _, op := range j.Ops {
			_, _, _, _, _ = op.GPU(), op.Image(), op.Entrypoint(), op.WorkDir(), op.Command()
			_, _, _ = op.EnvList("x"), op.ExposedPorts(), op.DependsOn()
			for _, r := range func() []Resource {
				if op.Run == nil {
					return nil
				}
				return op.Run.Resources
			}() {
				_, _ = r.Target(), r.Writable()
			}
		}
	})
}

// FuzzSourceJob: the job the runner executes, built from the lint's model,
// never panics, and holds every entry of ops[] at its index. (It is not
// compared with Decode here: encoding/json matches keys case-insensitively,
// "oPs" included, where the node and the model do not; the runner only sees
// jobs the lint passed, and TestSourceJobIsTheDecodedJob compares the two on
// real documents.)
func FuzzSourceJob(f *testing.F) {
	for _, s := range []string{
		`{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"x"},"execution":{"group":""}}]}`,
		`{"global":{"image":"g"},"ops":[{"id":"a","args":{}},{"id":"b","execution":{"group":null,"depends_on":["a"]}}]}`,
		`{"ops":[null]}`, `{"ops":3}`, `{"ops":[{"id":7}]}`, `{"ops":[{"a":1},`, `[]`, `{"oPs":[]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc := jsonast.Parse(b)
		job, err := NewSource(doc).Job()
		if err != nil {
			return
		}
		var items []*jsonast.Node
		if ops := doc.Root.Get("ops"); ops != nil {
			items = ops.Items
		}
		if len(job.Ops) != len(items) {
			t.Fatalf("%d ops from %d entries of ops[] in %q", len(job.Ops), len(items), b)
		}
		for i, op := range job.Ops {
			if op.Index != i || op.global != job.Global {
				t.Fatalf("ops[%d]: index %d in %q", i, op.Index, b)
			}
			_, _, _ = op.Group(), op.Image(), op.Command()
		}
		_ = job.Groups()
	})
}
