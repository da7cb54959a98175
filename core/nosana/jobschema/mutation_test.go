//go:build !js

package jobschema_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/nosana/jobschema"
)

// TestMutations mutates every valid Nosana testdata job and example in many
// small ways (a value of the wrong type, a missing field, an unknown or
// re-cased key, a re-cased enum value, odd numbers standing for ports and
// durations, literals in any string) and runs the official validator over
// all of them in one node process. jobkit must report an error on every
// mutant the official validator rejects: a job that fails to post must never
// lint clean. (The reverse is allowed: jobkit's rules also catch what the
// node would fail on.)
func TestMutations(t *testing.T) {
	dir := jobschema.InstallOfficial(t)
	seeds := validSeeds(t)
	if len(seeds) < 10 {
		t.Fatalf("only %d valid seed jobs", len(seeds))
	}
	out := t.TempDir()
	var files []string
	origin := map[string]string{}
	for _, s := range seeds {
		for _, m := range mutants(s.job) {
			text, err := json.MarshalIndent(m.job, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			f := filepath.Join(out, fmt.Sprintf("m%05d.json", len(files)))
			if err := os.WriteFile(f, text, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
			origin[f] = s.name + ": " + m.what
		}
	}
	official := jobschema.RunOfficial(t, dir, files)
	var missed []string
	rejected, caught := 0, 0
	for _, f := range files {
		v, ok := official[f]
		if !ok {
			t.Fatalf("%s (%s): the official validator gave no verdict", f, origin[f])
		}
		if v.Valid {
			continue
		}
		rejected++
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if hasError(core.Lint(text, core.Options{}).Diagnostics) {
			caught++
			continue
		}
		missed = append(missed, fmt.Sprintf("%s: official: %s", origin[f], strings.Join(v.Errors, "; ")))
	}
	sort.Strings(missed)
	for _, m := range missed {
		t.Errorf("jobkit reports no error: %s", m)
	}
	t.Logf("%d seeds, %d mutants, %d rejected by @nosana/types, %d of those caught by jobkit", len(seeds), len(files), rejected, caught)
}

func hasError(ds []diag.Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == diag.Error {
			return true
		}
	}
	return false
}

type seed struct {
	name string
	job  any
}

// validSeeds returns the Nosana testdata jobs and examples that lint
// without errors.
func validSeeds(t *testing.T) []seed {
	t.Helper()
	var paths []string
	for _, p := range []string{"../../testdata/nosana/ok/*.json", "../../../examples/*.json", "testdata/conformance/*.json"} {
		m, _ := filepath.Glob(p)
		paths = append(paths, m...)
	}
	var out []seed
	for _, p := range paths {
		text, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		res := core.Lint(text, core.Options{})
		if res.Format != "nosana" || hasError(res.Diagnostics) {
			continue
		}
		var job any
		if err := json.Unmarshal(text, &job); err != nil {
			continue
		}
		out = append(out, seed{name: filepath.Base(p), job: job})
	}
	return out
}

type mutant struct {
	what string
	job  any
}

// mutants returns the job with one change at a time, at every place of it.
func mutants(job any) []mutant {
	var out []mutant
	var walk func(path string, v any, set func(any), del func())
	walk = func(path string, v any, set func(any), del func()) {
		try := func(what string, nv any) {
			set(nv)
			out = append(out, mutant{what: path + ": " + what, job: deepCopy(job)})
			set(v)
		}
		for _, w := range wrongValues(v) {
			try(w.what, w.v)
		}
		if del != nil {
			del()
			out = append(out, mutant{what: path + ": removed", job: deepCopy(job)})
			set(v)
		}
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			x["x_unknown"] = true
			out = append(out, mutant{what: path + ": unknown key", job: deepCopy(job)})
			delete(x, "x_unknown")
			for _, k := range keys {
				kv := x[k]
				if up := strings.ToUpper(k[:1]) + k[1:]; up != k {
					delete(x, k)
					x[up] = kv
					out = append(out, mutant{what: path + "." + k + ": key re-cased", job: deepCopy(job)})
					delete(x, up)
					x[k] = kv
				}
				walk(path+"."+k, kv, func(nv any) { x[k] = nv }, func() { delete(x, k) })
			}
		case []any:
			for i := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), x[i], func(nv any) { x[i] = nv }, nil)
			}
		}
	}
	walk("$", job, func(any) {}, nil)
	return out
}

type change struct {
	what string
	v    any
}

// wrongValues lists replacements for v: other JSON types, odd numbers, and
// strings that differ by case or are literals.
func wrongValues(v any) []change {
	switch x := v.(type) {
	case string:
		cs := []change{{"number for string", 8080}, {"bool for string", true}, {"null", nil},
			{"ops literal", "%%ops.nope.host%%"}, {"global literal", "%%global.job%%"}, {"globals literal", "%%globals.variables.X%%"},
			{"duration text", "30s"}}
		if up := strings.ToUpper(x); up != x {
			cs = append(cs, change{"upper case", up})
		}
		return cs
	case float64:
		return []change{{"string for number", fmt.Sprint(x)}, {"negative", -x - 1}, {"fraction", x + 0.5}, {"zero", 0}, {"huge", 1e12}, {"null", nil}}
	case bool:
		return []change{{"string for bool", fmt.Sprint(x)}, {"number for bool", 1}, {"null", nil}}
	case []any:
		return []change{{"object for array", map[string]any{}}, {"string for array", "a"}, {"empty array", []any{}}}
	case map[string]any:
		return []change{{"array for object", []any{}}, {"string for object", "x"}, {"empty object", map[string]any{}}}
	}
	return nil
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = deepCopy(e)
		}
		return s
	}
	return v
}
