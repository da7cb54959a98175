package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// maxEcho is how many characters of a found string a message repeats.
const maxEcho = 48

// quote renders s as a JSON string, as users write it.
func quote(s string) string {
	if plainASCII(s) {
		// What json.Marshal would write, without its buffers.
		return "\"" + s + "\""
	}
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	if !bytes.Contains(b, []byte(`\u00`)) {
		return string(b)
	}
	// json.Marshal escapes <, > and & for HTML; messages are not HTML.
	return unHTML.Replace(string(b))
}

// appendQuoted appends quote(s) to b.
func appendQuoted(b []byte, s string) []byte {
	if plainASCII(s) {
		return append(append(append(b, '"'), s...), '"')
	}
	return append(b, quote(s)...)
}

// plainASCII reports whether s holds only printable ASCII that JSON writes
// as is (no quote, no backslash); <, > and & count, as quote unescapes them.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

var unHTML = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&")

// literal renders a decoded schema value (an enum entry, a const) as JSON.
func literal(v any) string {
	if s, ok := v.(string); ok {
		return quote(s)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// listValues renders allowed values as `"a", "b" or "c"`.
func listValues(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = literal(v)
	}
	return joinOr(parts)
}

func joinOr(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// typeWords names JSON Schema types the way people say them.
var typeWords = map[string]string{
	"string":  "a string",
	"number":  "a number",
	"integer": "a whole number",
	"boolean": "a boolean (true or false)",
	"object":  "an object {…}",
	"array":   "a list […]",
	"null":    "null",
}

// describeTypes names the allowed types: "a string or a list […]".
func describeTypes(types []string) string {
	parts := make([]string, 0, len(types))
	for _, t := range types {
		t = strings.TrimSpace(t)
		if w, ok := typeWords[t]; ok {
			parts = append(parts, w)
		} else if t != "" {
			parts = append(parts, t)
		}
	}
	if len(parts) == 0 {
		return "a different kind of value"
	}
	return joinOr(parts)
}

// describeValue names a found value: `the string "yes"`, `the number 3`,
// `an object`. Secret values are named only by their type.
func describeValue(n *jsonast.Node, secret bool) string {
	return string(appendDescription(nil, n, secret))
}

// appendDescription appends describeValue(n, secret) to b.
func appendDescription(b []byte, n *jsonast.Node, secret bool) []byte {
	switch n.Kind {
	case jsonast.String:
		if secret {
			return append(b, "a string"...)
		}
		return appendQuoted(append(b, "the string "...), truncate(n.Str))
	case jsonast.Number:
		if secret {
			return append(b, "a number"...)
		}
		return append(append(b, "the number "...), truncate(n.Num)...)
	case jsonast.Bool:
		if n.Bool {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case jsonast.Null:
		return append(b, "null"...)
	case jsonast.Object:
		if len(n.Members) == 0 {
			return append(b, "an empty object"...)
		}
		return append(b, "an object"...)
	case jsonast.Array:
		if len(n.Items) == 0 {
			return append(b, "an empty list"...)
		}
		return append(b, "a list"...)
	}
	return append(b, "something that is not a JSON value"...)
}

func truncate(s string) string {
	if utf8.RuneCountInString(s) <= maxEcho {
		return s
	}
	r := []rune(s)
	return string(r[:maxEcho-1]) + "…"
}
