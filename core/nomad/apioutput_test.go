package nomad

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/nomad/api"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// TestCanonicalizedOutputIsClean decodes every good example into api.Job,
// lets Nomad's API client fill in its defaults (Canonicalize), and lints the
// result: what Nomad itself prints must not be an error for jobkit.
func TestCanonicalizedOutputIsClean(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testdata, "ok", "*.json"))
	if len(files) < 20 {
		t.Fatalf("only %d good examples", len(files))
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var wrapped struct{ Job *api.Job }
		if err := json.Unmarshal(b, &wrapped); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		wrapped.Job.Canonicalize()
		out, err := json.MarshalIndent(wrapped, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		// The api module in go.mod is newer than 1.9: lint as its version.
		for _, d := range lint(out, rule.Options{NomadVersion: "2.0"}) {
			if d.Severity == diag.Error {
				t.Errorf("%s canonicalized: %s: %s [%s]", filepath.Base(p), d.Path, d.Message, d.Rule)
			}
		}
	}
}
