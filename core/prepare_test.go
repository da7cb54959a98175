package core

import (
	"testing"

	"github.com/jobkit-dev/jobkit/core/rule"
)

// TestPrepare: every format prepares (its embedded schema compiles for the
// engine), and an unknown one says what formats there are.
func TestPrepare(t *testing.T) {
	for f := range formats {
		if err := Prepare(f); err != nil {
			t.Errorf("Prepare(%s): %v", f, err)
		}
	}
	if err := Prepare(rule.Format("yaml")); err == nil || err.Error() != `unknown format "yaml" (want nosana or nomad)` {
		t.Errorf("Prepare(yaml) = %v, want an unknown-format error", err)
	}
}
