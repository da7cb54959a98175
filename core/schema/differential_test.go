package schema

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// schemasUnderTest are the schemas jobkit ships, by a short name.
var schemasUnderTest = map[string]string{
	"nosana": "../nosana/jobschema/schema.json",
	"nomad":  "../nomad/jobschema/schema.json",
}

// explainedDifferences are the documents on which the product's engine
// (santhosh-tekuri/jsonschema/v6) and gojsonschema v1.2.0, the second
// opinion, give different verdicts, keyed by "<schema> <document>", each
// with the reason. Anything else that differs fails the test.
var explainedDifferences = map[string]string{}

// TestDifferential validates every testdata document, example and fuzz seed
// input, against every schema jobkit ships, with both engines, and fails on
// any verdict that differs and is not explained above. The pre-check
// (precheck.go) is held to the product engine's verdict wherever it gives
// one.
func TestDifferential(t *testing.T) {
	docs := differentialInputs(t)
	if len(docs) < 200 {
		t.Fatalf("only %d documents found: the test would prove little", len(docs))
	}
	names := make([]string, 0, len(schemasUnderTest))
	for name := range schemasUnderTest {
		names = append(names, name)
	}
	sort.Strings(names)
	seen := map[string]bool{}
	compared, invalid, prechecked := 0, 0, 0
	for _, name := range names {
		text, err := os.ReadFile(schemasUnderTest[name])
		if err != nil {
			t.Fatal(err)
		}
		ours, _, err := compileEngine(text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tree, err := Compile(text, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sl := gojsonschema.NewSchemaLoader()
		sl.Draft = gojsonschema.Draft7
		sl.AutoDetect = false
		theirs, err := sl.Compile(gojsonschema.NewBytesLoader(text))
		if err != nil {
			t.Fatalf("%s: gojsonschema: %v", name, err)
		}
		for _, d := range docs {
			for _, v := range d.values {
				key := name + " " + d.name + v.where
				res, err := theirs.Validate(gojsonschema.NewRawLoader(v.value))
				if err != nil {
					t.Fatalf("%s: gojsonschema: %v", key, err)
				}
				want := res.Valid()
				ourErr := ours.Validate(v.value)
				got := ourErr == nil
				compared++
				if !got {
					invalid++
				}
				if pv := tree.precheck(tree.root, v.node, 0); pv != unknown {
					prechecked++
					if (pv == valid) != got {
						t.Errorf("%s: the pre-check says valid=%v, jsonschema/v6 says valid=%v (%v)", key, pv == valid, got, ourErr)
					}
				}
				if got == want {
					continue
				}
				if why, ok := explainedDifferences[key]; ok {
					seen[key] = true
					t.Logf("%s: verdicts differ as explained: %s", key, why)
					continue
				}
				t.Errorf("%s: jsonschema/v6 says valid=%v, gojsonschema says valid=%v\n  v6: %v\n  gojsonschema: %v", key, got, want, ourErr, res.Errors())
			}
		}
	}
	for key := range explainedDifferences {
		if !seen[key] {
			t.Errorf("%s: listed as a known difference but the verdicts agree: remove it from explainedDifferences", key)
		}
	}
	if invalid == 0 || invalid == compared {
		t.Errorf("%d of %d verdicts are 'invalid': the inputs do not exercise both outcomes", invalid, compared)
	}
	if prechecked < compared/2 {
		t.Errorf("the pre-check decided only %d of %d verdicts", prechecked, compared)
	}
	t.Logf("%d verdicts compared, %d invalid, %d decided by the pre-check too", compared, invalid, prechecked)
}

// diffInput is one document and the values of it to validate.
type diffInput struct {
	name   string
	values []diffValue
}

type diffValue struct {
	where string // "" for the whole document, " .Job" for the Nomad job inside
	value any
	node  *jsonast.Node // the scanned tree value was taken from
	doc   *jsonast.Document
}

// differentialInputs collects the documents: every JSON file under the
// core's testdata folders and examples/, every fuzz corpus entry, and the
// generated benchmark jobs. Text without a root value is skipped (no engine
// sees it); documents are validated as the product validates them
// (Node.Value, which leaves out what did not scan), and a Nomad "Job"
// member on its own. Each example is also validated with every leaf value
// swapped, one at a time, for values of other types and ranges.
func differentialInputs(t *testing.T) []diffInput {
	t.Helper()
	var out []diffInput
	add := func(name string, text []byte) {
		doc := jsonast.Parse(text)
		if doc.Root == nil || doc.Root.Kind == jsonast.Invalid {
			return
		}
		in := diffInput{name: name, values: []diffValue{{"", doc.Root.Value(), doc.Root, doc}}}
		if job := doc.Root.Get("Job"); job != nil && job.Kind != jsonast.Invalid {
			in.values = append(in.values, diffValue{" .Job", job.Value(), job, doc})
		}
		out = append(out, in)
	}
	eachJSONText(t, func(rel string, text []byte, fuzz bool) {
		switch {
		case fuzz:
			add(rel, text)
		case (strings.Contains(rel, "/testdata/") || strings.Contains(rel, "examples/")) && !strings.HasSuffix(rel, "schema.json"):
			add(rel, text)
			if strings.Contains(rel, "examples/") {
				out = append(out, leafSwaps(t, rel, jsonast.Parse(text).Root.Value())...)
			}
		}
	})
	for _, size := range []int{2 << 10, 20 << 10} {
		for _, faults := range []bool{false, true} {
			text, _ := genJob(size, faults)
			add(fmt.Sprintf("genJob(%d, %v)", size, faults), text)
		}
	}
	return out
}

// eachJSONText calls fn with every JSON text the core's tests hold: each
// .json file under core/ and examples/ (rel is its slash path), and each
// entry of every Go fuzz corpus there (rel is the corpus file's path with
// "#i", fuzz true).
func eachJSONText(t *testing.T, fn func(rel string, text []byte, fuzz bool)) {
	t.Helper()
	for _, root := range []string{"..", "../../examples"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel := filepath.ToSlash(p)
			switch {
			case strings.Contains(rel, "/testdata/fuzz/"):
				for i, text := range fuzzEntries(t, p) {
					fn(fmt.Sprintf("%s#%d", rel, i), text, true)
				}
			case strings.HasSuffix(p, ".json"):
				text, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				fn(rel, text, false)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// fuzzEntries reads the string and []byte values of a Go fuzz corpus file.
func fuzzEntries(t *testing.T, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Text()
		for _, prefix := range []string{"string(", "[]byte("} {
			if rest, ok := strings.CutPrefix(line, prefix); ok && strings.HasSuffix(rest, ")") {
				if s, err := strconv.Unquote(strings.TrimSuffix(rest, ")")); err == nil {
					out = append(out, []byte(s))
				}
			}
		}
	}
	return out
}

// leafSwaps returns v with each leaf replaced, one at a time, by each of a
// few values of other types and ranges.
func leafSwaps(t *testing.T, name string, v any) []diffInput {
	t.Helper()
	swaps := []any{"x", json.Number("1.5"), json.Number("-300"), json.Number("70000"), true, nil, []any{}, map[string]any{}}
	var out []diffInput
	var walk func(cur any, path string, set func(any))
	walk = func(cur any, path string, set func(any)) {
		switch x := cur.(type) {
		case map[string]any:
			for k, e := range x {
				walk(e, path+"."+k, func(n any) { x[k] = n })
			}
		case []any:
			for i, e := range x {
				walk(e, fmt.Sprintf("%s[%d]", path, i), func(n any) { x[i] = n })
			}
		default:
			for i, sw := range swaps {
				set(sw)
				text, err := json.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				doc := jsonast.Parse(text)
				out = append(out, diffInput{name: fmt.Sprintf("%s with %s=swap%d", name, path, i), values: []diffValue{{"", doc.Root.Value(), doc.Root, doc}}})
			}
			set(cur)
		}
	}
	walk(v, "", func(any) {})
	return out
}
