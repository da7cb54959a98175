package core

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// LooksLikeHCL reports whether text starts the way an HCL file does and a
// JSON document never can: after blank lines and #, // or /* */ comments,
// a name followed by a quoted label, a { or an = (job "web" {, variable "x" {,
// region = "eu"). Such a text gets one message about HCL instead of a page of
// JSON syntax errors.
func LooksLikeHCL(text []byte) bool {
	i := skipHCLSpace(text, 0)
	start := i
	for i < len(text) && (text[i] == '_' || text[i] == '-' || isLetter(text[i]) || i > start && text[i] >= '0' && text[i] <= '9') {
		i++
	}
	if i == start || text[start] == '-' {
		return false
	}
	switch string(text[start:i]) {
	case "true", "false", "null":
		return false // JSON literals, even if a broken document follows
	}
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	return i < len(text) && (text[i] == '"' || text[i] == '{' || text[i] == '=')
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// skipHCLSpace skips white space and comments from i.
func skipHCLSpace(text []byte, i int) int {
	for i < len(text) {
		switch c := text[i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB || c == 0xBF: // BOM bytes too
			i++
		case c == '#' || c == '/' && i+1 < len(text) && text[i+1] == '/':
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			i += 2
			for i+1 < len(text) && (text[i] != '*' || text[i+1] != '/') {
				i++
			}
			i += 2
		default:
			return i
		}
	}
	return i
}

// HCLMessage is what jobkit says about an HCL file: jobkit reads Nomad jobs as
// JSON, and Nomad itself converts one into the other.
const HCLMessage = "this is a Nomad job in HCL, and jobkit checks Nomad jobs as JSON: convert it with " +
	"`nomad job run -output FILE > FILE.json` (Nomad prints the job as JSON without running it) and lint the .json file"

// LintHCL is the result for an HCL text: one unknown-format error saying so,
// on the first line, in place of JSON syntax errors.
func LintHCL(text []byte) *Result {
	lines := diag.NewLines(text)
	start := skipHCLSpace(text, 0)
	end := start
	for end < len(text) && text[end] != '\n' && text[end] != '\r' {
		end++
	}
	return &Result{
		Format: rule.Unknown, Detected: rule.Unknown,
		Doc: &jsonast.Document{Text: text, Lines: lines},
		Diagnostics: []diag.Diagnostic{{
			Rule:     "unknown-format",
			Severity: diag.Error,
			Message:  HCLMessage,
			Range:    lines.Range(min(start, len(text)), min(end, len(text))),
			DocURL:   diag.DocURL("unknown-format"),
		}},
	}
}
