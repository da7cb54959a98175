package schema

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// FuzzValidate feeds arbitrary text through the scanner and the Nosana
// schema: nothing may panic, and every diagnostic must lie inside the text.
func FuzzValidate(f *testing.F) {
	files, _ := filepath.Glob("../testdata/nosana/*/*.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	s := mustNosana(f)
	f.Fuzz(func(t *testing.T, text []byte) {
		for _, d := range s.Validate(jsonast.Parse(text)) {
			if d.Rule == "internal" {
				t.Fatalf("internal error: %s", d.Message)
			}
			if d.Range.Start.Offset < 0 || d.Range.End.Offset > len(text) || d.Range.Start.Offset > d.Range.End.Offset {
				t.Fatalf("range %+v outside the text (%d bytes): %s", d.Range, len(text), d.Message)
			}
			for _, fix := range d.Fixes {
				for _, e := range fix.Edits {
					if e.Range.Start.Offset > e.Range.End.Offset || e.Range.End.Offset > len(text) {
						t.Fatalf("fix %q edits outside the text", fix.Title)
					}
				}
			}
		}
	})
}
