package schema

import (
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// locator resolves the instance locations of validation errors (a key or
// an item number per step from the root) to document nodes. It caches a key
// index for large objects and the kept items of arrays, so the many errors
// of a large file share the work.
type locator struct {
	root     *jsonast.Node
	fold     bool // keys match regardless of case (the last such key wins)
	dropNull bool // null items were left out of the validated arrays
	items    map[*jsonast.Node][]*jsonast.Node
	keys     map[*jsonast.Node]map[string]*jsonast.Member
}

// node returns the node at loc, or nil when the tree has no such place.
func (l *locator) node(loc []string) *jsonast.Node {
	n := l.root
	for _, part := range loc {
		if n == nil {
			return nil
		}
		n = l.child(n, part)
	}
	return n
}

// child finds the value of key (object) or item number key (array) the way
// the validated value numbered them: left-out items are not counted.
func (l *locator) child(parent *jsonast.Node, key string) *jsonast.Node {
	switch parent.Kind {
	case jsonast.Object:
		if mem := l.member(parent, key); mem != nil {
			return mem.Value
		}
	case jsonast.Array:
		i, ok := atoi(key)
		if !ok {
			return nil
		}
		items := l.keptItems(parent)
		if i < len(items) {
			return items[i]
		}
	}
	return nil
}

// member finds the (last) member named key, by case when keys fold. Large
// objects get an index.
func (l *locator) member(obj *jsonast.Node, key string) *jsonast.Member {
	var mem *jsonast.Member
	if len(obj.Members) > 16 {
		if l.keys == nil {
			l.keys = map[*jsonast.Node]map[string]*jsonast.Member{}
		}
		idx, ok := l.keys[obj]
		if !ok {
			idx = make(map[string]*jsonast.Member, len(obj.Members))
			for _, mb := range obj.Members {
				idx[mb.Key] = mb
			}
			l.keys[obj] = idx
		}
		mem = idx[key]
	} else {
		mem = obj.MemberByKey(key)
	}
	if mem == nil && l.fold {
		for i := len(obj.Members) - 1; i >= 0; i-- {
			if strings.EqualFold(obj.Members[i].Key, key) {
				return obj.Members[i]
			}
		}
	}
	return mem
}

// left reports whether an item was left out of the validated value.
func (l *locator) left(it *jsonast.Node) bool {
	return it.Kind == jsonast.Invalid || l.dropNull && it.Kind == jsonast.Null
}

// keptItems returns the items of arr that the validated value holds.
func (l *locator) keptItems(arr *jsonast.Node) []*jsonast.Node {
	if items, ok := l.items[arr]; ok {
		return items
	}
	items := arr.Items
	dropped := false
	for i, it := range arr.Items {
		if l.left(it) {
			items = make([]*jsonast.Node, 0, len(arr.Items))
			items = append(items, arr.Items[:i]...)
			for _, x := range arr.Items[i:] {
				if !l.left(x) {
					items = append(items, x)
				}
			}
			dropped = true
			break
		}
	}
	if !dropped && len(items) <= 16 {
		return items // cheaper to scan again than to cache
	}
	if l.items == nil {
		l.items = map[*jsonast.Node][]*jsonast.Node{}
	}
	l.items[arr] = items
	return items
}

// atoi parses an item number of an instance location.
func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}
