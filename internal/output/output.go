// Package output renders lint results for people and machines: text with a
// source snippet, JSON, SARIF 2.1.0 and GitHub workflow annotations. One file
// per format. It lives outside core so the wasm build never links it.
package output

import (
	"fmt"
	"io"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// File is the lint result of one input.
type File struct {
	Path        string            `json:"path"`
	Format      rule.Format       `json:"format"`
	Text        []byte            `json:"-"`
	Diagnostics []diag.Diagnostic `json:"diagnostics"`
}

// Summary counts what a run found.
type Summary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// Summarize counts the diagnostics of files.
func Summarize(files []File) Summary {
	s := Summary{Files: len(files)}
	for _, f := range files {
		e, w, i := diag.Counts(f.Diagnostics)
		s.Errors += e
		s.Warnings += w
		s.Infos += i
	}
	return s
}

// Writer renders a whole run.
type Writer func(w io.Writer, files []File, rules []*rule.Rule) error

// Formats maps --format names to writers.
var Formats = map[string]Writer{
	"text":   Text,
	"json":   JSON,
	"sarif":  SARIF,
	"github": GitHub,
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
