package core

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
)

// FuzzLint checks the whole pipeline on any input: no panic, every range and
// every fix edit inside the text, diagnostics sorted.
func FuzzLint(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*/*.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		res := Lint(text, Options{})
		for i, d := range res.Diagnostics {
			checkRange(t, text, d.Range)
			for _, fx := range d.Fixes {
				for _, e := range fx.Edits {
					checkRange(t, text, e.Range)
				}
			}
			if i > 0 && diag.Compare(res.Diagnostics[i-1], d) > 0 {
				t.Fatalf("diagnostics not sorted at %d", i)
			}
			if d.Rule == "internal" {
				t.Fatalf("a rule panicked: %s", d.Message)
			}
		}
	})
}

func checkRange(t *testing.T, text []byte, r diag.Range) {
	t.Helper()
	if r.Start.Offset < 0 || r.End.Offset > len(text) || r.Start.Offset > r.End.Offset {
		t.Fatalf("range %d-%d outside text of %d bytes", r.Start.Offset, r.End.Offset, len(text))
	}
}
