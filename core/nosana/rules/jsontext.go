package rules

import (
	"bytes"
	"encoding/json"
	"strings"
)

// jsonString encodes s as a JSON string without HTML escaping.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	return strings.TrimSuffix(b.String(), "\n")
}

// jsonStrings encodes a list of strings as a one-line JSON array.
func jsonStrings(list []string) string {
	parts := make([]string, len(list))
	for i, s := range list {
		parts[i] = jsonString(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
