package nomad

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jobkit-dev/jobkit/core/rule"
)

// FuzzNomad checks that linting never panics (a rule that panics is turned
// into an "internal error" diagnostic, which counts as a failure here) and
// that every range lies within the text.
func FuzzNomad(f *testing.F) {
	for _, dir := range []string{"ok", "err"} {
		files, _ := filepath.Glob(filepath.Join(testdata, dir, "*.json"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	if b, err := os.ReadFile(filepath.Join(testdata, "seed.json")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		for _, v := range []string{"1.9", "1.4"} {
			for _, d := range lint(text, rule.Options{NomadVersion: v}) {
				if d.Rule == "internal" || len(d.Message) > 8 && d.Message[:8] == "internal" {
					t.Fatalf("internal error: %s", d.Message)
				}
				s, e := d.Range.Start.Offset, d.Range.End.Offset
				if s < 0 || e < s || e > len(text) {
					t.Fatalf("range [%d,%d) outside text of %d bytes: %s", s, e, len(text), d.Message)
				}
				for _, fx := range d.Fixes {
					for _, ed := range fx.Edits {
						if ed.Range.Start.Offset < 0 || ed.Range.End.Offset > len(text) || ed.Range.End.Offset < ed.Range.Start.Offset {
							t.Fatalf("fix edit outside text: %+v", ed.Range)
						}
					}
				}
			}
		}
	})
}
