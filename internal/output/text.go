package output

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Text writes `path:line:col: severity: message [rule]` lines, each followed
// by the source line and a caret under the range, then a summary line.
func Text(w io.Writer, files []File, _ []*rule.Rule) error {
	for _, f := range files {
		var lines *diag.Lines
		for _, d := range f.Diagnostics {
			fmt.Fprintf(w, "%s:%d:%d: %s: %s [%s]\n", f.Path, d.Range.Start.Line, d.Range.Start.Column, d.Severity, d.Message, d.Rule)
			if f.Text == nil {
				continue
			}
			if lines == nil {
				lines = diag.NewLines(f.Text)
			}
			writeSnippet(w, lines, d.Range)
		}
	}
	s := Summarize(files)
	if s.Files == 0 {
		return nil // nothing was read; the reasons are on stderr
	}
	if s.Errors+s.Warnings+s.Infos == 0 {
		_, err := fmt.Fprintf(w, "%s checked: no problems\n", plural(s.Files, "file"))
		return err
	}
	_, err := fmt.Fprintf(w, "%s checked: %s, %s, %s\n", plural(s.Files, "file"), plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Infos, "info"))
	return err
}

// writeSnippet prints the line of r.Start and marks the range with ^~~~.
func writeSnippet(w io.Writer, lines *diag.Lines, r diag.Range) {
	n := r.Start.Line
	src := lines.Text()[lines.LineStart(n):lines.LineEnd(n)]
	if !utf8.Valid(src) || len(src) > 400 {
		return // binary or minified: a snippet would not help
	}
	line := strings.ReplaceAll(string(src), "\t", " ")
	width := 1
	if r.End.Line == r.Start.Line && r.End.Column > r.Start.Column {
		width = r.End.Column - r.Start.Column
	} else if r.End.Line > r.Start.Line {
		width = max(1, utf8.RuneCountInString(line)-r.Start.Column+1)
	}
	gutter := fmt.Sprintf("%4d | ", n)
	fmt.Fprintf(w, "%s%s\n", gutter, line)
	fmt.Fprintf(w, "%s| %s^%s\n", strings.Repeat(" ", len(gutter)-2), strings.Repeat(" ", r.Start.Column-1), strings.Repeat("~", width-1))
}
