package bridge

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// The lint's parameters and answer, the editor's first call and every
// keystroke's, are read and written here by hand rather than by
// encoding/json. In the browser the first call of a function compiles it
// (V8 compiles wasm lazily), and encoding/json's reflection (type fields,
// encoders, typed decoding), run for the first time by the first lint, was
// 118 KB of the 733 KB of code compiled for it: the welcome job's cold
// first lint in node, p50 of 15 starts, 96 -> 75 ms; in Chromium 229-254
// -> 185-233 ms (alternated runs). The output is byte for byte
// encoding/json's (TestAppendJSONLikeEncodingJSON), and parameters the
// fast path is not sure of go to encoding/json, so errors read as before.

// jsonAppender is a result that encodes itself (encodeEnvelope).
type jsonAppender interface {
	appendJSON(b []byte) []byte
}

func (r LintResult) appendJSON(b []byte) []byte {
	// One allocation: the answer's size, a little over (13,000 problems
	// are ~5 MB; growing by doubling copied and collected twice that).
	n := 128
	for _, d := range r.Diagnostics {
		n += 160 + len(d.Rule) + len(d.Message) + len(d.Path) + len(d.Pointer) + len(d.DocURL)
		for _, f := range d.Fixes {
			n += 48 + len(f.Title)
			for _, e := range f.Edits {
				n += 48 + len(e.Insert)
			}
		}
	}
	b = slices.Grow(b, n)
	b = appendStringField(b, `{"format":`, r.Format)
	b = appendStringField(b, `,"detected":`, r.Detected)
	b = append(b, `,"diagnostics":`...)
	if r.Diagnostics == nil {
		b = append(b, "null"...)
	} else {
		for i, d := range r.Diagnostics {
			b = appendDiagnostic(append(b, "[,"[min(i, 1)]), d)
		}
		if len(r.Diagnostics) == 0 {
			b = append(b, '[')
		}
		b = append(b, ']')
	}
	for i, n := range r.Counts {
		b = appendIntField(b, [...]string{`,"counts":[`, ",", ","}[i], n)
	}
	return append(b, "]}"...)
}

func appendDiagnostic(b []byte, d Diagnostic) []byte {
	b = appendSpan(b, `{"from":`, d.Span)
	b = appendIntField(b, `,"line":`, d.Line)
	b = appendIntField(b, `,"column":`, d.Column)
	b = appendStringField(b, `,"severity":`, d.Severity)
	b = appendStringField(b, `,"rule":`, d.Rule)
	b = appendStringField(b, `,"message":`, d.Message)
	b = appendOmitEmpty(b, `,"path":`, d.Path)
	b = appendOmitEmpty(b, `,"pointer":`, d.Pointer)
	b = appendOmitEmpty(b, `,"docUrl":`, d.DocURL)
	for i, f := range d.Fixes { // omitempty
		b = appendFix(append(b, [...]string{`,"fixes":[`, ","}[min(i, 1)]...), f)
	}
	if len(d.Fixes) > 0 {
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendFix(b []byte, f Fix) []byte {
	b = appendStringField(b, `{"title":`, f.Title)
	b = append(b, `,"safe":`...)
	b = strconv.AppendBool(b, f.Safe)
	b = append(b, `,"edits":`...)
	if f.Edits == nil {
		return append(b, "null}"...)
	}
	for i, e := range f.Edits {
		b = appendSpan(append(b, "[,"[min(i, 1)]), `{"from":`, e.Span)
		b = append(appendStringField(b, `,"insert":`, e.Insert), '}')
	}
	if len(f.Edits) == 0 {
		b = append(b, '[')
	}
	return append(b, "]}"...)
}

// appendSpan appends key, then a Span's from and to (embedded in its
// parent's object, as encoding/json promotes its fields).
//
// The append helpers are not inlined: in wasm every inlined append is a
// few hundred bytes of code (the wasm is size-capped, TestWasmSize).
//
//go:noinline
func appendSpan(b []byte, key string, s Span) []byte {
	return appendIntField(appendIntField(b, key, s.From), `,"to":`, s.To)
}

//go:noinline
func appendIntField(b []byte, key string, n int) []byte {
	return strconv.AppendInt(append(b, key...), int64(n), 10)
}

//go:noinline
func appendStringField(b []byte, key, s string) []byte {
	return appendString(append(b, key...), s)
}

//go:noinline
func appendOmitEmpty(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendStringField(b, key, s)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string the way encoding/json writes it:
// <, > and & escaped for HTML, invalid UTF-8 as \ufffd, U+2028 and U+2029
// escaped (JavaScript source used to reject them).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
			i++ // the common case: copied with the run it is in
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			if r, size = utf8.DecodeRuneInString(s[i:]); r != '\u2028' && r != '\u2029' && (r != utf8.RuneError || size > 1) {
				i += size
				continue
			}
		}
		b = append(b, s[start:i]...)
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', c)
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r == '\b':
			b = append(b, '\\', 'b')
		case r == '\f':
			b = append(b, '\\', 'f')
		default: // other control characters, <, >, &, U+2028, U+2029, invalid UTF-8 (U+FFFD)
			b = append(b, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

// decodeDocParams reads DocParams from the JSON object params the way
// json.Unmarshal does, and says false (p untouched) for anything it is not
// sure to read alike: not a plain object, a key other than exactly "text"
// or "format" (encoding/json also matches other casings), a repeated key,
// a value that is not a string, or text the scanner has a word about.
func decodeDocParams(params []byte, p *DocParams) bool {
	doc := jsonast.Parse(params)
	if !doc.Strict() || doc.Root.Kind != jsonast.Object {
		return false
	}
	var out DocParams
	var seenText, seenFormat bool
	for _, m := range doc.Root.Members {
		if m.Value == nil || m.Value.Kind != jsonast.String {
			return false
		}
		switch {
		case m.Key == "text" && !seenText:
			out.Text, seenText = m.Value.Str, true
		case m.Key == "format" && !seenFormat:
			out.Format, seenFormat = m.Value.Str, true
		default:
			return false
		}
	}
	if seenText {
		p.Text = out.Text
	}
	if seenFormat {
		p.Format = out.Format
	}
	return true
}

// decodeJSON is json.Unmarshal with DocParams read by decodeDocParams.
func decodeJSON(params []byte, v any) error {
	if p, ok := v.(*DocParams); ok && decodeDocParams(params, p) {
		return nil
	}
	return json.Unmarshal(params, v)
}
