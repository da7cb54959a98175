package schema

import (
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// splitViolations returns the violations of the value at d against n, like
// the engine run on the whole value, but runs the engine only on the parts
// of the document the pre-check cannot clear. A structural subschema (only
// type object/array, properties, required, additionalProperties, items) is
// checked here, keyword by keyword as the engine does, and each child is
// visited against its own subschema; every other subschema is a part: the
// pre-check clears it or the engine validates it, alone, from there.
//
// In a job with a thousand ops of which a hundred are wrong, the engine sees
// a hundred ops instead of the whole job, and no plain Go copy of the other
// nine hundred is built. The violations are the ones the whole run finds:
// structural subschemas hold no union, so no error of a part is judged
// against another part (bestBranch, the "alone" wrappers), and instance
// locations are resolved from the part's own node.
func (s *Schema) splitViolations(l *locator, n *Node, d *jsonast.Node, out []Violation) ([]Violation, error) {
	if n != nil && n.structural && cleanChildren(d) {
		switch {
		case d.Kind == jsonast.Object && n.Type[0] == "object":
			return s.splitObject(l, n, d, out)
		case d.Kind == jsonast.Array && n.Type[0] == "array":
			return s.splitArray(l, n, d, out)
		}
	}
	if n == nil || s.precheck(n, d, 0) == valid {
		return out, nil
	}
	return s.engineViolations(l, n, d, out)
}

// splitArray checks the items of an array against a structural subschema.
// When most items are parts the pre-check cannot clear, one engine run
// over the array costs less than one per item.
func (s *Schema) splitArray(l *locator, n *Node, d *jsonast.Node, out []Violation) ([]Violation, error) {
	items := n.Items
	if items == nil {
		return out, nil
	}
	var err error
	if items.structural {
		for _, it := range d.Items {
			if out, err = s.splitViolations(l, items, it, out); err != nil {
				return out, err
			}
		}
		return out, nil
	}
	var failed []*jsonast.Node
	for _, it := range d.Items {
		if s.precheck(items, it, 0) != valid {
			failed = append(failed, it)
		}
	}
	if len(failed) > 1 && 4*len(failed) > 3*len(d.Items) {
		return s.engineViolations(l, n, d, out)
	}
	for _, it := range failed {
		if out, err = s.engineViolations(l, items, it, out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// engineViolations runs the engine on the value at d against n.
func (s *Schema) engineViolations(l *locator, n *Node, d *jsonast.Node, out []Violation) ([]Violation, error) {
	js, err := s.engineAt(n)
	if err != nil {
		return out, err
	}
	root := l.root
	l.root = d
	out = append(out, place(l, js.Validate(d.Value()))...)
	l.root = root
	return out, nil
}

// splitObject checks an object against a structural subschema: required and
// additionalProperties here, each member's value against its subschema.
func (s *Schema) splitObject(l *locator, n *Node, d *jsonast.Node, out []Violation) ([]Violation, error) {
	var missing []string
	for _, r := range n.Required {
		if !d.Has(r) {
			missing = append(missing, r)
		}
	}
	if missing != nil {
		out = append(out, Violation{Node: d, Kind: &kind.Required{Missing: missing}})
	}
	var unknown []string
	for _, m := range d.Members {
		sub, ok := n.Properties[m.Key]
		if !ok {
			if n.AdditionalFalse {
				unknown = append(unknown, m.Key)
				continue
			}
			sub = n.Additional
		}
		var err error
		if out, err = s.splitViolations(l, sub, m.Value, out); err != nil {
			return out, err
		}
	}
	if unknown != nil {
		out = append(out, Violation{Node: d, Kind: &kind.AdditionalProperties{Properties: unknown}})
	}
	return out, nil
}

// cleanChildren reports whether the engine's value of d would hold every
// child of d, one per key: no duplicate keys, no member without a usable
// value, no item that did not scan. Other containers are parts of their own.
func cleanChildren(d *jsonast.Node) bool {
	for _, m := range d.Members {
		if m.Dup || m.Value == nil || m.Value.Kind == jsonast.Invalid {
			return false
		}
	}
	for _, it := range d.Items {
		if it.Kind == jsonast.Invalid {
			return false
		}
	}
	return true
}

// isStructural reports whether n only routes values to subschemas and
// checks required and unknown keys: what splitViolations evaluates itself.
func isStructural(n *Node) bool {
	if n.Bool != nil || n.opaque || n.Target != nil || len(n.Type) != 1 {
		return false
	}
	if n.AllOf != nil || n.AnyOf != nil || n.OneOf != nil || n.Not != nil || n.If != nil || n.Then != nil || n.Else != nil ||
		n.Enum != nil || n.HasConst || n.pattern != nil || n.DependentKeys != nil || n.DependentSchemas != nil ||
		n.minLength >= 0 || n.maxLength >= 0 || n.minItems >= 0 || n.maxItems >= 0 || n.minimum != nil || n.maximum != nil || n.uniqueItems {
		return false
	}
	switch n.Type[0] {
	case "object":
		return n.Items == nil
	case "array":
		return n.Properties == nil && n.Required == nil && n.Additional == nil && !n.AdditionalFalse
	}
	return false
}

// engines holds the engine's compiled form of the subschemas that parts
// were validated against, compiled from the root's compiler on first use.
type engines struct {
	mu       sync.Mutex
	compiler *jsonschema.Compiler
	byNode   sync.Map // *Node → *jsonschema.Schema
}

// engineAt returns the engine's compiled subschema n.
func (s *Schema) engineAt(n *Node) (*jsonschema.Schema, error) {
	if n == s.root {
		return s.js, nil
	}
	if js, ok := s.engines.byNode.Load(n); ok {
		return js.(*jsonschema.Schema), nil
	}
	s.engines.mu.Lock()
	defer s.engines.mu.Unlock()
	// The root's compilation compiled every subschema already: this finds it.
	js, err := s.engines.compiler.Compile(schemaURL + n.where)
	if err != nil {
		return nil, fmt.Errorf("schema at %s: %w", n.where, err)
	}
	s.engines.byNode.Store(n, js)
	return js, nil
}
