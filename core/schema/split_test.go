package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// TestSplitMatchesWholeRun holds Validate, which runs the engine only on the
// parts of a document the pre-check cannot clear, to the diagnostics of one
// engine run over the whole document, on every differential input (testdata,
// examples with each leaf swapped, fuzz seeds, generated jobs) and every
// schema jobkit ships.
func TestSplitMatchesWholeRun(t *testing.T) {
	docs := differentialInputs(t)
	names := make([]string, 0, len(schemasUnderTest))
	for name := range schemasUnderTest {
		names = append(names, name)
	}
	sort.Strings(names)
	compared, withErrors := 0, 0
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
			v := d.values[0] // the whole document
			got := s.Validate(v.doc)
			want := wholeRun(s, v.doc)
			compared++
			if len(want) > 0 {
				withErrors++
			}
			// An empty result may be nil or not (it was so before the split).
			if (len(got) > 0 || len(want) > 0) && !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s: split validation differs from one whole run:\n got %d: %v\nwant %d: %v", name, d.name, len(got), messages(got), len(want), messages(want))
			}
		}
	}
	if withErrors == 0 || withErrors == compared {
		t.Errorf("%d of %d documents have schema errors: the inputs do not exercise both outcomes", withErrors, compared)
	}
	t.Logf("%d documents compared, %d with schema errors", compared, withErrors)
}

// wholeRun is Validate as it was before the split: the engine over the
// document's whole value, every violation mapped.
func wholeRun(s *Schema, doc *jsonast.Document) []diag.Diagnostic {
	m := newMapper(s, doc)
	m.mapViolations(s.violations(m.loc, doc.Root.Value()))
	if len(m.out) == 0 {
		return nil
	}
	return diag.Sort(m.out)
}

func messages(ds []diag.Diagnostic) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = fmt.Sprintf("%d-%d %s", d.Range.Start.Offset, d.Range.End.Offset, d.Message)
	}
	return out
}

// FuzzSplitMatchesWholeRun holds Validate (the split and the reporter) to
// one engine run over the whole document on arbitrary text.
func FuzzSplitMatchesWholeRun(f *testing.F) {
	files, _ := filepath.Glob("../testdata/nosana/*/*.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	s := mustNosana(f)
	f.Fuzz(func(t *testing.T, text []byte) {
		doc := jsonast.Parse(text)
		if doc.Root == nil || doc.Root.Kind == jsonast.Invalid {
			return
		}
		got, want := s.Validate(doc), wholeRun(s, doc)
		if (len(got) > 0 || len(want) > 0) && !reflect.DeepEqual(got, want) {
			t.Fatalf("split validation differs from one whole run:\n got %v\nwant %v", messages(got), messages(want))
		}
	})
}
