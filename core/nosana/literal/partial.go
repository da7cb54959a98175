package literal

import "strings"

// Partial returns the literal being typed at cursor (a byte offset into s):
// the text from its opening %% up to the cursor, read as far as it goes.
// "%%ops.tr" gives Scope "ops", Op "tr"; "%%ops.train.results.l" gives Path
// ["results","l"]; "%%glo" gives Scope "glo"; "%%global.variables." gives
// Path ["variables",""]. The last field filled in is the one being typed.
// End is the cursor. It reports false when the cursor is not inside one.
func Partial(s string, cursor int) (Literal, bool) {
	if cursor < 2 || cursor > len(s) {
		return Literal{}, false
	}
	j := cursor
	for j > 0 && typedByte(s[j-1]) {
		j--
	}
	if j < 2 || s[j-2:j] != "%%" {
		return Literal{}, false
	}
	open := j - 2
	// A %% that closes a complete literal is not an opening one.
	for _, l := range Find(s) {
		if l.End == j && l.Start < open {
			return Literal{}, false
		}
		if l.Start > open {
			break
		}
	}
	l := Literal{Start: open, End: cursor, Raw: s[open:cursor]}
	parts := strings.Split(s[j:cursor], ".")
	l.Scope = parts[0]
	switch {
	case len(parts) == 1:
	case l.Scope == ScopeOps:
		l.Op = parts[1]
		l.Path = parts[2:]
		if len(l.Path) == 0 {
			l.Path = nil
		}
	default:
		l.Path = parts[1:]
	}
	return l, true
}

// typedByte reports whether c can be part of a literal being typed.
func typedByte(c byte) bool {
	return c == '.' || c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
