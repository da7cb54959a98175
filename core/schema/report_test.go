package schema

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/jobkit-dev/jobkit/core/diag"
)

// TestReportMatchesEngine holds the reporter (report.go), which decides the
// keywords the pre-check evaluates without the engine, to one engine run over
// the same document: the same violations on the same nodes, and the same
// diagnostics once worded, on every differential input and every schema
// jobkit ships. It also checks that most documents with schema errors were
// decided without the engine at all, so the comparison is not the engine
// against itself.
func TestReportMatchesEngine(t *testing.T) {
	docs := differentialInputs(t)
	names := make([]string, 0, len(schemasUnderTest))
	for name := range schemasUnderTest {
		names = append(names, name)
	}
	sort.Strings(names)
	withErrors, decided := 0, 0
	for _, name := range names {
		text, err := os.ReadFile(schemasUnderTest[name])
		if err != nil {
			t.Fatal(err)
		}
		s, err := Compile(text, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			v := d.values[0]
			l := &locator{root: v.node}
			want := s.violations(l, v.value)
			r := reporter{s: s, l: l}
			if err := r.report(s.root, v.node, 0); err != nil {
				t.Fatalf("%s %s: %v", name, d.name, err)
			}
			got := keepAlone(r.out, r.alone)
			if len(want) > 0 {
				withErrors++
				if r.engineRuns == 0 {
					decided++
				}
			}
			if g, w := violationKeys(got), violationKeys(want); !reflect.DeepEqual(g, w) {
				t.Errorf("%s %s: the reporter's violations differ from the engine's:\n got %q\nwant %q", name, d.name, g, w)
				continue
			}
			gm, wm := newMapper(s, v.doc), newMapper(s, v.doc)
			gm.mapViolations(got)
			wm.mapViolations(want)
			if g, w := diag.Sort(gm.out), diag.Sort(wm.out); !reflect.DeepEqual(g, w) {
				t.Errorf("%s %s: the reporter's diagnostics differ from the engine's:\n got %v\nwant %v", name, d.name, messages(g), messages(w))
			}
		}
	}
	if decided < withErrors/2 {
		t.Errorf("the reporter decided only %d of the %d documents with schema errors without the engine", decided, withErrors)
	}
	t.Logf("%d documents with schema errors, %d of them decided without the engine", withErrors, decided)
}

// violationKeys renders violations as sorted "node kind" lines; the order
// of the unknown keys of one object, and of violations, is the engine's map
// order and does not count.
func violationKeys(vs []Violation) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		k := v.Kind
		switch x := k.(type) {
		case *kind.AdditionalProperties:
			p := slices.Clone(x.Properties)
			slices.Sort(p)
			k = &kind.AdditionalProperties{Properties: p}
		case *kind.Enum:
			k = &kind.Enum{Got: x.Got, Want: plainValues(x.Want)}
		case *kind.Const:
			k = &kind.Const{Got: x.Got, Want: plainValues([]any{x.Want})[0]}
		}
		out[i] = fmt.Sprintf("%d-%d %T %v", v.Node.Start, v.Node.End, k, kindFields(k))
	}
	slices.Sort(out)
	return out
}

// kindFields prints the fields of an error kind.
func kindFields(k jsonschema.ErrorKind) string {
	return fmt.Sprintf("%+v", k)
}

// TestEngineAtEveryNode checks that the engine finds every subschema the
// reporter may hand it (engineAt), at the place the tree says it is: a
// wrong place would validate a part against another subschema.
func TestEngineAtEveryNode(t *testing.T) {
	for name, path := range schemasUnderTest {
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Compile(text, Options{})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[*Node]bool{}
		var visit func(n *Node)
		visit = func(n *Node) {
			if n == nil || seen[n] {
				return
			}
			seen[n] = true
			js, err := s.engineAt(n)
			if err != nil {
				t.Errorf("%s %s: %v", name, n.where, err)
			} else if n != s.root && js.Location != schemaURL+n.where {
				t.Errorf("%s %s: the engine's subschema is at %s", name, n.where, js.Location)
			}
			for _, c := range []*Node{n.Target, n.Additional, n.Items, n.If, n.Then, n.Else, n.Not} {
				visit(c)
			}
			for _, cs := range [][]*Node{n.AllOf, n.AnyOf, n.OneOf} {
				for _, c := range cs {
					visit(c)
				}
			}
			for _, c := range n.Properties {
				visit(c)
			}
			for _, c := range n.DependentSchemas {
				visit(c)
			}
		}
		visit(s.root)
		t.Logf("%s: %d subschemas", name, len(seen))
	}
}
