package schema

import (
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"github.com/xeipuuv/gojsonschema"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// coverage records the places (gojsonschema contexts) that hold a specific
// error at or below them. gojsonschema hands the same context object to
// every subschema checked at one place, and a child's context links to its
// parent's, so places are compared by identity, walking up the links
// (kept in unexported fields, whose layout is checked once through reflect
// and then read directly). Should a future gojsonschema change that layout,
// places are compared by their rendered path instead.
type coverage struct {
	ptrs  map[*gojsonschema.JsonContext]struct{}
	paths map[string]bool
}

// contextTail and contextHead index JsonContext's link to its parent and
// its own key or item number; contextTail is -1 when the layout is not the
// expected one. tailOffset and headOffset are the fields' byte offsets.
var contextTail, contextHead, tailOffset, headOffset = func() (int, int, uintptr, uintptr) {
	t := reflect.TypeOf(gojsonschema.JsonContext{})
	tail, ok1 := t.FieldByName("tail")
	head, ok2 := t.FieldByName("head")
	if !ok1 || !ok2 || tail.Type != reflect.TypeOf(&gojsonschema.JsonContext{}) || head.Type.Kind() != reflect.String {
		return -1, -1, 0, 0
	}
	return tail.Index[0], head.Index[0], tail.Offset, head.Offset
}()

// ctxTail returns the context of c's parent place (nil at the root). Only
// valid when contextTail >= 0.
func ctxTail(c *gojsonschema.JsonContext) *gojsonschema.JsonContext {
	return *(**gojsonschema.JsonContext)(unsafe.Add(unsafe.Pointer(c), tailOffset))
}

// ctxHead returns c's own key or item number. Only valid when
// contextTail >= 0.
func ctxHead(c *gojsonschema.JsonContext) string {
	return *(*string)(unsafe.Add(unsafe.Pointer(c), headOffset))
}

// nodeOf returns the document node a context names. Contexts are resolved
// through their parents, each once, so the many errors of one op share the
// walk from the root.
func (m *mapper) nodeOf(c *gojsonschema.JsonContext) *jsonast.Node {
	if c == nil {
		return m.doc.Root
	}
	if contextTail < 0 {
		return m.node(c.String(sep))
	}
	if m.ctxNodes == nil {
		m.ctxNodes = map[*gojsonschema.JsonContext]*jsonast.Node{}
	}
	// Walk up to the first context already resolved (or the root), then
	// resolve the ones passed on the way down.
	var buf [16]*gojsonschema.JsonContext
	up := buf[:0]
	var n *jsonast.Node
	for x := c; ; x = ctxTail(x) {
		if got, ok := m.ctxNodes[x]; ok {
			n = got
			break
		}
		if ctxTail(x) == nil {
			n = m.doc.Root
			m.ctxNodes[x] = n
			break
		}
		up = append(up, x)
	}
	for i := len(up) - 1; i >= 0; i-- {
		if n != nil {
			n = m.child(n, ctxHead(up[i]))
		}
		m.ctxNodes[up[i]] = n
	}
	return n
}

func newCoverage(n int) *coverage {
	if contextTail >= 0 {
		return &coverage{ptrs: make(map[*gojsonschema.JsonContext]struct{}, n)}
	}
	return &coverage{paths: make(map[string]bool, n)}
}

// mark records c and every place above it.
func (cv *coverage) mark(c *gojsonschema.JsonContext) {
	if c == nil {
		return
	}
	if cv.ptrs != nil {
		for ; c != nil; c = ctxTail(c) {
			if _, ok := cv.ptrs[c]; ok {
				return
			}
			cv.ptrs[c] = struct{}{}
		}
		return
	}
	for p := c.String(sep); !cv.paths[p]; {
		cv.paths[p] = true
		j := strings.LastIndex(p, sep)
		if j < 0 {
			break
		}
		p = p[:j]
	}
}

// has reports whether c was marked.
func (cv *coverage) has(c *gojsonschema.JsonContext) bool {
	if c == nil {
		return false
	}
	if cv.ptrs != nil {
		_, ok := cv.ptrs[c]
		return ok
	}
	return cv.paths[c.String(sep)]
}

// node resolves a context string to the document node it names, walking
// down from the root (cheaper than caching every prefix: objects are small).
func (m *mapper) node(ctx string) *jsonast.Node {
	n := m.doc.Root
	rest, ok := strings.CutPrefix(ctx, rootContext)
	if !ok {
		return nil
	}
	for rest != "" && n != nil {
		rest = rest[len(sep):]
		part := rest
		if i := strings.Index(rest, sep); i >= 0 {
			part, rest = rest[:i], rest[i:]
		} else {
			rest = ""
		}
		n = m.child(n, part)
	}
	return n
}

// child finds the value of key (object) or item number key (array) the way
// Node.Value numbered them: invalid items were left out.
func (m *mapper) child(parent *jsonast.Node, key string) *jsonast.Node {
	switch parent.Kind {
	case jsonast.Object:
		if mem := m.member(parent, key); mem != nil {
			return mem.Value
		}
	case jsonast.Array:
		i, ok := atoi(key)
		if !ok {
			return nil
		}
		items := m.validItems(parent)
		if i < len(items) {
			return items[i]
		}
	}
	return nil
}

// member finds the (last) member named key, by case when the schema is case
// insensitive. Large objects get an index.
func (m *mapper) member(obj *jsonast.Node, key string) *jsonast.Member {
	var mem *jsonast.Member
	if len(obj.Members) > 16 {
		if m.keys == nil {
			m.keys = map[*jsonast.Node]map[string]*jsonast.Member{}
		}
		idx, ok := m.keys[obj]
		if !ok {
			idx = make(map[string]*jsonast.Member, len(obj.Members))
			for _, mb := range obj.Members {
				idx[mb.Key] = mb
			}
			m.keys[obj] = idx
		}
		mem = idx[key]
	} else {
		mem = obj.MemberByKey(key)
	}
	if mem == nil && m.s.opts.CaseInsensitiveKeys {
		for i := len(obj.Members) - 1; i >= 0; i-- {
			if strings.EqualFold(obj.Members[i].Key, key) {
				return obj.Members[i]
			}
		}
	}
	return mem
}

func (m *mapper) validItems(arr *jsonast.Node) []*jsonast.Node {
	if items, ok := m.items[arr]; ok {
		return items
	}
	items := arr.Items
	invalid := false
	for i, it := range arr.Items {
		if it.Kind == jsonast.Invalid {
			items = make([]*jsonast.Node, 0, len(arr.Items))
			items = append(items, arr.Items[:i]...)
			for _, x := range arr.Items[i:] {
				if x.Kind != jsonast.Invalid {
					items = append(items, x)
				}
			}
			invalid = true
			break
		}
	}
	if !invalid && len(items) <= 16 {
		return items // cheaper to scan again than to cache
	}
	if m.items == nil {
		m.items = map[*jsonast.Node][]*jsonast.Node{}
	}
	m.items[arr] = items
	return items
}

// atoi parses an array index from a context part.
func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}
