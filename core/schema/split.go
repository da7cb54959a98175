package schema

import (
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// splitViolations returns the violations of the value at d against n, like
// the engine run on the whole value. A structural subschema (only type
// object/array, properties, required, additionalProperties, items) is
// checked here, keyword by keyword as the engine does, and each child is
// visited against its own subschema; every other subschema is a part: the
// reporter decides it, running the engine only on what the pre-check
// cannot decide (report.go).
//
// In a job with a thousand ops of which a hundred are wrong, the engine
// sees at most the pieces of those hundred the pre-check cannot judge, and
// no plain Go copy of the rest is built. The violations are the ones the
// whole run finds: structural subschemas hold no union, so no error of a
// part is judged against another part (bestBranch), and instance locations
// are resolved from the part's own node. The wrappers kept only where
// nothing more specific is (keepAlone) are sorted out over the whole
// document, as the whole run does.
func (s *Schema) splitViolations(l *locator, n *Node, d *jsonast.Node) ([]Violation, error) {
	r := reporter{s: s, l: l}
	if err := r.split(n, d); err != nil {
		return nil, err
	}
	return keepAlone(r.out, r.alone), nil
}

// split visits d against n: structural subschemas here, parts by report.
func (r *reporter) split(n *Node, d *jsonast.Node) error {
	if n != nil && n.structural && cleanChildren(d) {
		switch {
		case d.Kind == jsonast.Object && n.Type[0] == "object":
			return r.splitObject(n, d)
		case d.Kind == jsonast.Array && n.Type[0] == "array":
			return r.splitArray(n, d)
		}
	}
	// A valid part costs the reporter what it costs the pre-check: one
	// walk, nothing built.
	return r.report(n, d, 0)
}

// splitArray checks the items of an array against a structural subschema.
func (r *reporter) splitArray(n *Node, d *jsonast.Node) error {
	if n.Items == nil {
		return nil
	}
	for _, it := range d.Items {
		if err := r.split(n.Items, it); err != nil {
			return err
		}
	}
	return nil
}

// splitObject checks an object against a structural subschema: required and
// additionalProperties here, each member's value against its subschema.
func (r *reporter) splitObject(n *Node, d *jsonast.Node) error {
	r.reportRequired(n, d)
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
		if err := r.split(sub, m.Value); err != nil {
			return err
		}
	}
	if unknown != nil {
		r.out = append(r.out, Violation{Node: d, Kind: &kind.AdditionalProperties{Properties: unknown}})
	}
	return nil
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

// engines holds the engine's compiled schema and the subschemas that parts
// were validated against, all compiled on first use: the pre-check and the
// reporter decide most documents without the engine, and compiling it (it
// also checks the schema against the draft-07 metaschema) was most of a
// first lint's set-up, which the editor pays on its start-up.
type engines struct {
	once     sync.Once
	root     *jsonschema.Schema
	compiler *jsonschema.Compiler
	err      error

	mu     sync.Mutex
	byNode sync.Map // *Node → *jsonschema.Schema
}

// Prepare compiles what validation may need later (the engine's form of the
// schema) now, for a program with time to spare before its next document:
// the editor, once its first diagnostics are shown.
func (s *Schema) Prepare() error {
	_, err := s.rootEngine()
	return err
}

// engine returns the engine's compiled schema, compiling it on first use.
// The schemas jobkit compiles are embedded and tested (TestEngineAtEveryNode
// compiles every subschema), so a failure is a build mistake: it panics, and
// Validate reports the panic as an internal error.
func (s *Schema) engine() *jsonschema.Schema {
	js, err := s.rootEngine()
	if err != nil {
		panic(err)
	}
	return js
}

func (s *Schema) rootEngine() (*jsonschema.Schema, error) {
	e := &s.engines
	e.once.Do(func() {
		if e.root, e.compiler, e.err = compileEngine(s.raw); e.err != nil {
			e.err = fmt.Errorf("compile schema: %w", e.err)
		}
	})
	return e.root, e.err
}

// engineAt returns the engine's compiled subschema n.
func (s *Schema) engineAt(n *Node) (*jsonschema.Schema, error) {
	if n == s.root {
		return s.rootEngine()
	}
	if js, ok := s.engines.byNode.Load(n); ok {
		return js.(*jsonschema.Schema), nil
	}
	if _, err := s.rootEngine(); err != nil {
		return nil, err
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
