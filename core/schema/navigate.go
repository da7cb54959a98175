package schema

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// Set is the subschemas that apply at one place of a document: the node the
// parent's "properties"/"items" names there, what its $ref points to, every
// allOf part, the then/else branch its discriminator picks, and the
// oneOf/anyOf candidates that fit the value present. Nodes appear from the
// most general to the most specific.
type Set []*Node

// maxExpand bounds $ref/allOf nesting followed at one place, so a
// self-referencing schema cannot loop.
const maxExpand = 48

// At returns the subschemas that apply at segs in doc (segs need not exist in
// doc yet: completion asks about places being typed). Discriminators
// (if/then on "type", etc.) are decided by the values present in doc; where
// the value is missing, no branch is chosen and oneOf/anyOf list every
// candidate. An empty Set means the schema says nothing about the place
// (an unknown key, or below a scalar).
func (s *Schema) At(doc *jsonast.Document, segs []jsonast.Segment) Set {
	var d *jsonast.Node
	if doc != nil {
		d = doc.Root
	}
	set := s.expand(make(Set, 0, 6), s.root, d, 0)
	for _, seg := range segs {
		var next *jsonast.Node
		if d != nil {
			if seg.Index >= 0 {
				next = d.Item(seg.Index)
			} else {
				next = s.memberValue(d, seg.Key)
			}
		}
		set = s.step(set, seg, next)
		d = next
		if len(set) == 0 {
			break
		}
	}
	return set
}

// Root returns the root of the compiled schema tree.
func (s *Schema) Root() *Node { return s.root }

// step moves from the set at an object/array to the set at one of its keys
// or items; child is the document value there (nil when absent).
func (s *Schema) step(set Set, seg jsonast.Segment, child *jsonast.Node) Set {
	return s.stepInto(make(Set, 0, 6), set, seg, child)
}

// stepInto is step appending to out.
func (s *Schema) stepInto(out, set Set, seg jsonast.Segment, child *jsonast.Node) Set {
	for _, n := range set {
		if seg.Index >= 0 {
			if n.Items != nil {
				out = s.expand(out, n.Items, child, 0)
			}
			continue
		}
		if p := s.property(n, seg.Key); p != nil {
			out = s.expand(out, p, child, 0)
		} else if n.Additional != nil {
			out = s.expand(out, n.Additional, child, 0)
		}
	}
	return out
}

// property returns the subschema n declares for key, honouring
// CaseInsensitiveKeys.
func (s *Schema) property(n *Node, key string) *Node {
	if p, ok := n.Properties[key]; ok {
		return p
	}
	if s.opts.CaseInsensitiveKeys {
		for k, p := range n.Properties {
			if strings.EqualFold(k, key) {
				return p
			}
		}
	}
	return nil
}

// memberValue finds key in an object node, honouring CaseInsensitiveKeys.
func (s *Schema) memberValue(d *jsonast.Node, key string) *jsonast.Node {
	if v := d.Get(key); v != nil || !s.opts.CaseInsensitiveKeys || d.Kind != jsonast.Object {
		return v
	}
	for i := len(d.Members) - 1; i >= 0; i-- {
		if strings.EqualFold(d.Members[i].Key, key) {
			return d.Members[i].Value
		}
	}
	return nil
}

// expand adds n and everything that applies through it to set.
func (s *Schema) expand(set Set, n *Node, d *jsonast.Node, depth int) Set {
	if n == nil || depth > maxExpand {
		return set
	}
	for _, x := range set {
		if x == n {
			return set
		}
	}
	if n.static != nil {
		if len(set) == 0 {
			return append(set, n.static...)
		}
	next:
		for _, y := range n.static {
			for _, x := range set {
				if x == y {
					continue next
				}
			}
			set = append(set, y)
		}
		return set
	}
	set = append(set, n)
	if n.Target != nil {
		set = s.expand(set, n.Target, d, depth+1)
	}
	for _, a := range n.AllOf {
		set = s.expand(set, a, d, depth+1)
	}
	for _, alts := range [][]*Node{n.OneOf, n.AnyOf} {
		fit := 0
		for _, a := range alts {
			if d == nil || s.matches(a, d, 0) {
				set = s.expand(set, a, d, depth+1)
				fit++
			}
		}
		if fit == 0 {
			for _, a := range alts {
				set = s.expand(set, a, d, depth+1)
			}
		}
	}
	if n.If != nil && d != nil && d.Kind != jsonast.Invalid {
		if s.matches(n.If, d, 0) {
			set = s.expand(set, n.Then, d, depth+1)
		} else {
			set = s.expand(set, n.Else, d, depth+1)
		}
	}
	if d.Is(jsonast.Object) {
		for k, dep := range n.DependentSchemas {
			if s.memberValue(d, k) != nil {
				set = s.expand(set, dep, d, depth+1)
			}
		}
	}
	return set
}

// matches decides whether d satisfies cond, for the keywords discriminators
// use: type, const, enum, pattern, required, properties, allOf, anyOf,
// oneOf and not. Other keywords are assumed satisfied.
func (s *Schema) matches(cond *Node, d *jsonast.Node, depth int) bool {
	if depth > maxExpand {
		return true
	}
	cond = cond.Resolve()
	if cond == nil {
		return true
	}
	if cond.Bool != nil {
		return *cond.Bool
	}
	if d == nil || d.Kind == jsonast.Invalid {
		return false
	}
	if len(cond.Type) > 0 && !cond.AllowsType(kindType(d)) {
		return false
	}
	if cond.HasConst && !equalValue(d, cond.Const) {
		return false
	}
	if len(cond.Enum) > 0 {
		ok := false
		for _, e := range cond.Enum {
			if equalValue(d, e) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if cond.pattern != nil && d.Kind == jsonast.String && !cond.pattern.MatchString(d.Str) {
		return false
	}
	if d.Kind == jsonast.Object {
		for _, r := range cond.Required {
			if s.memberValue(d, r) == nil && !d.Has(r) {
				return false
			}
		}
		for k, p := range cond.Properties {
			if v := s.memberValue(d, k); v != nil && !s.matches(p, v, depth+1) {
				return false
			}
		}
	}
	for _, a := range cond.AllOf {
		if !s.matches(a, d, depth+1) {
			return false
		}
	}
	for _, alts := range [][]*Node{cond.AnyOf, cond.OneOf} {
		if len(alts) == 0 {
			continue
		}
		ok := false
		for _, a := range alts {
			if s.matches(a, d, depth+1) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if cond.Not != nil && s.matches(cond.Not, d, depth+1) {
		return false
	}
	return true
}

// kindType is the JSON Schema type name of a document value.
func kindType(d *jsonast.Node) string {
	if _, ok := d.Int(); ok {
		return "integer"
	}
	return typeName(d)
}

// equalValue compares a scalar document value with a decoded schema value.
func equalValue(d *jsonast.Node, v any) bool {
	switch x := v.(type) {
	case string:
		return d.Kind == jsonast.String && d.Str == x
	case bool:
		return d.Kind == jsonast.Bool && d.Bool == x
	case nil:
		return d.Kind == jsonast.Null
	case float64:
		f, ok := d.Float()
		return ok && f == x
	case int:
		f, ok := d.Float()
		return ok && f == float64(x)
	}
	return false
}
