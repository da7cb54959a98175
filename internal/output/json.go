package output

import (
	"encoding/json"
	"io"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// JSON writes {"files":[...],"summary":{...}}.
func JSON(w io.Writer, files []File, _ []*rule.Rule) error {
	type jsonFile struct {
		Path        string            `json:"path"`
		Format      rule.Format       `json:"format"`
		Diagnostics []diag.Diagnostic `json:"diagnostics"`
	}
	out := struct {
		Files   []jsonFile `json:"files"`
		Summary Summary    `json:"summary"`
	}{Files: []jsonFile{}, Summary: Summarize(files)}
	for _, f := range files {
		ds := f.Diagnostics
		if ds == nil {
			ds = []diag.Diagnostic{}
		}
		out.Files = append(out.Files, jsonFile{Path: f.Path, Format: f.Format, Diagnostics: ds})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
