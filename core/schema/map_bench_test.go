package schema

import (
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// BenchmarkMapErrors measures the error mapping alone: 1 MB job, one fault
// per op, gojsonschema's errors computed once outside the loop.
func BenchmarkMapErrors(b *testing.B) {
	s := mustNosana(b)
	text, faults := genJob(1<<20, true)
	doc := jsonast.Parse(text)
	res, err := s.gs.Validate(gojsonschema.NewRawLoader(doc.Root.Value()))
	if err != nil {
		b.Fatal(err)
	}
	errs := res.Errors()
	b.ReportAllocs()
	for b.Loop() {
		m := newMapper(s, doc)
		m.mapErrors(errs)
		if len(m.out) != faults {
			b.Fatalf("%d diagnostics for %d faults", len(m.out), faults)
		}
	}
	b.ReportMetric(float64(len(errs)), "errors")
}
