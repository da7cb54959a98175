package nosana

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// The runner executes Source.Job: it must be the job Decode reads from the
// same text, op for op (indexes, groups, effective values), for every Nosana
// document in the repository, and fail where Decode fails.
func TestSourceJobIsTheDecodedJob(t *testing.T) {
	var files []string
	for _, pattern := range []string{
		"../../examples/*.json",
		"jobschema/testdata/*/*.json",
		"rules/testdata/*/*.json",
		"../../runner/plan/testdata/*.json",
	} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 50 {
		t.Fatalf("found %d documents, want the repository's Nosana testdata", len(files))
	}
	decoded := 0
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(text), `"Job"`) {
			continue // Nomad
		}
		want, werr := Decode(text)
		got, gerr := NewSource(jsonast.Parse(text)).Job()
		if (werr == nil) != (gerr == nil) {
			t.Errorf("%s: Decode error %v, Source.Job error %v", f, werr, gerr)
			continue
		}
		if werr != nil {
			continue
		}
		decoded++
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Source.Job differs from Decode:\n got %+v\nwant %+v", f, got, want)
		}
		for i, op := range got.Ops {
			if op.Index != i || op.global != got.Global {
				t.Errorf("%s: ops[%d] has index %d and global %p, want %d and the job's", f, i, op.Index, op.global, i)
			}
		}
	}
	if decoded < 30 {
		t.Errorf("only %d documents decoded, want the runnable examples and testdata", decoded)
	}
}

func TestSourceJobErrors(t *testing.T) {
	tests := []struct{ doc, want string }{
		{`[1]`, "not a complete JSON object"},
		{`{"ops": [`, "not a complete JSON object"},
		{`{"ops": 3}`, "ops: expected an array"},
		{`{"ops": [{"id": "a", "type": "container/run", "args": {"image": "x"}}, null]}`, "ops[1] is not an object"},
		{`{"ops": [{"id": "a", "type": "container/run", "args": {"image": "x"}}, {"id": 7}]}`, "ops[1]"},
		{`{"meta": 5, "ops": []}`, "meta"},
	}
	for _, tc := range tests {
		_, err := NewSource(jsonast.Parse([]byte(tc.doc))).Job()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.doc, err, tc.want)
		}
	}
	job, err := NewSource(jsonast.Parse([]byte(`{"version": "0.1", "type": "container"}`))).Job()
	if err != nil || len(job.Ops) != 0 {
		t.Errorf("a job without ops: %+v, %v", job, err)
	}
}
