package jsonast

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/jobkit-dev/jobkit/core/diag"
)

// MaxDepth is the deepest nesting the scanner builds a tree for. Deeper
// content is skipped with one diagnostic, so hostile input cannot exhaust
// memory or the stack.
const MaxDepth = 512

// maxSyntaxDiagnostics bounds the syntax problems reported for one text;
// binary garbage would otherwise produce one per byte.
const maxSyntaxDiagnostics = 100

// Parse scans text into a Document. It never fails: problems become
// Document.Syntax diagnostics and the tree holds whatever could be recovered.
func Parse(text []byte) *Document {
	// src is the text as one string: keys, strings without escapes and
	// numbers are slices of it, so scanning allocates no string per value.
	p := newParser(text)
	p.parseDocument()
	return p.doc
}

func newParser(text []byte) *parser {
	p := &parser{text: text, src: string(text), doc: &Document{Text: text, Lines: diag.NewLines(text)}, nextIndex: -1}
	p.nodes, p.members, p.memberLists, p.itemLists = &p.own.nodes, &p.own.members, &p.own.memberLists, &p.own.itemLists
	return p
}

type parser struct {
	text  []byte
	src   string // text as a string (see Parse)
	pos   int
	doc   *Document
	depth int
	// open holds the closing bracket expected by each enclosing container,
	// so a stray closer can end the right container during recovery.
	open    []byte
	stopped bool // too many syntax errors: stop reporting
	// nextMember and nextIndex say where the next value node goes (set just
	// before parsing a member's value or an array item), so that diagnostics
	// raised while parsing it already carry its path.
	nextMember *Member
	nextIndex  int

	nodeSlab   []Node
	memberSlab []Member
	// Children lists start in chunks of these (see listChunk).
	memberListSlab []*Member
	itemListSlab   []*Node
	// Where the slabs come from: an Arena's, or own (kept by nobody) for a
	// one-off Parse.
	nodes       *slabs[Node]
	members     *slabs[Member]
	memberLists *slabs[*Member]
	itemLists   *slabs[*Node]
	own         Arena
}

// listChunk is the capacity a container's list of children starts with,
// carved from a shared slab: most objects and lists of a job hold a few
// entries, and appending to a nil slice would allocate three or four times
// on the way to eight.
const listChunk = 8

func (p *parser) memberList() []*Member {
	if len(p.memberListSlab) < listChunk {
		p.memberListSlab = p.memberLists.get(slabSize * listChunk / 2)
	}
	l := p.memberListSlab[:0:listChunk]
	p.memberListSlab = p.memberListSlab[listChunk:]
	return l
}

func (p *parser) itemList() []*Node {
	if len(p.itemListSlab) < listChunk {
		p.itemListSlab = p.itemLists.get(slabSize * listChunk / 2)
	}
	l := p.itemListSlab[:0:listChunk]
	p.itemListSlab = p.itemListSlab[listChunk:]
	return l
}

// slabSize is how many nodes or members are allocated at once: one
// allocation per slab instead of one per value keeps parsing close to
// encoding/json's speed on large documents.
const slabSize = 128

func (p *parser) newNode(kind Kind, start int, parent *Node) *Node {
	if len(p.nodeSlab) == 0 {
		p.nodeSlab = p.nodes.get(slabSize)
	}
	n := &p.nodeSlab[0]
	p.nodeSlab = p.nodeSlab[1:]
	// The slab is zeroed: setting only the fields that differ avoids copying
	// a whole struct (and its pointer write barriers) per value.
	n.Kind, n.Start, n.Parent, n.Member, n.Index = kind, start, parent, p.nextMember, p.nextIndex
	p.nextMember, p.nextIndex = nil, -1
	return n
}

func (p *parser) newMember(obj *Node, start int) *Member {
	if len(p.memberSlab) == 0 {
		p.memberSlab = p.members.get(slabSize)
	}
	m := &p.memberSlab[0]
	p.memberSlab = p.memberSlab[1:]
	m.Parent, m.KeyStart = obj, start
	return m
}

func (p *parser) parseDocument() {
	if strings.HasPrefix(string(p.text[:min(3, len(p.text))]), "\uFEFF") {
		p.errorFix(0, 3, nil, "json-syntax", "the file starts with a byte order mark (BOM), which JSON parsers reject; save the file as UTF-8 without BOM",
			"Remove the byte order mark", 0, 3, "")
		p.pos = 3
	}
	p.skipSpace()
	if p.pos >= len(p.text) {
		p.error(p.pos, p.pos, nil, "json-syntax", "the document is empty; a job definition is a JSON object starting with {")
		return
	}
	p.doc.Root = p.parseValue(nil)
	p.skipSpace()
	if p.pos < len(p.text) {
		start := p.pos
		p.doc.TrailingText = start
		p.error(start, len(p.text), nil, "json-syntax", "unexpected text after the end of the JSON document; a file holds exactly one JSON value")
	}
}

// --- diagnostics -------------------------------------------------------------

func (p *parser) report(d diag.Diagnostic) {
	if p.stopped {
		return
	}
	if len(p.doc.Syntax) >= maxSyntaxDiagnostics {
		p.stopped = true
		d = diag.Diagnostic{Rule: "json-syntax", Severity: diag.Error,
			Message: fmt.Sprintf("too many syntax errors; stopped reporting after %d", maxSyntaxDiagnostics),
			Range:   d.Range, Path: d.Path, Pointer: d.Pointer}
	}
	d.DocURL = diag.DocURL(d.Rule)
	p.doc.Syntax = append(p.doc.Syntax, d)
}

func (p *parser) mk(start, end int, at *Node, rule, msg string) diag.Diagnostic {
	var segs []Segment
	if at != nil {
		segs = at.Segments()
	}
	return diag.Diagnostic{Rule: rule, Severity: diag.Error, Message: msg,
		Path: FormatPath(segs), Pointer: FormatPointer(segs), Range: p.doc.Lines.Range(start, end)}
}

func (p *parser) error(start, end int, at *Node, rule, msg string) {
	p.report(p.mk(start, end, at, rule, msg))
}

// errorFix reports a problem with one safe fix replacing [fs, fe) by text.
func (p *parser) errorFix(start, end int, at *Node, rule, msg, title string, fs, fe int, text string) {
	d := p.mk(start, end, at, rule, msg)
	d.Fixes = []diag.Fix{{Title: title, Safe: true, Edits: []diag.TextEdit{p.doc.Edit(fs, fe, text)}}}
	p.report(d)
}

// --- lexing helpers ------------------------------------------------------------

// skipSpace skips whitespace and comments (reporting each comment).
func (p *parser) skipSpace() {
	text, i := p.text, p.pos
	for i < len(text) {
		switch text[i] {
		case ' ':
			i++
			// Indentation of pretty-printed JSON: eight spaces at a time.
			for i+8 <= len(text) && binary.LittleEndian.Uint64(text[i:]) == eightSpaces {
				i += 8
			}
		case '\t', '\n', '\r':
			i++
		case '/':
			p.pos = i
			if !p.skipComment() {
				return
			}
			i = p.pos
		default:
			p.pos = i
			return
		}
	}
	p.pos = i
}

// eightSpaces is "        " read as a little-endian uint64.
const eightSpaces = 0x2020202020202020

// skipComment skips a // or /* */ comment at p.pos and reports it.
func (p *parser) skipComment() bool {
	start := p.pos
	if start+1 >= len(p.text) {
		return false
	}
	switch p.text[start+1] {
	case '/':
		end := start + 2
		for end < len(p.text) && p.text[end] != '\n' && p.text[end] != '\r' {
			end++
		}
		p.pos = end
	case '*':
		idx := strings.Index(string(p.text[start+2:]), "*/")
		if idx < 0 {
			p.pos = len(p.text)
			p.error(start, start+2, nil, "json-comment", "unterminated /* comment; JSON has no comments, remove it")
			return true
		}
		p.pos = start + 2 + idx + 2
	default:
		return false
	}
	p.errorFix(start, p.pos, nil, "json-comment", "JSON does not allow comments; remove the comment (put notes in a field such as meta.description instead)",
		"Remove the comment", start, p.pos, "")
	return true
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c == '-' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// word returns the run of identifier-like bytes starting at p.pos.
func (p *parser) word() string {
	end := p.pos
	for end < len(p.text) && isWordByte(p.text[end]) && end-p.pos < 200 {
		end++
	}
	return p.src[p.pos:end]
}

// closes reports whether c closes one of the enclosing containers.
func (p *parser) closes(c byte) bool {
	for _, o := range p.open {
		if o == c {
			return true
		}
	}
	return false
}

// --- values --------------------------------------------------------------------

// parseValue parses the value at p.pos (after whitespace). It always returns a
// node, Invalid when nothing sensible was there.
func (p *parser) parseValue(parent *Node) *Node {
	if p.pos >= len(p.text) {
		n := p.newNode(Invalid, p.pos, parent)
		n.End = p.pos
		return n
	}
	switch c := p.text[p.pos]; {
	case c == '{':
		return p.parseContainer(parent, Object)
	case c == '[':
		return p.parseContainer(parent, Array)
	case c == '"':
		return p.parseString(parent, '"')
	case c == '\'':
		n := p.parseString(parent, '\'')
		p.errorFix(n.Start, n.End, n, "json-syntax", "JSON strings use double quotes, not single quotes",
			"Use double quotes", n.Start, n.End, strconv.Quote(n.Str))
		return n
	case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
		return p.parseNumber(parent)
	default:
		return p.parseWord(parent)
	}
}

func (p *parser) parseWord(parent *Node) *Node {
	start := p.pos
	w := p.word()
	n := p.newNode(Invalid, start, parent)
	if w == "" {
		// A single unexpected byte (or a run of garbage): skip to something structural.
		end := start + 1
		for end < len(p.text) && !strings.ContainsRune("{}[],:\" \t\r\n", rune(p.text[end])) {
			end++
		}
		_, size := utf8.DecodeRune(p.text[start:])
		what := fmt.Sprintf("%q", p.text[start:start+size])
		if p.text[start] < 0x20 || !utf8.Valid(p.text[start:start+size]) {
			what = fmt.Sprintf("byte 0x%02x", p.text[start])
		}
		p.pos = end
		n.End = end
		p.error(start, end, parent, "json-syntax", fmt.Sprintf("unexpected %s; expected a value (a string in double quotes, a number, true, false, null, an object or a list)", what))
		return n
	}
	p.pos += len(w)
	n.End = p.pos
	switch w {
	case "true", "false":
		n.Kind, n.Bool = Bool, w == "true"
	case "null":
		n.Kind = Null
	case "True", "False", "TRUE", "FALSE":
		p.errorFix(start, p.pos, parent, "json-syntax", fmt.Sprintf("%s is not JSON; write %s in lower case", w, strings.ToLower(w)),
			"Write "+strings.ToLower(w), start, p.pos, strings.ToLower(w))
		n.Kind, n.Bool = Bool, strings.EqualFold(w, "true")
	case "None", "nil", "NULL", "Null", "undefined":
		p.errorFix(start, p.pos, parent, "json-syntax", fmt.Sprintf("%s is not JSON; write null", w), "Write null", start, p.pos, "null")
		n.Kind = Null
	case "NaN", "Infinity":
		p.error(start, p.pos, parent, "json-syntax", fmt.Sprintf("%s is not a JSON number; write a finite number", w))
	default:
		p.errorFix(start, p.pos, parent, "json-syntax", fmt.Sprintf("unquoted text %s; strings must be in double quotes", w),
			"Quote it", start, p.pos, strconv.Quote(w))
		n.Kind, n.Str = String, w
	}
	return n
}

func (p *parser) parseNumber(parent *Node) *Node {
	start := p.pos
	end := start
	for end < len(p.text) {
		c := p.text[end]
		if c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			// Letters are taken so that 0x1F or 12abc is one bad token, not two.
			if (c == '-' || c == '+') && end > start && p.text[end-1] != 'e' && p.text[end-1] != 'E' {
				break
			}
			end++
			continue
		}
		break
	}
	p.pos = end
	lit := p.src[start:end]
	n := p.newNode(Number, start, parent)
	n.End, n.Num = end, lit
	if msg, fix := checkNumber(lit); msg != "" {
		if fix != "" {
			p.errorFix(start, end, parent, "json-syntax", msg, "Write "+fix, start, end, fix)
		} else {
			p.error(start, end, parent, "json-syntax", msg)
		}
		if fix != "" {
			n.Num = fix
		} else {
			n.Kind = Invalid
		}
	}
	return n
}

// checkNumber validates a JSON number literal and suggests a corrected form.
func checkNumber(s string) (msg, fix string) {
	if validNumber(s) {
		return "", ""
	}
	switch {
	case strings.HasPrefix(s, "+") && validNumber(s[1:]):
		return fmt.Sprintf("invalid number %s: JSON numbers have no leading +", s), s[1:]
	case strings.HasPrefix(s, ".") && validNumber("0"+s):
		return fmt.Sprintf("invalid number %s: write a 0 before the decimal point", s), "0" + s
	case strings.HasPrefix(s, "-.") && validNumber("-0"+s[1:]):
		return fmt.Sprintf("invalid number %s: write a 0 before the decimal point", s), "-0" + s[1:]
	case strings.HasSuffix(s, ".") && validNumber(strings.TrimSuffix(s, ".")):
		return fmt.Sprintf("invalid number %s: a decimal point must be followed by digits", s), strings.TrimSuffix(s, ".")
	case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
		if v, err := strconv.ParseInt(s[2:], 16, 64); err == nil {
			return fmt.Sprintf("invalid number %s: JSON has no hexadecimal numbers; write %d", s, v), strconv.FormatInt(v, 10)
		}
	}
	t := strings.TrimLeft(strings.TrimPrefix(s, "-"), "0")
	if len(t) < len(strings.TrimPrefix(s, "-")) && t != "" && t[0] >= '1' && t[0] <= '9' && validNumber(t) {
		sign := ""
		if strings.HasPrefix(s, "-") {
			sign = "-"
		}
		return fmt.Sprintf("invalid number %s: JSON numbers have no leading zeros", s), sign + t
	}
	return fmt.Sprintf("invalid number %s", s), ""
}

// validNumber reports whether s matches the JSON number grammar.
func validNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) {
		return false
	}
	if s[i] == '0' {
		i++
	} else if s[i] >= '1' && s[i] <= '9' {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	return i == len(s)
}

// parseString parses a string quoted with q. A raw line break ends an
// unterminated string, which keeps the rest of the document parseable.
func (p *parser) parseString(parent *Node, q byte) *Node {
	n := p.newNode(String, p.pos, parent)
	n.Str, n.End, n.Closed = p.scanString(parent, q)
	return n
}

// scanString reads the string at p.pos (opening quote q) and returns its
// value, where it ends and whether it was closed. Problems are reported at
// parent.
func (p *parser) scanString(parent *Node, q byte) (str string, end int, closed bool) {
	start := p.pos
	// Fast path: most strings have no escapes and no special bytes, so the
	// value is the raw bytes between the quotes (one allocation).
	for j := start + 1; j < len(p.text); j++ {
		c := p.text[j]
		if c == q {
			p.pos = j + 1
			return p.src[start+1 : j], j + 1, true
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
	}
	var b strings.Builder
	i := start + 1
	for {
		if i >= len(p.text) || p.text[i] == '\n' || p.text[i] == '\r' {
			p.pos = i
			msg := "unterminated string: add the closing \" before the end of the line"
			if i >= len(p.text) {
				msg = "unterminated string: add the closing \" (the text ends inside the string)"
			}
			p.errorFix(start, i, parent, "json-unterminated-string", msg, "Close the string", i, i, string(q))
			return b.String(), i, false
		}
		c := p.text[i]
		switch {
		case c == q:
			p.pos = i + 1
			return b.String(), i + 1, true
		case c == '\\':
			i = p.escape(i, &b, parent)
		case c < 0x20:
			p.errorFix(i, i+1, parent, "json-syntax", fmt.Sprintf("control character 0x%02x inside a string; write it escaped (\\t, \\u00%02x)", c, c),
				"Escape it", i, i+1, fmt.Sprintf("\\u%04x", c))
			b.WriteByte(c)
			i++
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			r, size := utf8.DecodeRune(p.text[i:])
			if r == utf8.RuneError && size == 1 {
				// encoding/json and JSON.parse both accept this (as U+FFFD), so it is a warning.
				d := p.mk(i, i+1, parent, "json-syntax", fmt.Sprintf("invalid UTF-8 byte 0x%02x inside a string; it will be read as \uFFFD, save the file as UTF-8", c))
				d.Severity = diag.Warning
				p.report(d)
			}
			b.WriteRune(r)
			i += size
		}
	}
}

// escape decodes the escape sequence at text[i] ('\\') and returns the index after it.
func (p *parser) escape(i int, b *strings.Builder, parent *Node) int {
	if i+1 >= len(p.text) {
		return i + 1
	}
	switch e := p.text[i+1]; e {
	case '"', '\\', '/', '\'':
		if e == '\'' {
			p.errorFix(i, i+2, parent, "json-syntax", `\' is not a JSON escape; write ' without the backslash`, "Remove the backslash", i, i+1, "")
		}
		b.WriteByte(e)
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'u':
		r, ok := hex4(p.text, i+2)
		if !ok {
			p.error(i, min(i+6, len(p.text)), parent, "json-syntax", `invalid \u escape: write \u followed by four hex digits`)
			return i + 2
		}
		next := i + 6
		if utf16.IsSurrogate(r) {
			if next+1 < len(p.text) && p.text[next] == '\\' && p.text[next+1] == 'u' {
				if r2, ok := hex4(p.text, next+2); ok {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						b.WriteRune(d)
						return next + 6
					}
				}
			}
			r = utf8.RuneError
		}
		b.WriteRune(r)
		return next
	default:
		p.errorFix(i, i+2, parent, "json-syntax", fmt.Sprintf(`invalid escape \%c in a string; to write a backslash, double it (\\)`, e),
			"Double the backslash", i, i+1, `\\`)
		b.WriteByte('\\')
		b.WriteByte(e)
	}
	return i + 2
}

func hex4(text []byte, i int) (rune, bool) {
	if i+4 > len(text) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(text[i:i+4]), 16, 32)
	return rune(v), err == nil
}

// --- containers ----------------------------------------------------------------

// parseContainer parses an object or an array starting at p.pos.
func (p *parser) parseContainer(parent *Node, kind Kind) *Node {
	n := p.newNode(kind, p.pos, parent)
	closer := byte('}')
	if kind == Array {
		closer = ']'
	}
	p.pos++ // { or [
	if p.depth >= MaxDepth {
		p.skipDeep(n)
		return n
	}
	p.depth++
	p.open = append(p.open, closer)
	defer func() { p.depth--; p.open = p.open[:len(p.open)-1] }()

	var seen map[string]*Member
	lastComma := -1        // offset of a comma not yet followed by an entry
	prevEnd := n.Start + 1 // end of the previous entry, where a missing comma goes
	first := true
	// After an unterminated string the comma is usually inside the string
	// (`"a,` newline); one error for that mistake is enough.
	afterUnterminated := false
	for {
		p.skipSpace()
		if p.pos >= len(p.text) {
			n.End = p.pos
			what := "object: add the closing }"
			if kind == Array {
				what = "list: add the closing ]"
			}
			p.errorFix(n.Start, n.Start+1, n, "json-syntax", "unclosed "+what, "Close it", p.pos, p.pos, string(closer))
			return n
		}
		c := p.text[p.pos]
		if c == closer {
			if lastComma >= 0 {
				p.errorFix(lastComma, lastComma+1, n, "json-trailing-comma", "trailing comma before "+string(closer)+"; JSON does not allow a comma after the last entry",
					"Remove the comma", lastComma, lastComma+1, "")
			}
			p.pos++
			n.End, n.Closed = p.pos, true
			return n
		}
		if c == ',' {
			if first || lastComma >= 0 {
				p.errorFix(p.pos, p.pos+1, n, "json-syntax", "extra comma: there is no entry before it", "Remove the comma", p.pos, p.pos+1, "")
			}
			lastComma = p.pos
			p.pos++
			continue
		}
		if (c == '}' || c == ']') && p.closes(c) {
			// The closer of an enclosing container: this one was never closed.
			n.End = prevEnd
			what := "object: add } before this"
			if kind == Array {
				what = "list: add ] before this"
			}
			p.errorFix(p.pos, p.pos+1, n, "json-syntax", fmt.Sprintf("unexpected %c: unclosed %s", c, what), "Insert "+string(closer), prevEnd, prevEnd, string(closer))
			return n
		}
		if c == '}' || c == ']' || c == ':' {
			p.error(p.pos, p.pos+1, n, "json-syntax", fmt.Sprintf("unexpected %c here", c))
			p.pos++
			continue
		}
		if !first && lastComma < 0 && !afterUnterminated {
			p.errorFix(p.pos, p.pos+1, n, "json-missing-comma", "missing comma between entries; add a , after the previous entry",
				"Insert a comma", prevEnd, prevEnd, ",")
		}
		first, lastComma = false, -1
		if kind == Array {
			p.nextIndex = len(n.Items)
			item := p.parseValue(n)
			if n.Items == nil {
				n.Items = p.itemList()
			}
			n.Items = append(n.Items, item)
			prevEnd = item.End
			afterUnterminated = item.Kind == String && !item.Closed
			if item.End == item.Start { // nothing consumed: avoid looping forever
				p.pos++
			}
			continue
		}
		m := p.parseMember(n)
		if m == nil {
			continue
		}
		if n.Members == nil {
			n.Members = p.memberList()
		}
		n.Members = append(n.Members, m)
		prevEnd = m.KeyEnd
		afterUnterminated = false
		if m.Value != nil {
			prevEnd = m.Value.End
			afterUnterminated = m.Value.Kind == String && !m.Value.Closed
		}
		if prev := p.findDup(n, m, &seen); prev != nil {
			prev.Dup = true
			pl := p.doc.Lines.Position(prev.KeyStart).Line
			d := p.mk(m.KeyStart, m.KeyEnd, n, "json-duplicate-key",
				fmt.Sprintf("duplicate key %q (first at line %d); JSON parsers keep only the last one, so the first is silently lost", m.Key, pl))
			d.Path, d.Pointer = m.Path(), m.Pointer()
			p.report(d)
		}
	}
}

// findDup returns the earlier member of obj with m's key (m is already
// appended). Small objects are scanned; large ones get a map, built once.
func (p *parser) findDup(obj *Node, m *Member, seen *map[string]*Member) *Member {
	const scanLimit = 16
	members := obj.Members[:len(obj.Members)-1]
	if len(members) < scanLimit {
		for i := len(members) - 1; i >= 0; i-- {
			if members[i].Key == m.Key {
				return members[i]
			}
		}
		return nil
	}
	if *seen == nil {
		*seen = make(map[string]*Member, 2*scanLimit)
		for _, x := range members {
			(*seen)[x.Key] = x
		}
	}
	prev := (*seen)[m.Key]
	(*seen)[m.Key] = m
	return prev
}

// parseMember parses `"key": value` at p.pos. It returns nil when nothing
// usable was there (the offending bytes are skipped).
func (p *parser) parseMember(obj *Node) *Member {
	m := p.newMember(obj, p.pos)
	switch c := p.text[p.pos]; {
	case c == '"' || c == '\'':
		// Keys get no node of their own: only the member keeps them.
		key, end, _ := p.scanString(obj, c)
		if c == '\'' {
			p.errorFix(m.KeyStart, end, obj, "json-unquoted-key", "keys use double quotes, not single quotes", "Use double quotes", m.KeyStart, end, strconv.Quote(key))
		}
		m.Key, m.KeyEnd = key, end
	case isWordByte(c):
		w := p.word()
		p.pos += len(w)
		m.Key, m.KeyEnd = w, p.pos
		p.errorFix(m.KeyStart, m.KeyEnd, obj, "json-unquoted-key", fmt.Sprintf("key %s must be in double quotes", w), "Quote the key", m.KeyStart, m.KeyEnd, strconv.Quote(w))
	default:
		v := p.parseValue(obj) // e.g. a number or object where a key belongs
		if v.End == v.Start {
			p.pos++
		}
		p.error(v.Start, max(v.End, v.Start+1), obj, "json-syntax", "expected a key in double quotes")
		return nil
	}
	p.skipSpace()
	if p.pos < len(p.text) && p.text[p.pos] == ':' {
		p.pos++
		p.skipSpace()
	} else if p.pos < len(p.text) && p.text[p.pos] == '=' {
		p.errorFix(p.pos, p.pos+1, obj, "json-syntax", "use : between a key and its value, not =", "Write :", p.pos, p.pos+1, ":")
		p.pos++
		p.skipSpace()
	} else {
		// Missing colon. If a value follows on the same footing, take it.
		if p.pos >= len(p.text) || strings.IndexByte(",}]", p.text[p.pos]) >= 0 || p.text[p.pos] == '"' && p.lineBreakBetween(m.KeyEnd, p.pos) {
			p.errorFix(m.KeyStart, m.KeyEnd, obj, "json-syntax", fmt.Sprintf("key %q has no value; write \"%s\": <value>", m.Key, m.Key),
				"Add a value", m.KeyEnd, m.KeyEnd, ": null")
			return m
		}
		p.errorFix(m.KeyEnd, m.KeyEnd+1, obj, "json-syntax", fmt.Sprintf("missing : after key %q", m.Key), "Insert :", m.KeyEnd, m.KeyEnd, ":")
	}
	if p.pos >= len(p.text) || strings.IndexByte(",}]", p.text[p.pos]) >= 0 {
		p.error(m.KeyStart, m.KeyEnd, obj, "json-syntax", fmt.Sprintf("key %q has no value", m.Key))
		return m
	}
	p.nextMember = m
	m.Value = p.parseValue(obj)
	return m
}

func (p *parser) lineBreakBetween(a, b int) bool {
	return strings.ContainsAny(string(p.text[a:b]), "\n\r")
}

// skipDeep skips a container nested beyond MaxDepth without building nodes.
// Deep nesting is valid JSON (free-form fields such as a health check body
// may hold it), so when the skipped text is valid it is a warning with its
// own rule id; only invalid text there is a json-syntax error.
func (p *parser) skipDeep(n *Node) {
	closed := p.skipContainer()
	n.End, n.Closed, n.Kind = min(p.pos, len(p.text)), closed, Invalid
	p.pos = n.End
	first := !p.doc.TooDeep
	p.doc.TooDeep = true
	if !deepValid(p.text[n.Start:n.End]) {
		p.error(n.Start, n.Start+1, n.Parent, "json-syntax", fmt.Sprintf("text nested deeper than %d levels is not valid JSON; jobkit does not look inside it any further", MaxDepth))
		return
	}
	if first { // once per document: the first deep value says it
		msg := fmt.Sprintf("the value is nested deeper than %d levels from here on; it is valid JSON, but jobkit did not check what is inside it", MaxDepth)
		if at := shortPath(n.Parent); at != "" {
			msg = at + ": " + msg
		}
		d := p.mk(n.Start, n.Start+1, n.Parent, "json-too-deep", msg)
		d.Severity = diag.Warning
		p.report(d)
	}
}

// shortPath names where deep nesting starts: the path of the first few
// levels (the field that holds it), not all 512 of them.
func shortPath(n *Node) string {
	const shown = 8
	segs := n.Segments()
	if len(segs) <= shown {
		return FormatPath(segs)
	}
	return FormatPath(segs[:shown]) + "…"
}

// deepValid reports whether b is valid JSON. Nesting beyond encoding/json's
// own limit counts as valid: JSON itself sets no limit.
func deepValid(b []byte) bool {
	var raw json.RawMessage
	err := json.Unmarshal(b, &raw)
	var se *json.SyntaxError
	return err == nil || errors.As(err, &se) && strings.Contains(se.Error(), "exceeded max depth")
}

// skipContainer moves past the container whose opening bracket is just
// before p.pos, counting brackets outside strings, and reports whether it
// was closed.
func (p *parser) skipContainer() bool {
	depth := 1
	inStr := false
	for p.pos < len(p.text) && depth > 0 {
		c := p.text[p.pos]
		switch {
		case inStr && c == '\\':
			p.pos++
		case c == '"':
			inStr = !inStr
		case !inStr && (c == '{' || c == '['):
			depth++
		case !inStr && (c == '}' || c == ']'):
			depth--
		}
		p.pos++
	}
	return depth == 0
}
