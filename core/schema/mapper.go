package schema

import (
	"slices"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// mapper turns violations into diagnostics for one document. It caches the
// schema set, path and pointer of every place it resolves, so each place is
// looked up once however many errors it has.
type mapper struct {
	s        *Schema
	doc      *jsonast.Document
	loc      *locator
	sets     map[*jsonast.Node]Set
	addrs    map[*jsonast.Node]address // path and pointer
	lists    map[*any]string           // listValues by enum
	slab     []*Node                   // backing store for the sets of setOf
	allowed  map[[2]*Node][]string     // the keys a schema set allows
	suggests map[suggestionKey]suggestion

	required  []missingField // missing fields, reported last
	suggested []missingField // keys suggested for unknown ones
	out       []diag.Diagnostic
}

func newMapper(s *Schema, doc *jsonast.Document) *mapper {
	return &mapper{s: s, doc: doc, sets: map[*jsonast.Node]Set{},
		addrs: map[*jsonast.Node]address{},
		loc:   &locator{root: doc.Root, fold: s.opts.CaseInsensitiveKeys}}
}

// mapViolations converts vs, then the missing fields no unknown key
// explains.
func (m *mapper) mapViolations(vs []Violation) {
	if len(vs) == 0 {
		return
	}
	// Size the caches once instead of growing them step by step.
	m.out = slices.Grow(m.out, len(vs))
	if len(m.sets) == 0 {
		m.sets = make(map[*jsonast.Node]Set, len(vs))
	}
	if len(m.addrs) == 0 {
		m.addrs = make(map[*jsonast.Node]address, len(vs))
	}
	for _, v := range vs {
		m.convert(v.Kind, v.Node)
	}
	m.reportMissing()
}

// member finds the (last) member named key, by case when the schema is case
// insensitive.
func (m *mapper) member(obj *jsonast.Node, key string) *jsonast.Member {
	return m.loc.member(obj, key)
}

// setOf returns the schema set that applies at n, from its parent's set.
func (m *mapper) setOf(n *jsonast.Node) Set {
	if set, ok := m.sets[n]; ok {
		return set
	}
	var set Set
	if n.Parent == nil {
		set = m.s.expand(nil, m.s.root, n, 0)
	} else {
		seg := jsonast.Segment{Index: n.Index}
		if n.Member != nil {
			seg = jsonast.Segment{Key: n.Member.Key, Index: -1}
		}
		parent := m.setOf(n.Parent) // first: it may take from the slab too
		if cap(m.slab)-len(m.slab) < 6 {
			// Grown block by block: a small file needs a few sets only.
			m.slab = make([]*Node, 0, min(2*cap(m.slab)+64, 1024))
		}
		l := len(m.slab)
		set = m.s.stepInto(m.slab[l:l:l+6], parent, seg, n)
		if len(set) > 0 && &set[0] == &m.slab[:l+1][l] {
			m.slab = m.slab[:l+len(set)]
			set = set[:len(set):len(set)] // an append must not reach a neighbour
		}
	}
	m.sets[n] = set
	return set
}

// subject names the object n for messages.
func (m *mapper) subject(n *jsonast.Node) string {
	if m.s.opts.Subject != nil {
		if s := m.s.opts.Subject(m.doc, n); s != "" {
			return s
		}
	}
	return m.setOf(n).Subject()
}

// add records a diagnostic about n (or about its child last, when set):
// Path and Pointer name that place, msg is the full message.
func (m *mapper) add(rule string, sev diag.Severity, start, end int, n *jsonast.Node, last *jsonast.Segment, msg string, fixes ...diag.Fix) {
	a := m.addressOf(n)
	path, ptr := a.path, a.pointer
	if last != nil {
		path, ptr = appendPath(path, *last), appendPointer(ptr, *last)
	}
	url, ok := m.s.docURLs[rule]
	if !ok {
		url = diag.DocURL(rule)
	}
	m.out = append(m.out, diag.Diagnostic{
		Rule:     rule,
		Severity: sev,
		Message:  msg,
		Path:     path,
		Pointer:  ptr,
		Range:    m.doc.Lines.Range(start, end),
		Fixes:    fixes,
		DocURL:   url,
	})
}

// appendPath extends the field path p by one step, the way
// jsonast.FormatPath renders it: a plain key follows a dot, other keys and
// item numbers are bracketed.
func appendPath(p string, seg jsonast.Segment) string {
	step := jsonast.FormatPath([]jsonast.Segment{seg})
	if p == "" || step == "" || step[0] == '[' {
		return p + step
	}
	return p + "." + step
}

// address is the field path and the JSON Pointer of a node.
type address struct{ path, pointer string }

// addressOf returns the path and pointer of n, built from one walk to the
// root and cached: several errors often share an object, and every
// diagnostic needs both.
func (m *mapper) addressOf(n *jsonast.Node) address {
	if a, ok := m.addrs[n]; ok {
		return a
	}
	var buf [24]jsonast.Segment
	segs := segsOf(buf[:0], n)
	a := address{formatPath(segs), pointer(segs)}
	if m.addrs == nil {
		m.addrs = map[*jsonast.Node]address{}
	}
	m.addrs[n] = a
	return a
}

// appendPointer extends the JSON Pointer p by one step, in one string.
func appendPointer(p string, seg jsonast.Segment) string {
	if seg.Index < 0 && !strings.ContainsAny(seg.Key, "~/") {
		return p + "/" + seg.Key
	}
	return p + pointer([]jsonast.Segment{seg})
}

// path returns the field path of n.
func (m *mapper) path(n *jsonast.Node) string { return m.addressOf(n).path }

// segsOf appends to buf the steps from the root to n.
func segsOf(buf []jsonast.Segment, n *jsonast.Node) []jsonast.Segment {
	for c := n; c != nil && c.Parent != nil; c = c.Parent {
		if c.Member != nil {
			buf = append(buf, jsonast.Segment{Key: c.Member.Key, Index: -1})
		} else {
			buf = append(buf, jsonast.Segment{Index: c.Index})
		}
	}
	for i, j := 0, len(buf)-1; i < j; i, j = i+1, j-1 {
		buf[i], buf[j] = buf[j], buf[i]
	}
	return buf
}

// keySeg is the segment of an object member.
func keySeg(key string) *jsonast.Segment { return &jsonast.Segment{Key: key, Index: -1} }

// canonicalValue is Node.Value for case-insensitive schemas: keys that match
// a declared property except for case are renamed to it (and reported), so
// validation proceeds as if they were written canonically.
func (m *mapper) canonicalValue(n *jsonast.Node, set Set) any {
	switch n.Kind {
	case jsonast.Object:
		out := make(map[string]any, len(n.Members))
		for _, mem := range n.Members {
			if mem.Value == nil || mem.Value.Kind == jsonast.Invalid {
				continue
			}
			key := m.canonicalKey(set, mem)
			child := m.s.step(set, jsonast.Segment{Key: key, Index: -1}, mem.Value)
			m.sets[mem.Value] = child
			out[key] = m.canonicalValue(mem.Value, child)
		}
		return out
	case jsonast.Array:
		out := make([]any, 0, len(n.Items))
		for _, it := range n.Items {
			if it.Kind == jsonast.Invalid {
				continue
			}
			child := m.s.step(set, jsonast.Segment{Index: it.Index}, it)
			m.sets[it] = child
			out = append(out, m.canonicalValue(it, child))
		}
		return out
	}
	return n.Value()
}

func (m *mapper) canonicalKey(set Set, mem *jsonast.Member) string {
	for _, n := range set {
		if _, ok := n.Properties[mem.Key]; ok {
			return mem.Key
		}
	}
	for _, n := range set {
		for k := range n.Properties {
			if strings.EqualFold(k, mem.Key) {
				msg := prefix(m.path(mem.Parent), quote(mem.Key)+" should be written "+quote(k))
				m.add(m.s.opts.Rules.KeyCase, diag.Warning, mem.KeyStart, mem.KeyEnd, mem.Parent, keySeg(mem.Key), msg,
					renameFix(m.doc, mem, k, true))
				return k
			}
		}
	}
	return mem.Key
}

// pointer renders segments as an RFC 6901 JSON Pointer.
func pointer(segs []jsonast.Segment) string {
	var buf [128]byte
	b := buf[:0]
	for _, s := range segs {
		b = append(b, '/')
		if s.Index >= 0 {
			b = strconv.AppendInt(b, int64(s.Index), 10)
		} else if strings.ContainsAny(s.Key, "~/") {
			b = append(b, escapePointer(s.Key)...)
		} else {
			b = append(b, s.Key...)
		}
	}
	return string(b)
}

// formatPath is jsonast.FormatPath written into one buffer, for paths whose
// keys are all plain identifiers (the others go to FormatPath).
func formatPath(segs []jsonast.Segment) string {
	var buf [128]byte
	b := buf[:0]
	for _, s := range segs {
		if s.Index >= 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.Index), 10)
			b = append(b, ']')
			continue
		}
		if !isIdent(s.Key) {
			return jsonast.FormatPath(segs)
		}
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, s.Key...)
	}
	return string(b)
}

// isIdent reports whether FormatPath writes key after a dot: a letter, _
// or $, then letters, digits, _, $ or -.
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
