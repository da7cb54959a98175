package jobschema

import (
	"encoding/json"
	"unicode/utf8"
)

// roundTrips reports whether json.Marshal then a UseNumber decode returns v
// unchanged.
func roundTrips(v any, depth int) bool {
	if depth > 1000 {
		return false
	}
	switch x := v.(type) {
	case nil, bool:
		return true
	case string:
		return utf8.ValidString(x)
	case json.Number:
		return validNumber(string(x))
	case map[string]any:
		if x == nil {
			return false // marshals as null
		}
		for k, e := range x {
			if !utf8.ValidString(k) || !roundTrips(e, depth+1) {
				return false
			}
		}
		return true
	case []any:
		if x == nil {
			return false // marshals as null
		}
		for _, e := range x {
			if !roundTrips(e, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// validNumber reports whether s is a JSON number literal (RFC 8259).
func validNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	return i == len(s)
}
