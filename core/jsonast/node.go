// Package jsonast is jobkit's tolerant JSON scanner. It parses a document once
// into a tree whose every key and value keeps its byte span, diagnoses broken
// JSON in words people understand, and recovers so that linting, completion
// and hover keep working on half-typed text. It never panics.
package jsonast

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
)

// Kind is the JSON type of a node.
type Kind uint8

const (
	Invalid Kind = iota // something that is not JSON (a bare word, garbage, a missing value)
	Object
	Array
	String
	Number
	Bool
	Null
)

func (k Kind) String() string {
	return [...]string{"invalid", "object", "array", "string", "number", "boolean", "null"}[k]
}

// Node is one JSON value with its place in the text.
type Node struct {
	Kind Kind
	// Start and End delimit the value's bytes [Start, End). For an unclosed
	// object, array or string, End is where the scanner stopped.
	Start, End int
	Parent     *Node
	// Member is the object member whose value this is (nil for array items
	// and the root). Index is the position in the parent array, or -1.
	Member *Member
	Index  int

	Members []*Member // Object, in text order (duplicates included)
	Items   []*Node   // Array
	Str     string    // String: the decoded value
	Num     string    // Number: the literal as written
	Bool    bool      // Bool
	// Closed reports whether an object, array or string was properly closed.
	Closed bool
}

// Member is one "key": value pair of an object.
type Member struct {
	Key string
	// KeyStart and KeyEnd delimit the key token, quotes included.
	KeyStart, KeyEnd int
	// Value is nil when the key has no value yet ({"image": }).
	Value  *Node
	Parent *Node
	// Dup reports whether a later member of the same object has the same key
	// (JSON parsers keep only the last one).
	Dup bool
}

// Document is a parsed text.
type Document struct {
	Text  []byte
	Root  *Node // nil for an empty or wholly unparsable text
	Lines *diag.Lines
	// Syntax holds the problems found while scanning, in text order.
	Syntax []diag.Diagnostic
	// TooDeep reports whether nesting beyond MaxDepth was skipped.
	TooDeep bool
	// TrailingText is the offset of text after the end of the root value
	// (0 when there is none); formats differ in what such text means.
	TrailingText int
}

// HasSyntaxErrors reports whether the text is not valid JSON.
func (d *Document) HasSyntaxErrors() bool {
	for _, s := range d.Syntax {
		if s.Severity == diag.Error {
			return true
		}
	}
	return false
}

// Strict reports whether the text is one JSON value the scanner has nothing
// to say about: no syntax diagnostic of any severity (comments, trailing
// commas and the like are warnings), no nesting beyond MaxDepth, no text
// after it. Such a text reads as encoding/json reads it.
func (d *Document) Strict() bool {
	return d.Root != nil && len(d.Syntax) == 0 && !d.TooDeep && d.TrailingText == 0
}

// Range returns the range of a node's value.
func (d *Document) Range(n *Node) diag.Range { return d.Lines.Range(n.Start, n.End) }

// KeyRange returns the range of a member's key.
func (d *Document) KeyRange(m *Member) diag.Range { return d.Lines.Range(m.KeyStart, m.KeyEnd) }

// Get returns the value of key in an object node, or nil. With duplicate keys
// it returns the last, as JSON parsers do.
func (n *Node) Get(key string) *Node {
	if m := n.MemberByKey(key); m != nil {
		return m.Value
	}
	return nil
}

// MemberByKey returns the (last) member named key, or nil.
func (n *Node) MemberByKey(key string) *Member {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i]
		}
	}
	return nil
}

// Has reports whether an object node has key.
func (n *Node) Has(key string) bool { return n.MemberByKey(key) != nil }

// Item returns the i-th array item, or nil.
func (n *Node) Item(i int) *Node {
	if n == nil || n.Kind != Array || i < 0 || i >= len(n.Items) {
		return nil
	}
	return n.Items[i]
}

// Is reports whether n is non-nil and of kind k.
func (n *Node) Is(k Kind) bool { return n != nil && n.Kind == k }

// StringValue returns the string value of a string node.
func (n *Node) StringValue() (string, bool) {
	if n.Is(String) {
		return n.Str, true
	}
	return "", false
}

// BoolValue returns the value of a boolean node.
func (n *Node) BoolValue() (bool, bool) {
	if n.Is(Bool) {
		return n.Bool, true
	}
	return false, false
}

// Float returns the value of a number node.
func (n *Node) Float() (float64, bool) {
	if !n.Is(Number) {
		return 0, false
	}
	f, err := strconv.ParseFloat(n.Num, 64)
	return f, err == nil
}

// Int returns the value of a number node written as an integer (no fraction,
// no exponent).
func (n *Node) Int() (int64, bool) {
	if !n.Is(Number) {
		return 0, false
	}
	i, err := strconv.ParseInt(n.Num, 10, 64)
	return i, err == nil
}

// Segment is one step of a path: an object key or an array index.
type Segment struct {
	Key   string
	Index int // -1 for a key
}

// Segments returns the steps from the root to n.
func (n *Node) Segments() []Segment {
	depth := 0
	for c := n; c != nil && c.Parent != nil; c = c.Parent {
		depth++
	}
	if depth == 0 {
		return nil
	}
	return n.AppendSegments(make([]Segment, 0, depth))
}

// AppendSegments appends the steps from the root to n to buf: callers that
// only format them pass a stack array and allocate nothing.
func (n *Node) AppendSegments(buf []Segment) []Segment {
	start := len(buf)
	for c := n; c != nil && c.Parent != nil; c = c.Parent {
		if c.Member != nil {
			buf = append(buf, Segment{Key: c.Member.Key, Index: -1})
		} else {
			buf = append(buf, Segment{Index: c.Index})
		}
	}
	for i, j := start, len(buf)-1; i < j; i, j = i+1, j-1 {
		buf[i], buf[j] = buf[j], buf[i]
	}
	return buf
}

// Path returns the field path users write: ops[1].args.env["MY-VAR"].
func (n *Node) Path() string {
	var buf [16]Segment
	return FormatPath(n.AppendSegments(buf[:0]))
}

// Pointer returns the RFC 6901 JSON Pointer of n ("" for the root).
func (n *Node) Pointer() string {
	var buf [16]Segment
	return FormatPointer(n.AppendSegments(buf[:0]))
}

// MemberPath returns the path of a member (the path of its value, even when
// the value is missing).
func (m *Member) Path() string {
	var buf [16]Segment
	return FormatPath(m.AppendSegments(buf[:0]))
}

// MemberPointer returns the JSON Pointer of a member.
func (m *Member) Pointer() string {
	var buf [16]Segment
	return FormatPointer(m.AppendSegments(buf[:0]))
}

// Segments returns the steps from the root to the member's value.
func (m *Member) Segments() []Segment {
	depth := 1
	for c := m.Parent; c != nil && c.Parent != nil; c = c.Parent {
		depth++
	}
	return m.AppendSegments(make([]Segment, 0, depth))
}

// AppendSegments is Node.AppendSegments for the member's value.
func (m *Member) AppendSegments(buf []Segment) []Segment {
	return append(m.Parent.AppendSegments(buf), Segment{Key: m.Key, Index: -1})
}

// FormatPath renders segments as a user-facing field path.
func FormatPath(segs []Segment) string {
	if len(segs) == 0 {
		return ""
	}
	// One buffer, one string: diagnostics of a large file format thousands.
	var buf [128]byte
	b := buf[:0]
	for _, s := range segs {
		if s.Index >= 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.Index), 10)
			b = append(b, ']')
			continue
		}
		if isIdent(s.Key) {
			if len(b) > 0 {
				b = append(b, '.')
			}
			b = append(b, s.Key...)
			continue
		}
		b = append(b, '[')
		b = strconv.AppendQuote(b, s.Key)
		b = append(b, ']')
	}
	return string(b)
}

// FormatPointer renders segments as a JSON Pointer.
func FormatPointer(segs []Segment) string {
	if len(segs) == 0 {
		return ""
	}
	var buf [128]byte
	b := buf[:0]
	for _, s := range segs {
		b = append(b, '/')
		if s.Index >= 0 {
			b = strconv.AppendInt(b, int64(s.Index), 10)
			continue
		}
		b = append(b, EscapePointerToken(s.Key)...)
	}
	return string(b)
}

// EscapePointerToken writes a key as a JSON Pointer (RFC 6901) token: ~ as
// ~0 and / as ~1.
func EscapePointerToken(key string) string {
	if !strings.ContainsAny(key, "~/") {
		return key
	}
	return pointerEscaper.Replace(key)
}

// UnescapePointerToken is the key a JSON Pointer token names.
func UnescapePointerToken(tok string) string {
	if !strings.Contains(tok, "~") {
		return tok
	}
	return pointerUnescaper.Replace(tok)
}

var (
	pointerEscaper   = strings.NewReplacer("~", "~0", "/", "~1")
	pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '-') {
			continue
		}
		return false
	}
	return true
}

// Lookup follows segments from the root and returns the node, or nil.
func (d *Document) Lookup(segs []Segment) *Node {
	n := d.Root
	for _, s := range segs {
		if n == nil {
			return nil
		}
		if s.Index >= 0 {
			n = n.Item(s.Index)
		} else {
			n = n.Get(s.Key)
		}
	}
	return n
}

// Deepest follows segments as far as they lead and returns the deepest node
// reached and how many segments were consumed.
func (d *Document) Deepest(segs []Segment) (*Node, int) {
	n := d.Root
	for i, s := range segs {
		var next *Node
		if s.Index >= 0 {
			next = n.Item(s.Index)
		} else {
			next = n.Get(s.Key)
		}
		if next == nil {
			return n, i
		}
		n = next
	}
	return n, len(segs)
}

// Value converts the tree into plain Go values (map[string]any, []any,
// string, json.Number, bool, nil) as encoding/json with UseNumber would.
// Invalid nodes and members without a value are left out; with duplicate keys
// the last wins.
func (n *Node) Value() any {
	v, _ := n.ValueWith(func(lit string) (any, bool) { return json.Number(lit), true })
	return v
}

// ValueWith is Value with each number's literal turned into a value by
// number; it stops with false at the first number that number refuses.
func (n *Node) ValueWith(number func(literal string) (any, bool)) (any, bool) {
	if n == nil {
		return nil, true
	}
	switch n.Kind {
	case Object:
		m := make(map[string]any, len(n.Members))
		for _, mem := range n.Members {
			if mem.Value == nil || mem.Value.Kind == Invalid {
				continue
			}
			v, ok := mem.Value.ValueWith(number)
			if !ok {
				return nil, false
			}
			m[mem.Key] = v
		}
		return m, true
	case Array:
		a := make([]any, 0, len(n.Items))
		for _, it := range n.Items {
			if it.Kind == Invalid {
				continue
			}
			v, ok := it.ValueWith(number)
			if !ok {
				return nil, false
			}
			a = append(a, v)
		}
		return a, true
	case String:
		return n.Str, true
	case Number:
		return number(n.Num)
	case Bool:
		return n.Bool, true
	}
	return nil, true
}

// NodeAt returns the innermost node whose span contains off (Start <= off <= End).
func (d *Document) NodeAt(off int) *Node {
	n := d.Root
	if n == nil || off < n.Start || off > n.End {
		return nil
	}
	for {
		var next *Node
		switch n.Kind {
		case Object:
			for _, m := range n.Members {
				if v := m.Value; v != nil && off >= v.Start && off <= v.End {
					next = v
				}
			}
		case Array:
			for _, it := range n.Items {
				if off >= it.Start && off <= it.End {
					next = it
				}
			}
		}
		if next == nil {
			return n
		}
		n = next
	}
}

// Walk calls fn for n and every node below it, parents first. Returning false
// skips a node's children.
func Walk(n *Node, fn func(*Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	for _, m := range n.Members {
		if m.Value != nil {
			Walk(m.Value, fn)
		}
	}
	for _, it := range n.Items {
		Walk(it, fn)
	}
}

// Edit makes a text edit replacing the bytes [start, end) with newText.
func (d *Document) Edit(start, end int, newText string) diag.TextEdit {
	return diag.TextEdit{Range: d.Lines.Range(start, end), NewText: newText}
}
