package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// GitHub writes workflow-command annotations (::error file=…,line=…::msg)
// that GitHub Actions shows on the pull request.
func GitHub(w io.Writer, files []File, _ []*rule.Rule) error {
	for _, f := range files {
		for _, d := range f.Diagnostics {
			level := map[diag.Severity]string{diag.Error: "error", diag.Warning: "warning", diag.Info: "notice"}[d.Severity]
			_, err := fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n", level,
				ghProperty(f.Path), d.Range.Start.Line, d.Range.Start.Column, d.Range.End.Line, d.Range.End.Column,
				ghProperty("jobkit "+d.Rule), ghData(d.Message))
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
