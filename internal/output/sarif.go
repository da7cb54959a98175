package output

import (
	"encoding/json"
	"io"
	"path/filepath"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
	"github.com/jobkit-dev/jobkit/internal/version"
)

// SARIF writes a SARIF 2.1.0 log that GitHub code scanning accepts. Columns
// are UTF-16 code units, SARIF's default column kind.
func SARIF(w io.Writer, files []File, rules []*rule.Rule) error {
	type msg struct {
		Text string `json:"text"`
	}
	type sarifRule struct {
		ID                   string            `json:"id"`
		ShortDescription     msg               `json:"shortDescription"`
		HelpURI              string            `json:"helpUri"`
		DefaultConfiguration map[string]string `json:"defaultConfiguration"`
	}
	type region struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
	}
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region region `json:"region"`
		} `json:"physicalLocation"`
	}
	type result struct {
		RuleID    string     `json:"ruleId"`
		RuleIndex int        `json:"ruleIndex"`
		Level     string     `json:"level"`
		Message   msg        `json:"message"`
		Locations []location `json:"locations"`
	}
	index := map[string]int{}
	var srules []sarifRule
	for i, r := range rules {
		index[r.ID] = i
		srules = append(srules, sarifRule{ID: r.ID, ShortDescription: msg{r.Summary}, HelpURI: diag.DocURL(r.ID),
			DefaultConfiguration: map[string]string{"level": sarifLevel(r.Severity)}})
	}
	results := []result{}
	for _, f := range files {
		for _, d := range f.Diagnostics {
			ri, ok := index[d.Rule]
			if !ok {
				ri = -1
			}
			var loc location
			loc.PhysicalLocation.ArtifactLocation.URI = filepath.ToSlash(f.Path)
			loc.PhysicalLocation.Region = region{d.Range.Start.Line, d.Range.Start.UTF16Column, d.Range.End.Line, d.Range.End.UTF16Column}
			text := d.Message
			if d.Path != "" {
				text += " (at " + d.Path + ")"
			}
			results = append(results, result{RuleID: d.Rule, RuleIndex: ri, Level: sarifLevel(d.Severity), Message: msg{text}, Locations: []location{loc}})
		}
	}
	log := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name": "jobkit", "version": version.Version, "informationUri": "https://github.com/jobkit-dev/jobkit", "rules": srules,
			}},
			"columnKind": "utf16CodeUnits",
			"results":    results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

func sarifLevel(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Warning:
		return "warning"
	}
	return "note"
}
