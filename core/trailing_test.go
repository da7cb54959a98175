package core

import (
	"os"
	"testing"

	"github.com/jobkit-dev/jobkit/core/diag"
)

// TestTrailingText checks how text after the JSON document is graded: a
// warning for Nomad, which decodes the first value and ignores the rest,
// and still an error for formats whose readers reject it.
func TestTrailingText(t *testing.T) {
	nosana, err := os.ReadFile("testdata/nosana/ok/alias.json")
	if err != nil {
		t.Fatal(err)
	}
	nomad := `{"Job": {"ID": "x", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "Driver": "docker", "Config": {"image": "redis:7"}}]}]}}`
	for _, tc := range []struct {
		name, text string
		want       diag.Severity
	}{
		{"nomad", nomad + "\n{\"more\": 1}\n", diag.Warning},
		{"nomad garbage", nomad + " trailing", diag.Warning},
		{"nosana", string(nosana) + "\n{\"more\": 1}\n", diag.Error},
	} {
		t.Run(tc.name, func(t *testing.T) {
			found := false
			for _, d := range Lint([]byte(tc.text), Options{}).Diagnostics {
				if d.Rule != "json-syntax" {
					continue
				}
				found = true
				if d.Severity != tc.want {
					t.Errorf("%s: severity %s, want %s", d.Message, d.Severity, tc.want)
				}
			}
			if !found {
				t.Error("no json-syntax diagnostic for the trailing text")
			}
		})
	}
}
