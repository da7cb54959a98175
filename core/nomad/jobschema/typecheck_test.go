package jobschema

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

func TestTypeCheckReadsSchema(t *testing.T) {
	if typeCheck() == nil {
		t.Fatal("schema.json uses a keyword the pruning pre-check does not understand: the type check always runs in full")
	}
}

// checkJob runs Check over text and renders its diagnostics, sorted.
func checkJob(t *testing.T, text []byte, prune bool) []string {
	t.Helper()
	old := pruneEnabled
	pruneEnabled = prune
	defer func() { pruneEnabled = old }()
	doc := jsonast.Parse(text)
	if doc.Root == nil {
		return nil
	}
	job, _, form := view.Locate(doc.Root)
	if form == view.None || form == view.HCL {
		return nil
	}
	ds := rule.NewContext(doc, rule.Options{}).Run([]*rule.Rule{{ID: "test", Format: rule.Nomad, Check: func(c *rule.Context) {
		Check(c, job, "1.9")
	}}})
	var out []string
	for _, d := range diag.Sort(ds) {
		out = append(out, fmt.Sprintf("%d:%d %s %s", d.Range.Start.Line, d.Range.Start.Column, d.Rule, d.Message))
	}
	return out
}

// leafPaths lists the paths of every value in v (object keys and indexes).
func leafPaths(v any, path []any, out *[][]any) {
	*out = append(*out, slices.Clone(path))
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			leafPaths(e, append(path, k), out)
		}
	case []any:
		for i, e := range x {
			leafPaths(e, append(path, i), out)
		}
	}
}

// replaced returns a deep copy of v with the value at path set to r.
func replaced(v any, path []any, r any) any {
	if len(path) == 0 {
		return r
	}
	switch x := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(x))
		for k, e := range x {
			c[k] = e
		}
		c[path[0].(string)] = replaced(x[path[0].(string)], path[1:], r)
		return c
	case []any:
		c := slices.Clone(x)
		c[path[0].(int)] = replaced(x[path[0].(int)], path[1:], r)
		return c
	}
	return v
}

// TestPruneKeepsDiagnostics checks that leaving the clean parts of a job out
// of the JSON Schema check changes no diagnostic: every Nomad test document,
// and variants where one value at a time is swapped for a value of another
// type or out of range.
func TestPruneKeepsDiagnostics(t *testing.T) {
	files, err := filepath.Glob("../../testdata/nomad/*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test documents: %v", err)
	}
	swaps := []any{"x", json.Number("1.5"), json.Number("-300"), json.Number("300"), true, []any{}, map[string]any{}, nil, []any{json.Number("1")}}
	variants, withTypeErrors := 0, 0
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		check := func(name string, text []byte) {
			t.Helper()
			variants++
			full, pruned := checkJob(t, text, false), checkJob(t, text, true)
			if strings.Contains(strings.Join(full, "\n"), WrongType.ID) {
				withTypeErrors++
			}
			if !slices.Equal(full, pruned) {
				t.Errorf("%s: pruned check differs\nfull:\n%s\npruned:\n%s", name, strings.Join(full, "\n"), strings.Join(pruned, "\n"))
			}
		}
		check(f, text)
		dec := json.NewDecoder(strings.NewReader(string(text)))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil {
			continue
		}
		var paths [][]any
		leafPaths(v, nil, &paths)
		for _, p := range paths {
			for _, s := range swaps {
				b, err := json.Marshal(replaced(v, p, s))
				if err != nil {
					t.Fatal(err)
				}
				check(fmt.Sprintf("%s with %v at %v", f, s, p), b)
			}
		}
	}
	if withTypeErrors < 100 {
		t.Fatalf("only %d of %d variants have type errors: the test does not exercise the check", withTypeErrors, variants)
	}
	t.Logf("%d variants, %d with type errors", variants, withTypeErrors)
}
