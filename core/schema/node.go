package schema

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// Node is one subschema of a compiled JSON Schema, in the form editor
// features need: what the place allows, what it means, and how to fill it in.
// Only the keywords jobkit's schemas use are decoded; everything else stays
// in Raw.
type Node struct {
	// Bool is set for the boolean schemas true and false.
	Bool *bool
	// Ref is the "$ref" as written; Target is what it resolves to.
	Ref    string
	Target *Node

	Type []string // "object", "array", "string", "number", "integer", "boolean", "null"

	Properties map[string]*Node
	// PropertyOrder lists Properties in the order the schema declares them.
	PropertyOrder []string
	Required      []string
	// Additional is the additionalProperties schema; AdditionalFalse reports
	// "additionalProperties": false (unknown keys are errors).
	Additional      *Node
	AdditionalFalse bool
	// Dependencies maps a key to the keys it needs ("dependencies" with an
	// array) or to a subschema the object must then satisfy.
	DependentKeys    map[string][]string
	DependentSchemas map[string]*Node

	Items *Node

	AllOf, AnyOf, OneOf []*Node
	If, Then, Else      *Node
	Not                 *Node

	Enum     []any
	Const    any
	HasConst bool
	Pattern  string
	pattern  *regexp.Regexp

	Title               string
	Description         string
	MarkdownDescription string
	Default             any
	HasDefault          bool
	Examples            []any

	// jobkit extensions.

	// Subject names what this object is in messages: "a container/run op".
	Subject string // x-subject
	// Expected says in words what a value here may be, for type and pattern
	// errors: `a port number, a list of ports, or a literal "%%…%%"`.
	Expected string // x-expected
	// Snippets are whole values to insert here, for completion.
	Snippets []Snippet // x-snippets
	// Secret marks values that must never be echoed in messages.
	Secret bool // x-secret

	// Raw is the subschema as decoded JSON, for keywords not listed above.
	Raw map[string]any

	// static is what applies through the node, precomputed when that does
	// not depend on the document.
	static Set

	// For the pre-check (precheck.go): limits (-1 when absent), and opaque
	// when the subschema has a keyword the pre-check does not evaluate.
	minLength, maxLength, minItems, maxItems int
	minimum, maximum                         *int64
	propKeys                                 []string // every key of Properties
	uniqueItems, opaque                      bool

	// where is the subschema's JSON Pointer in the schema document ("#/definitions/Op").
	where string
	// structural: see isStructural.
	structural bool
}

// Snippet is a ready-made value offered by completion.
type Snippet struct {
	Label       string `json:"label"`
	Description string `json:"description,omitempty"`
	// Body is the text to insert, in LSP/VS Code snippet syntax ($1, ${1:x}).
	Body string `json:"body"`
}

// Resolve follows $ref chains and returns the subschema that applies.
func (n *Node) Resolve() *Node {
	for i := 0; n != nil && n.Target != nil && i < 32; i++ {
		n = n.Target
	}
	return n
}

// Doc returns the description to show in hover: the Markdown one if present.
func (n *Node) Doc() string {
	if n.MarkdownDescription != "" {
		return n.MarkdownDescription
	}
	return n.Description
}

// IsRequired reports whether the object schema requires key.
func (n *Node) IsRequired(key string) bool {
	for _, r := range n.Required {
		if r == key {
			return true
		}
	}
	return false
}

// AllowsType reports whether a JSON value of the given type ("integer" values
// count as "number" too) passes the node's "type" keyword.
func (n *Node) AllowsType(t string) bool {
	if len(n.Type) == 0 {
		return true
	}
	for _, x := range n.Type {
		if x == t || t == "integer" && x == "number" {
			return true
		}
	}
	return false
}

// compiler turns decoded schema JSON into Nodes and resolves local $refs.
type compiler struct {
	root *Node
	raw  any
	refs []*Node
	memo map[string]*Node
}

func buildTree(raw any) (*Node, error) {
	c := &compiler{raw: raw, memo: map[string]*Node{}}
	root, err := c.build(raw, "#")
	if err != nil {
		return nil, err
	}
	c.root = root
	for i := 0; i < len(c.refs); i++ { // lookups may add references
		n := c.refs[i]
		t, err := c.lookup(n.Ref)
		if err != nil {
			return nil, err
		}
		n.Target = t
	}
	for _, n := range c.memo {
		if !conditional(n, 0) {
			n.static = expandStatic(nil, n, 0)
		}
		n.structural = isStructural(n)
	}
	return root, nil
}

// conditional reports whether what applies through n depends on the
// document: an if, a oneOf/anyOf or a dependency is reachable through $ref
// and allOf.
func conditional(n *Node, depth int) bool {
	if n == nil {
		return false
	}
	if depth > maxExpand || n.If != nil || len(n.OneOf) > 0 || len(n.AnyOf) > 0 || len(n.DependentSchemas) > 0 {
		return true
	}
	if conditional(n.Target, depth+1) {
		return true
	}
	for _, a := range n.AllOf {
		if conditional(a, depth+1) {
			return true
		}
	}
	return false
}

// expandStatic is expand for a node that is not conditional.
func expandStatic(set Set, n *Node, depth int) Set {
	if n == nil || depth > maxExpand {
		return set
	}
	for _, x := range set {
		if x == n {
			return set
		}
	}
	set = append(set, n)
	set = expandStatic(set, n.Target, depth+1)
	for _, a := range n.AllOf {
		set = expandStatic(set, a, depth+1)
	}
	return set
}

func (c *compiler) build(raw any, where string) (*Node, error) {
	if b, ok := raw.(bool); ok {
		return &Node{Bool: &b, where: where}, nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema at %s: expected an object or a boolean", where)
	}
	if n, ok := c.memo[where]; ok {
		return n, nil
	}
	n := &Node{Raw: m, where: where}
	c.memo[where] = n
	precheckLimits(n, m, where == "#")
	var err error
	sub := func(key string) *Node {
		v, ok := m[key]
		if !ok || err != nil {
			return nil
		}
		var s *Node
		s, err = c.build(v, where+"/"+key)
		return s
	}
	list := func(key string) []*Node {
		arr, _ := m[key].([]any)
		var out []*Node
		for i, v := range arr {
			if err != nil {
				return nil
			}
			var s *Node
			s, err = c.build(v, fmt.Sprintf("%s/%s/%d", where, key, i))
			out = append(out, s)
		}
		return out
	}
	if r, ok := m["$ref"].(string); ok {
		n.Ref = r
		c.refs = append(c.refs, n)
	}
	switch t := m["type"].(type) {
	case string:
		n.Type = []string{t}
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				n.Type = append(n.Type, s)
			}
		}
	}
	if props, ok := m["properties"].(map[string]any); ok {
		n.Properties = map[string]*Node{}
		for k, v := range props {
			s, e := c.build(v, where+"/properties/"+escapePointer(k))
			if e != nil {
				return nil, e
			}
			n.Properties[k] = s
		}
		n.PropertyOrder = propertyOrder(m, props)
		n.propKeys = make([]string, 0, len(props))
		for k := range props {
			n.propKeys = append(n.propKeys, k)
		}
	}
	n.Required = append(n.Required, asStrings(m["required"])...)
	switch ap := m["additionalProperties"].(type) {
	case bool:
		n.AdditionalFalse = !ap
	case map[string]any:
		n.Additional = sub("additionalProperties")
	}
	if deps, ok := m["dependencies"].(map[string]any); ok {
		for k, v := range deps {
			if arr, ok := v.([]any); ok {
				if n.DependentKeys == nil {
					n.DependentKeys = map[string][]string{}
				}
				n.DependentKeys[k] = asStrings(arr)
				continue
			}
			s, e := c.build(v, where+"/dependencies/"+escapePointer(k))
			if e != nil {
				return nil, e
			}
			if n.DependentSchemas == nil {
				n.DependentSchemas = map[string]*Node{}
			}
			n.DependentSchemas[k] = s
		}
	}
	if _, ok := m["items"].(map[string]any); ok {
		n.Items = sub("items")
	}
	n.AllOf, n.AnyOf, n.OneOf = list("allOf"), list("anyOf"), list("oneOf")
	n.If, n.Then, n.Else, n.Not = sub("if"), sub("then"), sub("else"), sub("not")
	if err != nil {
		return nil, err
	}
	if e, ok := m["enum"].([]any); ok {
		n.Enum = e
	}
	n.Const, n.HasConst = m["const"]
	if p, ok := m["pattern"].(string); ok {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("schema at %s: pattern %q: %w", where, p, err)
		}
		n.Pattern, n.pattern = p, re
	}
	n.Title, _ = m["title"].(string)
	n.Description, _ = m["description"].(string)
	n.MarkdownDescription, _ = m["markdownDescription"].(string)
	n.Default, n.HasDefault = m["default"]
	n.Examples, _ = m["examples"].([]any)
	n.Subject, _ = m["x-subject"].(string)
	n.Expected, _ = m["x-expected"].(string)
	n.Secret, _ = m["x-secret"].(bool)
	if sn, ok := m["x-snippets"]; ok {
		if n.Snippets, err = snippetsOf(sn); err != nil {
			return nil, fmt.Errorf("schema at %s: x-snippets: %w", where, err)
		}
	}
	return n, nil
}

// lookup resolves a local reference such as "#/definitions/Op".
func (c *compiler) lookup(ref string) (*Node, error) {
	if !strings.HasPrefix(ref, "#") {
		return nil, fmt.Errorf("$ref %q: only references inside the schema (#/...) are supported", ref)
	}
	if n, ok := c.memo[ref]; ok {
		return n, nil
	}
	cur := c.raw
	for _, tok := range strings.Split(strings.TrimPrefix(ref, "#"), "/")[1:] {
		tok = jsonast.UnescapePointerToken(tok)
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$ref %q: no such place in the schema", ref)
		}
		if cur, ok = m[tok]; !ok {
			return nil, fmt.Errorf("$ref %q: no such place in the schema", ref)
		}
	}
	return c.build(cur, ref)
}

func escapePointer(s string) string {
	return jsonast.EscapePointerToken(s)
}

func asStrings(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, x := range arr {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// propertyOrder returns the declared order of properties when the schema
// lists it in "x-order", and otherwise required keys first, then the rest
// alphabetically (decoded JSON objects do not keep their order).
func propertyOrder(m map[string]any, props map[string]any) []string {
	if o := asStrings(m["x-order"]); len(o) > 0 {
		return o
	}
	req := map[string]bool{}
	for _, r := range asStrings(m["required"]) {
		req[r] = true
	}
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if req[keys[i]] != req[keys[j]] {
			return req[keys[i]]
		}
		return keys[i] < keys[j]
	})
	return keys
}
