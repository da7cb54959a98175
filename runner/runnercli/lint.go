package runnercli

import (
	"fmt"
	"io"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
)

// printDiagnostics writes diagnostics like `jobkit lint` text output:
// path:line:col: severity: message [rule-id]. It returns the error count.
func printDiagnostics(w io.Writer, path string, res *core.Result, showInfo bool) int {
	errs := 0
	for _, d := range res.Diagnostics {
		if d.Severity == diag.Error {
			errs++
		}
		if d.Severity == diag.Info && !showInfo {
			continue
		}
		fmt.Fprintf(w, "%s:%d:%d: %s: %s [%s]\n", path, d.Range.Start.Line, d.Range.Start.Column, d.Severity, d.Message, d.Rule)
	}
	return errs
}
