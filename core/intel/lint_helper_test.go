package intel

import (
	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
)

// lintAll lints text exactly as every face of jobkit does.
func lintAll(text []byte) []diag.Diagnostic {
	return core.Lint(text, core.Options{}).Diagnostics
}
