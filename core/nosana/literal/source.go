package literal

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// SourceSpan maps the byte span [start, end) of a decoded JSON string value
// onto its source token (the string as written in the document, quotes
// included), so that a diagnostic or an edit lands on the literal itself even
// when escapes (\n, \", \u00e9) make the source longer than the value.
//
// token is the source text of the string, decoded its value. The offsets
// returned are relative to the start of token. When the token cannot be
// decoded back to decoded (an unclosed or oddly escaped string), SourceSpan
// returns the whole token and exact=false.
func SourceSpan(token []byte, decoded string, start, end int) (s, e int, exact bool) {
	whole := func() (int, int, bool) { return 0, len(token), false }
	if start < 0 || end < start || end > len(decoded) || len(token) < 2 || token[0] != '"' && token[0] != '\'' {
		return whole()
	}
	q := token[0]
	// at[i] is the source offset of decoded byte i; at[len(decoded)] is the end.
	at := make([]int, 0, len(decoded)+1)
	var out []byte
	i := 1
	for i < len(token) && token[i] != q {
		if token[i] != '\\' {
			at = append(at, i)
			out = append(out, token[i])
			i++
			continue
		}
		if i+1 >= len(token) {
			return whole()
		}
		var b []byte
		next := i + 2
		switch c := token[i+1]; c {
		case '"', '\\', '/', '\'':
			b = []byte{c}
		case 'b':
			b = []byte{'\b'}
		case 'f':
			b = []byte{'\f'}
		case 'n':
			b = []byte{'\n'}
		case 'r':
			b = []byte{'\r'}
		case 't':
			b = []byte{'\t'}
		case 'u':
			r, ok := hex4(token, i+2)
			if !ok {
				return whole()
			}
			next = i + 6
			if utf16.IsSurrogate(r) {
				r2, ok2 := hex4(token, next+2)
				if ok2 && next+1 < len(token) && token[next] == '\\' && token[next+1] == 'u' && utf16.DecodeRune(r, r2) != utf8.RuneError {
					r, next = utf16.DecodeRune(r, r2), next+6
				} else {
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(nil, r)
		default:
			return whole()
		}
		for range b {
			at = append(at, i)
		}
		out = append(out, b...)
		i = next
	}
	at = append(at, i)
	if string(out) != decoded {
		return whole()
	}
	return at[start], at[end], true
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[i:i+4]), 16, 32)
	return rune(v), err == nil
}

// DocumentSpan is SourceSpan for a string value of a whole document: text is
// the document, [tokStart, tokEnd) the string token (quotes included) and
// decoded its value. It returns document offsets of the decoded span
// [start, end), or the token's range with exact=false when it cannot map
// them exactly.
func DocumentSpan(text []byte, tokStart, tokEnd int, decoded string, start, end int) (s, e int, exact bool) {
	if tokStart < 0 || tokEnd > len(text) || tokStart > tokEnd {
		return 0, 0, false
	}
	s, e, exact = SourceSpan(text[tokStart:tokEnd], decoded, start, end)
	return tokStart + s, tokStart + e, exact
}
