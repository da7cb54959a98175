package schema

import "slices"

// Property is one key an object may have, merged over a Set.
type Property struct {
	Name     string
	Schemas  Set // the subschemas of the key's value (unexpanded)
	Required bool
}

// Properties lists the keys the place allows, most specific schema first
// for ordering, each with whether some applicable schema requires it.
func (s Set) Properties() []Property {
	var out []Property
	idx := map[string]int{}
	for i := len(s) - 1; i >= 0; i-- {
		n := s[i]
		for _, k := range n.PropertyOrder {
			j, ok := idx[k]
			if !ok {
				j = len(out)
				idx[k] = j
				out = append(out, Property{Name: k})
			}
			out[j].Schemas = append(out[j].Schemas, n.Properties[k])
			out[j].Required = out[j].Required || n.IsRequired(k)
		}
	}
	for _, n := range s {
		for _, r := range n.Required {
			if j, ok := idx[r]; ok {
				out[j].Required = true
			}
		}
	}
	return out
}

// Keys returns the names of the keys the place allows.
func (s Set) Keys() []string {
	props := s.Properties()
	out := make([]string, len(props))
	for i, p := range props {
		out[i] = p.Name
	}
	return out
}

// setKeys is set.Keys() remembered by the schema: the keys of a set depend
// on the schema alone, and every lint with an unknown key in an op asks for
// the same few sets.
func (s *Schema) setKeys(set Set) []string {
	k := [2]*Node{set[0], set[len(set)-1]}
	if v, ok := s.keys.Load(k); ok {
		if kl := v.(*keyList); slices.Equal(kl.set, set) {
			return kl.keys
		}
		return set.Keys() // another set with the same ends: not cached
	}
	keys := set.Keys()
	s.keys.Store(k, &keyList{set: slices.Clone(set), keys: keys})
	return keys
}

// keyList is a set and its keys, for setKeys.
type keyList struct {
	set  Set
	keys []string
}

// Closed reports whether the place rejects keys it does not declare.
func (s Set) Closed() bool {
	for _, n := range s {
		if n.AdditionalFalse {
			return true
		}
	}
	return false
}

// Required lists the keys some applicable schema requires.
func (s Set) Required() []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range s {
		for _, r := range n.Required {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	return out
}

// Types returns the JSON types allowed at the place (the intersection of the
// "type" keywords that apply; nil means any).
func (s Set) Types() []string {
	var out []string
	first := true
	for _, n := range s {
		if len(n.Type) == 0 {
			continue
		}
		if first {
			out, first = append([]string(nil), n.Type...), false
			continue
		}
		kept := out[:0]
		for _, t := range out {
			if n.AllowsType(t) {
				kept = append(kept, t)
			}
		}
		out = kept
	}
	return out
}

// Doc returns the most specific description: the first non-empty one, which
// is the description written for this key before the one of its type.
func (s Set) Doc() string {
	for _, n := range s {
		if d := n.Doc(); d != "" {
			return d
		}
	}
	return ""
}

// Enum returns the allowed values listed by enum or const keywords.
func (s Set) Enum() []any {
	var out []any
	for _, n := range s {
		if n.HasConst {
			return []any{n.Const}
		}
		if len(n.Enum) > 0 && out == nil {
			out = n.Enum
		}
	}
	return out
}

// Default returns the first default value declared.
func (s Set) Default() (any, bool) {
	for _, n := range s {
		if n.HasDefault {
			return n.Default, true
		}
	}
	return nil, false
}

// Examples returns every example value declared.
func (s Set) Examples() []any {
	var out []any
	for _, n := range s {
		out = append(out, n.Examples...)
	}
	return out
}

// Snippets returns every snippet declared.
func (s Set) Snippets() []Snippet {
	var out []Snippet
	for _, n := range s {
		out = append(out, n.Snippets...)
	}
	return out
}

// Subject names the object at the place ("a container/run op"): the most
// specific x-subject.
func (s Set) Subject() string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i].Subject != "" {
			return s[i].Subject
		}
	}
	return ""
}

// Expected returns the most specific x-expected text.
func (s Set) Expected() string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i].Expected != "" {
			return s[i].Expected
		}
	}
	return ""
}

// Secret reports whether values at the place must not be echoed.
func (s Set) Secret() bool {
	for _, n := range s {
		if n.Secret {
			return true
		}
	}
	return false
}
