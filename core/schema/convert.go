package schema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// convert turns one violation at node n into diagnostics.
func (m *mapper) convert(k jsonschema.ErrorKind, n *jsonast.Node) {
	r := m.s.opts.Rules
	switch k := k.(type) {
	case *kind.AdditionalProperties:
		for _, key := range k.Properties {
			m.unknownKey(n, key)
		}
	case *kind.Required:
		// Deferred: an unknown key may turn out to be this field misspelt.
		for _, key := range k.Missing {
			m.required = append(m.required, missingField{n, key})
		}
	case *kind.Dependency:
		for _, key := range k.Missing {
			m.missingDependency(n, key)
		}
	case *kind.DependentRequired:
		for _, key := range k.Missing {
			m.missingDependency(n, key)
		}
	case *kind.Type:
		m.wrongType(n, k.Want)
	case *kind.Const:
		m.notAllowed(n, []any{k.Want})
	case *kind.Enum:
		m.notAllowed(n, k.Want)
	case *kind.Pattern, *kind.Format:
		m.value(r.InvalidValue, n, "expected "+m.expected(n, "a string of the expected form"))
	case *kind.FalseSchema:
		m.forbidden(n)
	case *kind.Minimum:
		m.value(r.InvalidValue, n, "must be at least "+number(k.Want))
	case *kind.ExclusiveMinimum:
		m.value(r.InvalidValue, n, "must be greater than "+number(k.Want))
	case *kind.Maximum:
		m.value(r.InvalidValue, n, "must be at most "+number(k.Want))
	case *kind.ExclusiveMaximum:
		m.value(r.InvalidValue, n, "must be less than "+number(k.Want))
	case *kind.MultipleOf:
		m.value(r.InvalidValue, n, "must be a multiple of "+number(k.Want))
	case *kind.MinLength:
		m.value(r.InvalidValue, n, fmt.Sprintf("must be at least %d characters long", k.Want))
	case *kind.MaxLength:
		m.value(r.InvalidValue, n, fmt.Sprintf("must be at most %d characters long", k.Want))
	case *kind.MinItems:
		m.plain(r.InvalidValue, n, fmt.Sprintf("needs at least %d %s", k.Want, plural(k.Want, "item")))
	case *kind.MaxItems:
		m.plain(r.InvalidValue, n, fmt.Sprintf("may hold at most %d %s", k.Want, plural(k.Want, "item")))
	case *kind.MinProperties:
		m.plain(r.InvalidValue, n, fmt.Sprintf("needs at least %d %s", k.Want, plural(k.Want, "key")))
	case *kind.MaxProperties:
		m.plain(r.InvalidValue, n, fmt.Sprintf("may hold at most %d %s", k.Want, plural(k.Want, "key")))
	case *kind.UniqueItems:
		m.duplicateItem(n, k.Duplicates[0], k.Duplicates[1])
	case *kind.InvalidJsonValue, *kind.RefCycle:
		// Not a fault of the document; nothing useful to say.
	default:
		// A "not" or a oneOf that more than one branch fits, with nothing
		// more specific below it, or a keyword jobkit's schemas do not use.
		if exp := m.setOf(n).Expected(); exp != "" {
			m.value(r.WrongType, n, "expected "+exp)
			return
		}
		what := "the schema"
		if s := m.subject(n); s != "" {
			what = s
		}
		m.plain(r.InvalidValue, n, "this value does not fit "+what)
	}
}

// number renders a schema bound the way people write it: 10, 0.5, -3.
func number(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	return new(big.Float).SetRat(r).Text('g', -1)
}

// prefix puts the field path in front of a message.
func prefix(path, msg string) string {
	if path == "" {
		return msg
	}
	return path + ": " + msg
}

// plain reports msg on n's value.
func (m *mapper) plain(rule string, n *jsonast.Node, msg string, fixes ...diag.Fix) {
	m.add(rule, diag.Error, n.Start, n.End, n, nil, prefix(m.path(n), msg), fixes...)
}

// value reports msg on n's value and says what was found.
func (m *mapper) value(rule string, n *jsonast.Node, msg string, fixes ...diag.Fix) {
	// prefix(path, msg+", found "+describe(n)), written into one buffer.
	var buf [256]byte
	b := buf[:0]
	if path := m.path(n); path != "" {
		b = append(append(b, path...), ": "...)
	}
	b = append(append(b, msg...), ", found "...)
	secret := (n.Kind == jsonast.String || n.Kind == jsonast.Number) && m.setOf(n).Secret()
	b = appendDescription(b, n, secret)
	m.add(rule, diag.Error, n.Start, n.End, n, nil, string(b), fixes...)
}

// expected returns the schema's x-expected text at n, or def.
func (m *mapper) expected(n *jsonast.Node, def string) string {
	if exp := m.setOf(n).Expected(); exp != "" {
		return exp
	}
	return def
}

// describe names a found value for a message, without echoing secrets.
func (m *mapper) describe(n *jsonast.Node) string {
	secret := (n.Kind == jsonast.String || n.Kind == jsonast.Number) && m.setOf(n).Secret()
	return describeValue(n, secret)
}

func (m *mapper) unknownKey(obj *jsonast.Node, key string) {
	if obj.Kind != jsonast.Object {
		return
	}
	mem := m.member(obj, key)
	if mem == nil {
		return
	}
	sg := m.suggestion(obj, key)
	suggestion := sg.to
	path := m.path(obj)
	var msg string
	if m.s.opts.UnknownKeyMessage != nil {
		msg = m.s.opts.UnknownKeyMessage(path, key, suggestion)
	} else {
		// Written into one buffer: a file full of unknown keys has
		// thousands of these.
		var buf [256]byte
		b := buf[:0]
		if path != "" {
			b = append(append(b, path...), ": "...)
		}
		b = appendQuoted(append(b, "unknown key "...), key)
		if s := m.subject(obj); s != "" {
			b = append(append(b, " in "...), s...)
		}
		if suggestion != "" {
			b = append(appendQuoted(append(b, "; did you mean "...), suggestion), '?')
		}
		if sg.note != "" {
			b = append(append(append(b, " ("...), sg.note...), ')')
		}
		msg = string(b)
	}
	// The fixes and their edits share one allocation each; their titles
	// and texts come from the suggestion cache.
	fixes := make([]diag.Fix, 0, 2)
	edits := make([]diag.TextEdit, 2)
	if suggestion != "" {
		edits[0] = m.doc.Edit(mem.KeyStart, mem.KeyEnd, sg.quotedTo)
		fixes = append(fixes, diag.Fix{Title: sg.renameTitle, Edits: edits[0:1:1], Safe: sg.safe && !obj.Has(suggestion)})
		m.suggested = append(m.suggested, missingField{obj, suggestion})
	}
	start, end := removeRange(mem)
	edits[1] = m.doc.Edit(start, end, "")
	fixes = append(fixes, diag.Fix{Title: sg.removeTitle, Edits: edits[1:2:2]})
	m.add(m.s.opts.Rules.UnknownKey, m.s.opts.UnknownKeySeverity, mem.KeyStart, mem.KeyEnd, obj, keySeg(key), msg, fixes...)
}

// missing reports a required key absent from obj: on the key that holds obj,
// or on its opening brace when obj is an array item or the root.
func (m *mapper) missing(obj *jsonast.Node, key string) {
	if obj.Kind != jsonast.Object || m.member(obj, key) != nil {
		// A key without a usable value ("image": ) was reported by the scanner.
		return
	}
	var msg string
	if s := m.subject(obj); s != "" {
		msg = prefix(m.path(obj), "missing required field "+quote(key)+" for "+s)
	} else {
		msg = prefix(m.path(obj), "missing required field "+quote(key))
	}
	start, end := obj.Start, obj.Start+1
	if obj.Member != nil {
		start, end = obj.Member.KeyStart, obj.Member.KeyEnd
	}
	m.add(m.s.opts.Rules.MissingField, diag.Error, start, end, obj, nil, msg)
}

// missingDependency reports a key that needs another key beside it, on the
// key that needs it.
func (m *mapper) missingDependency(obj *jsonast.Node, needed string) {
	if obj.Kind != jsonast.Object {
		return
	}
	for _, sn := range m.setOf(obj) {
		for k, deps := range sn.DependentKeys {
			mem := m.member(obj, k)
			if mem == nil || !contains(deps, needed) {
				continue
			}
			msg := prefix(m.path(obj), quote(k)+" needs "+quote(needed)+" to be set as well")
			m.add(m.s.opts.Rules.MissingField, diag.Error, mem.KeyStart, mem.KeyEnd, obj, keySeg(k), msg, removeFix(m.doc, mem))
			return
		}
	}
	m.missing(obj, needed)
}

// forbidden reports a key whose schema is false: one that cannot be combined
// with another key present (dependencies: {k: {properties: {key: false}}}).
func (m *mapper) forbidden(n *jsonast.Node) {
	mem, obj := n.Member, n.Parent
	if mem == nil || obj == nil {
		m.plain(m.s.opts.Rules.InvalidValue, n, "is not allowed here")
		return
	}
	other := ""
	for _, sn := range m.setOf(obj) {
		for k, dep := range sn.DependentSchemas {
			if p, ok := dep.Resolve().Properties[mem.Key]; ok && p.Bool != nil && !*p.Bool && obj.Has(k) {
				other = k
			}
		}
	}
	msg := quote(mem.Key) + " is not allowed here"
	if other != "" {
		msg = quote(mem.Key) + " cannot be used together with " + quote(other)
		if s := m.subject(obj); s != "" {
			msg += " in " + s
		}
	}
	m.add(m.s.opts.Rules.InvalidValue, diag.Error, mem.KeyStart, mem.KeyEnd, obj, keySeg(mem.Key), prefix(m.path(obj), msg), removeFix(m.doc, mem))
}

func (m *mapper) wrongType(n *jsonast.Node, want []string) {
	types := m.schemaOrder(n, want)
	exp := m.setOf(n).Expected()
	if exp == "" {
		exp = describeTypes(types)
	}
	var fixes []diag.Fix
	if len(types) == 1 {
		if f, ok := coerceFix(m.doc, n, types[0]); ok {
			fixes = append(fixes, f)
		} else if types[0] == "array" && n.Kind != jsonast.Array {
			text := string(m.doc.Text[n.Start:n.End])
			fixes = append(fixes, diag.Fix{Title: "Put the value in a list", Edits: []diag.TextEdit{m.doc.Edit(n.Start, n.End, "["+text+"]")}})
		}
	}
	m.value(m.s.opts.Rules.WrongType, n, "expected "+exp, fixes...)
}

// schemaOrder returns the types of a failed "type" keyword in the order the
// schema lists them (the engine reports them in an order of its own).
func (m *mapper) schemaOrder(n *jsonast.Node, want []string) []string {
	if len(want) < 2 {
		return want
	}
	for _, sn := range m.setOf(n) {
		if len(sn.Type) == len(want) && sameSet(sn.Type, want) {
			return sn.Type
		}
	}
	return want
}

func sameSet(a, b []string) bool {
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}

// notAllowed reports an enum or const mismatch, listing the allowed values
// and suggesting the closest one.
func (m *mapper) notAllowed(n *jsonast.Node, want []any) {
	allowed := m.setOf(n).Enum()
	if len(allowed) == 0 {
		allowed = plainValues(want)
	}
	var msg string
	switch {
	case len(allowed) == 1:
		msg = "must be " + literal(allowed[0])
	default:
		msg = "expected " + m.listValues(allowed)
	}
	var fixes []diag.Fix
	hint := ""
	if n.Kind == jsonast.String {
		var cands []string
		for _, a := range allowed {
			if s, ok := a.(string); ok {
				cands = append(cands, s)
			}
		}
		if best, d := closest(n.Str, cands); best != "" && (d <= 1 || d == 2 && len(n.Str) >= 4 || len(cands) == 1) {
			if len(cands) > 1 {
				hint = "; did you mean " + quote(best) + "?"
			}
			fixes = append(fixes, diag.Fix{
				Title: "Change to " + quote(best),
				Edits: []diag.TextEdit{m.doc.Edit(n.Start, n.End, quote(best))},
				Safe:  d <= 1 || strings.EqualFold(best, n.Str),
			})
		}
	}
	m.plain(m.s.opts.Rules.InvalidValue, n, msg+", found "+m.describe(n)+hint, fixes...)
}

// duplicateItem reports the second of two equal array items.
func (m *mapper) duplicateItem(arr *jsonast.Node, i, j int) {
	items := arr.Items
	if arr.Kind == jsonast.Array {
		items = m.loc.keptItems(arr)
	}
	if arr.Kind != jsonast.Array || j >= len(items) || i >= len(items) {
		m.plain(m.s.opts.Rules.InvalidValue, arr, "items must be unique")
		return
	}
	it := items[j]
	m.add(m.s.opts.Rules.InvalidValue, diag.Error, it.Start, it.End, it, nil,
		prefix(m.path(arr), fmt.Sprintf("items must be unique: item %d repeats item %d", items[j].Index, items[i].Index)),
		removeItemFix(m.doc, it))
}

// listValues is listValues cached per enum: the ops of one kind share theirs.
func (m *mapper) listValues(vs []any) string {
	k := &vs[0]
	if s, ok := m.lists[k]; ok {
		return s
	}
	if m.lists == nil {
		m.lists = map[*any]string{}
	}
	s := listValues(vs)
	m.lists[k] = s
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// plainValues turns the engine's decoded values (json.Number for numbers)
// into the ones the schema tree holds (float64), for literal.
func plainValues(vs []any) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		if num, ok := v.(json.Number); ok {
			if f, err := num.Float64(); err == nil {
				v = f
			}
		}
		out[i] = v
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// allowedKeys returns the keys the schema allows in obj, cached per schema
// set (the ops of one kind all share one), and that set's cache key.
func (m *mapper) allowedKeys(obj *jsonast.Node) ([]string, [2]*Node) {
	set := m.setOf(obj)
	if len(set) == 0 {
		return nil, [2]*Node{}
	}
	k := [2]*Node{set[0], set[len(set)-1]}
	if keys, ok := m.allowed[k]; ok {
		return keys, k
	}
	if m.allowed == nil {
		m.allowed = map[[2]*Node][]string{}
	}
	keys := m.s.setKeys(set)
	m.allowed[k] = keys
	return keys, k
}

// suggestionKey is what suggestKey's answer depends on: the keys allowed
// (by schema set), the key of the object's own member (for aliases) and
// the unknown key.
type suggestionKey struct {
	set       [2]*Node
	inMember  bool
	parentKey string
	key       string
}

// suggestion is the answer of suggestKey, with the texts of the fixes of
// an unknown key (renameFix, removeFix) that depend on nothing else.
type suggestion struct {
	to, note                 string
	safe                     bool
	quotedTo                 string
	renameTitle, removeTitle string
}

// suggestion is suggestKey cached: a file repeating one mistake in every op
// asks the same question thousands of times, and the edit-distance search
// over the allowed keys is the costly part.
func (m *mapper) suggestion(obj *jsonast.Node, key string) suggestion {
	allowed, set := m.allowedKeys(obj)
	k := suggestionKey{set: set, key: key}
	if obj.Member != nil {
		k.inMember, k.parentKey = true, obj.Member.Key
	}
	if sg, ok := m.suggests[k]; ok {
		return sg
	}
	var sg suggestion
	sg.to, sg.note, sg.safe = m.suggestKey(obj, key, allowed)
	if sg.to != "" {
		sg.quotedTo = quote(sg.to)
		sg.renameTitle = renameTitle(key, sg.to)
	}
	sg.removeTitle = removeTitle(key)
	if m.suggests == nil {
		m.suggests = map[suggestionKey]suggestion{}
	}
	m.suggests[k] = sg
	return sg
}

// missingField is a required key absent from an object.
type missingField struct {
	obj *jsonast.Node
	key string
}

// reportMissing reports the deferred missing fields, except those an
// unknown-key diagnostic of the same object already suggests ("img": did you
// mean "image"?): one fault, one diagnostic.
func (m *mapper) reportMissing() {
	if len(m.required) == 0 {
		return
	}
	// Indexed once, at its final size: a map grown suggestion by suggestion
	// rehashes again and again in a file full of unknown keys.
	suggested := make(map[missingField]bool, len(m.suggested))
	for _, f := range m.suggested {
		suggested[f] = true
	}
	for _, f := range m.required {
		if !suggested[f] {
			m.missing(f.obj, f.key)
		}
	}
}
