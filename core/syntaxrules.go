package core

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// syntaxRules lists the rule ids the JSON scanner (core/jsonast) reports.
// Their diagnostics come from the scanner, so Check is nil.
func syntaxRules() []*rule.Rule {
	return []*rule.Rule{
		{ID: "json-syntax", Severity: diag.Error, Summary: "the text is not valid JSON"},
		{ID: "json-missing-comma", Severity: diag.Error, Summary: "two entries without a comma between them"},
		{ID: "json-trailing-comma", Severity: diag.Error, Summary: "a comma after the last entry of an object or list"},
		{ID: "json-comment", Severity: diag.Error, Summary: "a // or /* */ comment, which JSON does not allow"},
		{ID: "json-unquoted-key", Severity: diag.Error, Summary: "an object key without double quotes"},
		{ID: "json-unterminated-string", Severity: diag.Error, Summary: "a string without its closing quote"},
		{ID: "json-too-deep", Severity: diag.Warning, Summary: "a value nested deeper than jobkit checks (512 levels); valid JSON, not looked inside"},
		{ID: "json-duplicate-key", Severity: diag.Error, Summary: "the same key twice in one object; only the last one counts"},
		{ID: "unknown-format", Severity: diag.Error, Summary: "the document is neither a Nosana nor a Nomad job"},
	}
}
