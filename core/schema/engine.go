package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// schemaURL names the one schema document the engine compiles; it is never
// fetched (see noLoader).
const schemaURL = "jobkit:schema.json"

// noLoader refuses every load: schemas reference only their own
// definitions, and nothing is ever fetched from a network or a disk.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("%s: only references inside the schema (#/...) are supported", url)
}

// compileEngine compiles a draft-07 schema with santhosh-tekuri/jsonschema.
// The compiler is returned too: it finds the subschemas it compiled by
// their location (see engineAt).
func compileEngine(schemaJSON []byte) (*jsonschema.Schema, *jsonschema.Compiler, error) {
	dec := json.NewDecoder(bytes.NewReader(schemaJSON))
	dec.UseNumber() // exact bounds and enum values
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.UseLoader(noLoader{})
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, nil, err
	}
	js, err := c.Compile(schemaURL)
	return js, c, err
}

// Violation is one schema keyword a value fails, placed on the document
// node that holds the value.
type Violation struct {
	Node *jsonast.Node
	// Kind is the typed error of github.com/santhosh-tekuri/jsonschema/v6
	// (a *kind.Type, *kind.Required, *kind.Enum, ...). Wrappers (allOf,
	// $ref, groups) never appear: their causes do. A *kind.Not or a
	// *kind.OneOf (more than one branch fits) appears only when no other
	// violation lies at or below its node.
	Kind jsonschema.ErrorKind
}

// Violations validates value, the plain Go value of the tree at root
// (Node.Value, or a canonicalised copy of it: see Options.CaseInsensitiveKeys
// and Options.NullItemsLeftOut), and places each violation on its node.
// Violations whose place is not in the tree are left out.
func (s *Schema) Violations(root *jsonast.Node, value any) []Violation {
	l := &locator{root: root, fold: s.opts.CaseInsensitiveKeys, dropNull: s.opts.NullItemsLeftOut}
	return s.violations(l, value)
}

func (s *Schema) violations(l *locator, value any) []Violation {
	return place(l, s.engine().Validate(value))
}

// place flattens the engine's error tree and places its errors on nodes.
func place(l *locator, err error) []Violation {
	w := walker{loc: l}
	w.walkError(err)
	return keepAlone(w.out, w.alone)
}

// keepAlone adds to out the wrappers with nothing to say but "a part
// failed" (a "not", a oneOf that more than one branch fits) where nothing
// more specific was found at or below their place.
func keepAlone(out, alone []Violation) []Violation {
	if len(alone) == 0 {
		return out
	}
	covered := make(map[*jsonast.Node]bool, len(out))
	for _, v := range out {
		for n := v.Node; n != nil && !covered[n]; n = n.Parent {
			covered[n] = true
		}
	}
	for _, v := range alone {
		if !covered[v.Node] {
			out = append(out, v)
		}
	}
	return out
}

// walker flattens the error tree into violations.
type walker struct {
	loc   *locator
	out   []Violation
	alone []Violation
}

// walkError walks the error the engine returned, if it is a validation
// error.
func (w *walker) walkError(err error) {
	if err == nil {
		return
	}
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		w.walk(ve)
	}
}

func (w *walker) walk(e *jsonschema.ValidationError) {
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		for _, c := range e.Causes {
			w.walk(c)
		}
		return
	case *kind.AnyOf:
		if len(e.Causes) > 0 {
			w.walk(bestBranch(e))
			return
		}
	case *kind.OneOf:
		if k.Subschemas == nil && len(e.Causes) > 0 {
			w.walk(bestBranch(e))
			return
		}
	}
	n := w.loc.node(e.InstanceLocation)
	if n == nil {
		return
	}
	switch e.ErrorKind.(type) {
	case *kind.Not, *kind.OneOf, *kind.AnyOf:
		w.alone = append(w.alone, Violation{Node: n, Kind: e.ErrorKind})
	default:
		w.out = append(w.out, Violation{Node: n, Kind: e.ErrorKind})
	}
}

// bestBranch picks the failed oneOf/anyOf branch to report: the first whose
// type fits the value (its errors say what is wrong inside it), else the
// first branch. gojsonschema reports its best-scoring branch the same way.
func bestBranch(e *jsonschema.ValidationError) *jsonschema.ValidationError {
	for _, c := range e.Causes {
		if !typeMismatchAt(c, len(e.InstanceLocation)) {
			return c
		}
	}
	return e.Causes[0]
}

// typeMismatchAt reports whether e fails on "type" at the depth of the
// union itself.
func typeMismatchAt(e *jsonschema.ValidationError, depth int) bool {
	if _, ok := e.ErrorKind.(*kind.Type); ok && len(e.InstanceLocation) == depth {
		return true
	}
	for _, c := range e.Causes {
		if typeMismatchAt(c, depth) {
			return true
		}
	}
	return false
}
