// Package schema checks a parsed JSON document against a JSON Schema
// (draft-07, validated by github.com/santhosh-tekuri/jsonschema/v6) and
// turns every violation into a jobkit
// diagnostic placed on the exact key or value, worded for people. It also
// navigates the schema for editor intelligence.
//
// Linting:
//
//	s, err := schema.Compile(schemaJSON, schema.Options{...})
//	diags := s.Validate(doc) // doc from jsonast.Parse
//
// Validate walks the parsed tree itself and reports, exactly as the engine
// would, the violations of the keywords the pre-check evaluates (report.go);
// only what it cannot decide goes to the engine, as plain Go values, whose
// errors are placed on nodes by their instance locations (no re-parsing;
// large objects and arrays are indexed once, however many errors they have).
// Placement: an unknown key is reported on the key; a missing required field
// on the key of the object that lacks it (or its opening brace inside an
// array); type, enum, const, pattern and range errors on the value. Union
// wrappers (allOf, $ref) give way to their causes; a failed oneOf/anyOf to
// the causes of its best branch; a "not" (or a oneOf that more than one
// branch fits) is kept only when nothing more specific lies at or below its
// place, and is then worded from the schema's "x-expected" text.
//
// Schemas should pick union branches with allOf + if/then on a
// discriminator (an op "type", a resource "type"), and use keywords that
// apply to one JSON type only (pattern, properties, items) instead of oneOf
// over types, so errors come from the branch the user meant.
//
// jobkit's schema extensions (all optional):
//
//	x-subject   names the object in messages: "a container/run op"
//	x-expected  says what a value may be: `a port number or a list of ports`
//	x-snippets  [{label, description, body}] whole values for completion
//	x-secret    true: never echo the value in a message
//	x-order     the order of "properties" for completion and docs
//
// Navigation (completion, hover):
//
//	set := s.At(doc, segs) // subschemas at a place, discriminators applied
//	set.Properties()       // []Property{Name, Schemas, Required}
//	set.Doc(), set.Types(), set.Enum(), set.Default(), set.Examples(),
//	set.Snippets(), set.Subject(), set.Closed()
//
// Each Node of a Set also exposes its raw fields (Description,
// MarkdownDescription, Enum, Const, Default, Examples, Properties, ...).
package schema

import (
	"fmt"
	"sync"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// RuleIDs are the rule ids the schema layer reports under. Empty fields get
// the defaults "unknown-key", "missing-field", "wrong-type",
// "invalid-value" and "key-case".
type RuleIDs struct {
	UnknownKey   string // a key the schema does not allow at that place
	MissingField string // a required key is absent
	WrongType    string // the value has the wrong JSON type
	InvalidValue string // right type, but not an allowed value (enum, const, pattern, range)
	KeyCase      string // CaseInsensitiveKeys: a key written with the wrong casing
}

// Alias maps a key people write by mistake to the key they meant.
type Alias struct {
	// To is the key to suggest ("" when there is none, e.g. a removed field).
	To string
	// Note is added to the message, e.g. "a legacy field: remove it".
	Note string
}

// Options tune messages and rule ids to one format.
type Options struct {
	Rules RuleIDs
	// Subject names the object at node for messages ("a container/run op").
	// When nil or when it returns "", the schema's x-subject is used.
	Subject func(doc *jsonast.Document, node *jsonast.Node) string
	// Aliases suggest a key for an unknown one. The map key is the unknown
	// key ("command") or "<parent key>.<key>" to limit it to one parent
	// ("args.required_vram"). A suggestion is made only when the schema
	// allows it at that place.
	Aliases map[string]Alias
	// CaseInsensitiveKeys matches keys regardless of case (Nomad does): a
	// key with the wrong casing is a warning with a rename fix, and
	// validation continues as if it were written canonically.
	CaseInsensitiveKeys bool
	// NullItemsLeftOut tells Violations that the value it is given leaves
	// out the null items of arrays (Nomad's pre-pass does): item numbers
	// are counted without them. Validate does not use it.
	NullItemsLeftOut bool
	// UnknownKeyMessage, when set, words the unknown-key message. path is
	// the path of the object holding the key; suggestion may be "".
	UnknownKeyMessage func(path, key, suggestion string) string
	// UnknownKeySeverity is the severity of unknown-key diagnostics
	// (default Error).
	UnknownKeySeverity diag.Severity
}

// Schema is a compiled schema. It is safe for concurrent use.
type Schema struct {
	root *Node
	opts Options
	raw  []byte
	// engines is the engine's compiled form of the schema and of the
	// subschemas parts of a document are validated against, compiled on
	// first use (split.go).
	engines engines
	// docURLs are the doc links of the rule ids, built once.
	docURLs map[string]string
	// keys remembers the keys of the schema sets unknown keys were
	// found in (setKeys).
	keys sync.Map
}

// Compile parses and compiles a draft-07 schema. Only references inside the
// schema ("#/definitions/...") are supported.
func Compile(schemaJSON []byte, opts Options) (*Schema, error) {
	raw, err := decodeJSON(schemaJSON)
	if err != nil {
		return nil, fmt.Errorf("compile schema: %w", err)
	}
	root, err := buildTree(raw)
	if err != nil {
		return nil, fmt.Errorf("compile schema: %w", err)
	}
	r := &opts.Rules
	for _, f := range []struct {
		p   *string
		def string
	}{{&r.UnknownKey, "unknown-key"}, {&r.MissingField, "missing-field"}, {&r.WrongType, "wrong-type"}, {&r.InvalidValue, "invalid-value"}, {&r.KeyCase, "key-case"}} {
		if *f.p == "" {
			*f.p = f.def
		}
	}
	urls := map[string]string{}
	for _, id := range []string{r.UnknownKey, r.MissingField, r.WrongType, r.InvalidValue, r.KeyCase} {
		urls[id] = diag.DocURL(id)
	}
	return &Schema{root: root, opts: opts, raw: schemaJSON, docURLs: urls}, nil
}

// JSON returns the schema text Compile was given.
func (s *Schema) JSON() []byte { return s.raw }

// Validate checks doc and returns the schema-layer diagnostics, sorted. A
// document without a root value (empty or unreadable text) yields none: the
// scanner already reported it.
func (s *Schema) Validate(doc *jsonast.Document) (out []diag.Diagnostic) {
	if doc == nil || doc.Root == nil || doc.Root.Kind == jsonast.Invalid {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			out = append(out, diag.Diagnostic{
				Rule: "internal", Severity: diag.Error,
				Message: fmt.Sprintf("internal error in the schema check: %v (please report this)", p),
				Range:   doc.Lines.Range(0, 0),
			})
		}
	}()
	if s.opts.CaseInsensitiveKeys {
		m := newMapper(s, doc)
		m.mapViolations(s.violations(m.loc, m.canonicalValue(doc.Root, m.setOf(doc.Root))))
		return diag.Sort(m.out)
	}
	l := &locator{root: doc.Root}
	vs, err := s.splitViolations(l, s.root, doc.Root)
	if err != nil {
		// A subschema the engine did not find (it compiled them all with
		// the root): validate the whole document instead.
		l = &locator{root: doc.Root}
		vs = s.violations(l, doc.Root.Value())
	}
	if len(vs) == 0 {
		return nil // the common case: nothing for the engine to report
	}
	m := newMapper(s, doc)
	m.loc = l
	m.mapViolations(vs)
	return diag.Sort(m.out)
}

// Valid reports whether doc passes the schema, without building messages.
func (s *Schema) Valid(doc *jsonast.Document) bool {
	if doc == nil || doc.Root == nil {
		return false
	}
	if v := s.precheck(s.root, doc.Root, 0); v != unknown {
		return v == valid
	}
	return s.engine().Validate(doc.Root.Value()) == nil
}
