package schema

import (
	"regexp"
	"strings"
)

// speedUp rewrites the decoded schema that gojsonschema validates with (the
// navigator keeps the original): a string "const" or an "enum" of strings
// becomes {"type": "string", "pattern": "^(?:a|b)$"}. The two accept exactly
// the same values, but gojsonschema checks const and enum by marshalling the
// value to JSON three times, and a regular expression match is far cheaper.
// The mapper turns the resulting pattern errors back into enum messages.
func speedUp(v any) {
	switch x := v.(type) {
	case []any:
		for _, it := range x {
			speedUp(it)
		}
	case map[string]any:
		for _, it := range x {
			speedUp(it)
		}
		if _, has := x["pattern"]; has {
			return
		}
		if t, has := x["type"]; has && t != "string" {
			return
		}
		var vals []string
		if c, ok := x["const"].(string); ok {
			vals = []string{c}
		} else if e, ok := x["enum"].([]any); ok && len(e) > 0 {
			for _, it := range e {
				s, ok := it.(string)
				if !ok {
					return
				}
				vals = append(vals, s)
			}
		} else {
			return
		}
		for i, s := range vals {
			vals[i] = regexp.QuoteMeta(s)
		}
		delete(x, "const")
		delete(x, "enum")
		x["type"] = "string"
		x["pattern"] = "^(?:" + strings.Join(vals, "|") + ")$"
	}
}
