//go:build !js

// The mutation test runs natively (with -race in make test); the wasm run of
// the core checks the build, not the engine verdicts again.

package nomad

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/nomad/api"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// The mutation test takes every valid Nomad job of the project's testdata,
// changes it one value or key at a time (wrong JSON types, negative numbers,
// fractions, numbers beyond int64, durations as strings, removed and
// re-cased keys, unknown keys, broken interpolation) and compares jobkit with
// what Nomad is known to do:
//
//   - the engine rejects a mutant when encoding/json cannot decode it into
//     api.Job (the first thing Nomad's HTTP API does), or when a rule of the
//     reference (/work/shared/specs/nomad-reference.md, quoted next to each
//     predicate in nomadRejects) fails on the job after api's Canonicalize;
//     jobkit must then report an error;
//   - a casing, null or zero mutant that decodes and canonicalizes to the very
//     same api.Job as its (clean) seed is the job Nomad sees anyway; jobkit
//     must not report an error on it.
//
// Mutants that neither oracle decides are counted, not asserted: values
// Nomad only judges on the client (`${...}` in driver Config, which the
// client evaluates as HCL, so an unknown variable fails the task there), and
// unknown keys, which Nomad's decoder drops and jobkit reports as
// nomad-unknown-key errors on purpose (the value the user wrote is lost).
// `go test -v -run TestMutations` prints the counts per kind of mutant.

// mutationSeeds are the valid Nomad jobs of the project, or, when
// JOBKIT_MUTATION_DIR names a directory, its *.json jobs: that measures the
// test on jobs that must not be copied into the project (the shared
// corpora); seeds jobkit or the oracle rejects are then skipped, not failed.
func mutationSeeds(t *testing.T) (files []string, external bool) {
	t.Helper()
	if dir := os.Getenv("JOBKIT_MUTATION_DIR"); dir != "" {
		files, _ = filepath.Glob(filepath.Join(dir, "*.json"))
		if len(files) == 0 {
			t.Fatalf("JOBKIT_MUTATION_DIR=%s holds no *.json", dir)
		}
		return files, true
	}
	for _, g := range []string{
		filepath.Join(testdata, "ok", "*.json"),
		filepath.Join("testdata", "engine", "*.ok.json"),
		filepath.Join("testdata", "realworld", "*.json"),
		filepath.Join("..", "..", "examples", "nomad-*.json"),
	} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	if len(files) < 40 {
		t.Fatalf("only %d seed jobs", len(files))
	}
	return files, false
}

// mutant is one changed job: what was changed (kind), where (path) and the
// JSON text.
type mutant struct {
	kind, path string
	text       []byte
}

// step is one element of a path in the generic JSON tree: a key or an index.
type step struct {
	key   string
	index int
}

func pathString(p []step) string {
	var b strings.Builder
	for _, s := range p {
		if s.key != "" {
			b.WriteString("." + s.key)
		} else {
			fmt.Fprintf(&b, "[%d]", s.index)
		}
	}
	return strings.TrimPrefix(b.String(), ".")
}

// decodeTree reads JSON keeping numbers as written (json.Number), so that a
// mutant can carry 1.5 or 6e+10 exactly.
func decodeTree(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

func cloneTree(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = cloneTree(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneTree(e)
		}
		return out
	}
	return v
}

// edit returns a copy of root with f applied to the container holding the
// node at p (the last step names the node inside it).
func edit(root any, p []step, f func(parent any, last step)) any {
	c := cloneTree(root)
	var parent any = c
	for _, s := range p[:len(p)-1] {
		if s.key != "" {
			parent = parent.(map[string]any)[s.key]
		} else {
			parent = parent.([]any)[s.index]
		}
	}
	f(parent, p[len(p)-1])
	return c
}

func setChild(parent any, s step, v any) {
	if s.key != "" {
		parent.(map[string]any)[s.key] = v
	} else {
		parent.([]any)[s.index] = v
	}
}

// replaceAt returns root with the node at p replaced by v.
func replaceAt(root any, p []step, v any) any {
	return edit(root, p, func(parent any, last step) { setChild(parent, last, v) })
}

// kindOf names the JSON type of a generic value.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "bool"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return "?"
}

// typeSamples are the replacement values of the wrong-type mutants.
var typeSamples = map[string]any{
	"string": "x",
	"number": json.Number("7"),
	"bool":   true,
	"object": map[string]any{},
	"array":  []any{},
}

// dataMaps are objects whose keys are data, not field names: their keys are
// case-sensitive and any key is allowed, so key mutants do not apply.
var dataMaps = map[string]bool{"Config": true, "Env": true, "Meta": true, "GetterOptions": true,
	"GetterHeaders": true, "Labels": true, "Tags": false}

// mutants enumerates every mutant of the tree.
func mutants(root any) []mutant {
	var out []mutant
	add := func(kind string, p []step, tree any) {
		b, err := json.Marshal(tree)
		if err != nil {
			panic(err)
		}
		out = append(out, mutant{kind: kind, path: pathString(p), text: b})
	}
	var walk func(v any, p []step, inData bool)
	walk = func(v any, p []step, inData bool) {
		if len(p) > 0 {
			k := kindOf(v)
			for _, to := range []string{"string", "number", "bool", "object", "array"} {
				if to != k {
					add("type:"+k+"->"+to, p, replaceAt(root, p, typeSamples[to]))
				}
			}
			if k != "null" {
				add("null", p, replaceAt(root, p, nil))
			}
			switch x := v.(type) {
			case json.Number:
				f, _ := x.Float64()
				neg := json.Number("-1")
				if f != 0 {
					neg = json.Number(strconv.FormatFloat(-f, 'f', -1, 64))
				}
				add("negative", p, replaceAt(root, p, neg))
				add("fraction", p, replaceAt(root, p, json.Number(strconv.FormatFloat(f+0.5, 'f', -1, 64))))
				add("exponent", p, replaceAt(root, p, json.Number(strconv.FormatFloat(f, 'e', -1, 64))))
				add("zero", p, replaceAt(root, p, json.Number("0")))
				add("overflow", p, replaceAt(root, p, json.Number("9223372036854775808")))
				add("duration-string", p, replaceAt(root, p, "30s"))
				add("numeric-string", p, replaceAt(root, p, x.String()))
			case string:
				add("zero", p, replaceAt(root, p, ""))
				add("interp-unterminated", p, replaceAt(root, p, x+"${NOMAD_META_x"))
				add("interp-unknown", p, replaceAt(root, p, "${nomad.bogus}"))
				add("interp-empty", p, replaceAt(root, p, "${}"))
				add("space", p, replaceAt(root, p, x+" x"))
			case bool:
				add("zero", p, replaceAt(root, p, false))
				add("bool-string", p, replaceAt(root, p, strconv.FormatBool(x)))
			case []any:
				if len(x) > 0 {
					add("zero", p, replaceAt(root, p, []any{}))
				}
			}
		}
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if !inData && len(p) > 0 {
				add("unknown-key", p, replaceAt(root, p, withKey(x, "BogusField", json.Number("1"))))
			}
			for _, k := range keys {
				kp := append(append([]step(nil), p...), step{key: k})
				add("removed-key", kp, edit(root, kp, func(parent any, last step) {
					delete(parent.(map[string]any), last.key)
				}))
				if !inData {
					for kind, nk := range map[string]string{"lower-key": strings.ToLower(k), "upper-key": strings.ToUpper(k)} {
						if nk == k {
							continue
						}
						add(kind, kp, edit(root, kp, func(parent any, last step) {
							m := parent.(map[string]any)
							m[nk] = m[last.key]
							delete(m, last.key)
						}))
					}
				}
				walk(x[k], kp, inData || dataMaps[k])
			}
		case []any:
			for i, e := range x {
				walk(e, append(append([]step(nil), p...), step{index: i}), inData)
			}
		}
	}
	walk(root, nil, false)
	return out
}

func withKey(m map[string]any, k string, v any) map[string]any {
	out := cloneTree(m).(map[string]any)
	out[k] = v
	return out
}

// apiJob decodes a document the way Nomad's HTTP API does: a {"Job": ...}
// wrapper (matched case-insensitively) or, as `nomad job run -json` also
// accepts, a bare job. It returns the decode error Nomad would report.
func apiJob(text []byte) (*api.Job, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(text, &probe); err != nil {
		return nil, err
	}
	wrapped := false
	for k := range probe {
		wrapped = wrapped || strings.EqualFold(k, "Job")
	}
	var job *api.Job
	if wrapped {
		var w struct{ Job *api.Job }
		if err := json.Unmarshal(text, &w); err != nil {
			return nil, err
		}
		job = w.Job
	} else if err := json.Unmarshal(text, &job); err != nil {
		return nil, err
	}
	if job == nil {
		job = &api.Job{}
	}
	return job, nil
}

// canonical is the job Nomad validates: decoded, then api's Canonicalize.
// A panic in Canonicalize (a null list element) means Nomad never gets to
// accept the job; it is returned as an error.
func canonical(text []byte) (job *api.Job, err error) {
	job, err = apiJob(text)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			job, err = nil, fmt.Errorf("api Canonicalize panics: %v", r)
		}
	}()
	job.Canonicalize()
	return job, nil
}

func hasError(ds []diag.Diagnostic) (bool, string) {
	for _, d := range ds {
		if d.Severity == diag.Error {
			return true, d.Rule + ": " + d.Message
		}
	}
	return false, ""
}

// reverseKinds are the mutants that must stay clean when Nomad sees the
// same job as for the seed.
var reverseKinds = map[string]bool{"lower-key": true, "upper-key": true, "null": true, "zero": true, "removed-key": true}

// knownGap names the parts of a job whose decode errors jobkit does not
// check yet, counted instead of failing: the catalogue describes the blocks
// inside Connect's Gateway and sidecar Proxy as opaque objects (their api
// types are large and nested), so a wrong type inside them is not reported.
func knownGap(path string) bool {
	for _, p := range []string{".Gateway.Proxy.", ".Gateway.Ingress.", ".Gateway.Terminating.", ".Gateway.Mesh.",
		".Proxy.Expose.", ".Proxy.ExposeConfig.", ".Proxy.Upstreams[", ".Proxy.TransparentProxy."} {
		if strings.Contains(path, p) {
			return true
		}
	}
	return false
}

// TestMutations is the mutation test described at the top of this file.
func TestMutations(t *testing.T) {
	seen := map[string]bool{}
	var total, rejected, decodeRejects, oracleRejects, misses, gaps, same, reverse int
	kinds := map[string][3]int{} // kind -> total, engine rejects, jobkit errors on the undecided
	var undecidedUnknown, unknownErr int
	seeds, external := mutationSeeds(t)
	skip := t.Errorf
	if external {
		skip = t.Logf
	}
	for _, f := range seeds {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		root, err := decodeTree(b)
		if err != nil {
			skip("%s: %v", f, err)
			continue
		}
		seedText, _ := json.Marshal(root)
		if bad, msg := hasError(lint(seedText, rule.Options{})); bad {
			skip("%s: seed is not clean: %s", f, msg)
			continue
		}
		seedJob, err := canonical(seedText)
		if err != nil {
			skip("%s: %v", f, err)
			continue
		}
		if why := nomadRejects(seedJob); why != "" {
			skip("%s: the oracle rejects a seed jobkit passes: %s", f, why)
			continue
		}
		// What `nomad job run -output` prints for the seed (every default
		// filled in, zero values and nulls included) must stay clean too. The
		// api module in go.mod is newer than 1.9: lint as its version.
		output, err := json.Marshal(struct{ Job *api.Job }{seedJob})
		if err != nil {
			t.Fatal(err)
		}
		if bad, msg := hasError(lint(output, rule.Options{NomadVersion: "2.0"})); bad {
			t.Errorf("%s: its canonical (-output) form gets an error: %s", f, msg)
		}
		for i, m := range mutants(root) {
			if seen[string(m.text)] || testing.Short() && i%7 != 0 {
				continue // -short: every 7th mutant
			}
			seen[string(m.text)] = true
			total++
			k := kinds[m.kind]
			k[0]++
			jkErr, jkMsg := hasError(lint(m.text, rule.Options{}))
			job, err := canonical(m.text)
			why := ""
			switch {
			case err != nil:
				why = "decode: " + err.Error()
				decodeRejects++
			default:
				why = nomadRejects(job)
				if why != "" {
					oracleRejects++
				}
			}
			if why != "" {
				rejected++
				k[1]++
				if !jkErr && knownGap(m.path) {
					gaps++
				} else if !jkErr {
					misses++
					t.Errorf("%s: %s at %s: Nomad rejects (%s), jobkit reports no error\n%s", filepath.Base(f), m.kind, m.path, why, m.text)
				}
			} else {
				if jkErr {
					k[2]++
				}
				if m.kind == "unknown-key" {
					undecidedUnknown++
					if jkErr {
						unknownErr++
					} else if testing.Verbose() {
						t.Logf("unknown key without an error: %s at %s", filepath.Base(f), m.path)
					}
				}
				if reverseKinds[m.kind] && reflect.DeepEqual(job, seedJob) {
					same++
					if jkErr {
						reverse++
						t.Errorf("%s: %s at %s: Nomad sees the same job as the clean seed, jobkit says %s\n%s", filepath.Base(f), m.kind, m.path, jkMsg, m.text)
					}
				}
			}
			kinds[m.kind] = k
		}
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Logf("%-22s mutants %5d  Nomad rejects %5d  undecided with a jobkit error %5d", n, kinds[n][0], kinds[n][1], kinds[n][2])
	}
	t.Logf("mutants %d; Nomad rejects %d (decode %d, validation oracle %d); jobkit misses %d (known gaps %d); same job as the seed %d, of which jobkit errors on %d; unknown keys (Nomad drops them) %d, jobkit errors on %d",
		total, rejected, decodeRejects, oracleRejects, misses, gaps, same, reverse, undecidedUnknown, unknownErr)
	if !testing.Short() && !external && total < 10000 {
		t.Errorf("only %d mutants", total)
	}
}

// TestMutationOracle checks the two engine verdicts the mutation test relies
// on, on jobs whose verdict the reference states: a decode error, a
// validation rule after api's defaults, and jobs Nomad accepts.
func TestMutationOracle(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		reject     bool
	}{
		{"valid", job("", ""), false},
		{"duration as a string", job("", `"KillTimeout": "30s",`), true},
		{"fraction in an int", job("", `"Resources": {"CPU": 100.5},`), true},
		{"negative count", strings.Replace(job("", ""), `"Name": "g",`, `"Name": "g", "Count": -1,`, 1), true},
		{"count absent gets 1", job("", ""), false},
		{"Cores 0 leaves CPU 0", job("", `"Resources": {"Cores": 0},`), true},
		{"empty address mode is auto", job("", `"Services": [{"Name": "web", "AddressMode": "", "Provider": "nomad"}],`), false},
		{"lower-case keys", strings.ToLower(job("", "")), false},
		{"unknown key is dropped", job(`"Bogus": 1,`, ""), false},
		{"null task", strings.Replace(job("", ""), `"Tasks": [`, `"Tasks": [null, `, 1), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j, err := canonical([]byte(tc.text))
			why := ""
			if err != nil {
				why = err.Error()
			} else {
				why = nomadRejects(j)
			}
			if (why != "") != tc.reject {
				t.Errorf("oracle says %q, want reject=%v", why, tc.reject)
			}
		})
	}
}
