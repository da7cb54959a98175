package jobschema

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// The JSON Schema check is the slowest part of the schema
// layer, and for a job without type errors it finds nothing. typeSchema is a
// small, conservative reading of the same schema.json: clean reports whether
// a value certainly gets none of the errors Check reports (type,
// minimum, maximum). prune uses it to leave clean parts out before
// the engine runs, so the engine only walks the parts with errors.
type typeSchema struct {
	ref        string // "#/definitions/X": the other keywords do not apply
	typ        string // "" (any), "string", "integer", "number", "boolean", "array", "object"
	props      map[string]*typeSchema
	additional *typeSchema // additionalProperties as a schema, or nil
	items      *typeSchema
	min, max   *int64
}

type typeCatalogue struct {
	root *typeSchema
	defs map[string]*typeSchema
}

// typeCheck returns nil when schema.json uses something the reading does not
// understand; prune then changes nothing.
var typeCheck = sync.OnceValue(func() *typeCatalogue { return loadTypeCheck(SchemaJSON) })

// knownKeywords are the schema keywords typeSchema understands or that cannot
// produce an error Check reports.
var knownKeywords = map[string]bool{"$ref": true, "type": true, "properties": true, "additionalProperties": true,
	"items": true, "minimum": true, "maximum": true, "enum": true, "description": true, "default": true,
	"deprecated": true, "title": true, "$id": true, "$schema": true, "definitions": true}

func loadTypeCheck(b []byte) *typeCatalogue {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil
	}
	root, ok := readTypeSchema(raw)
	if !ok {
		return nil
	}
	var defs map[string]map[string]json.RawMessage
	if err := json.Unmarshal(raw["definitions"], &defs); err != nil {
		return nil
	}
	c := &typeCatalogue{root: root, defs: map[string]*typeSchema{}}
	for name, d := range defs {
		s, ok := readTypeSchema(d)
		if !ok {
			return nil
		}
		c.defs["#/definitions/"+name] = s
	}
	if !c.refsResolve(root, 0) {
		return nil
	}
	for _, s := range c.defs {
		if !c.refsResolve(s, 0) {
			return nil
		}
	}
	return c
}

func readTypeSchema(raw map[string]json.RawMessage) (*typeSchema, bool) {
	s := &typeSchema{}
	for k, v := range raw {
		if strings.HasPrefix(k, "x-") {
			continue
		}
		if !knownKeywords[k] {
			return nil, false
		}
		var err error
		switch k {
		case "$ref":
			err = json.Unmarshal(v, &s.ref)
		case "type":
			err = json.Unmarshal(v, &s.typ) // a list of types fails here: not understood
		case "minimum", "maximum":
			var n int64
			if err = json.Unmarshal(v, &n); err == nil {
				if k == "minimum" {
					s.min = &n
				} else {
					s.max = &n
				}
			}
		case "properties":
			var props map[string]map[string]json.RawMessage
			if err = json.Unmarshal(v, &props); err == nil {
				s.props = map[string]*typeSchema{}
				for name, p := range props {
					ps, ok := readTypeSchema(p)
					if !ok {
						return nil, false
					}
					s.props[name] = ps
				}
			}
		case "additionalProperties", "items":
			var sub map[string]json.RawMessage
			if json.Unmarshal(v, &sub) != nil {
				var b bool
				if k == "items" || json.Unmarshal(v, &b) != nil {
					return nil, false // a list of item schemas, or not understood
				}
				continue // true or false: additional_property_not_allowed is not reported
			}
			ss, ok := readTypeSchema(sub)
			if !ok {
				return nil, false
			}
			if k == "items" {
				s.items = ss
			} else {
				s.additional = ss
			}
		}
		if err != nil {
			return nil, false
		}
	}
	switch s.typ {
	case "", "string", "integer", "number", "boolean", "array", "object":
	default:
		return nil, false
	}
	return s, true
}

func (c *typeCatalogue) refsResolve(s *typeSchema, depth int) bool {
	if s == nil {
		return true
	}
	if depth > 64 {
		return false
	}
	if s.ref != "" && c.defs[s.ref] == nil {
		return false
	}
	for _, p := range s.props {
		if !c.refsResolve(p, depth+1) {
			return false
		}
	}
	return c.refsResolve(s.additional, depth+1) && c.refsResolve(s.items, depth+1)
}

func (c *typeCatalogue) deref(s *typeSchema) *typeSchema {
	for i := 0; s != nil && s.ref != "" && i < 64; i++ {
		s = c.defs[s.ref]
	}
	return s
}

// clean reports whether v certainly gets no reported error under s (nil:
// no schema applies) and leaving it out cannot change what the engine sees
// elsewhere.
func (c *typeCatalogue) clean(s *typeSchema, v any, depth int) bool {
	if s == nil {
		return roundTrips(v, depth)
	}
	s = c.deref(s)
	if s == nil || s.ref != "" || depth > 256 {
		return false
	}
	switch x := v.(type) {
	case nil:
		return s.typ == ""
	case string:
		return s.typ == "" || s.typ == "string"
	case bool:
		return s.typ == "" || s.typ == "boolean"
	case json.Number:
		if s.typ != "" && s.typ != "integer" && s.typ != "number" {
			return false
		}
		if s.typ == "number" && s.min == nil && s.max == nil {
			return validNumber(string(x))
		}
		if s.typ == "" && s.min == nil && s.max == nil {
			return validNumber(string(x))
		}
		n, err := strconv.ParseInt(string(x), 10, 64)
		if err != nil {
			return false
		}
		return (s.min == nil || n >= *s.min) && (s.max == nil || n <= *s.max)
	case []any:
		if x == nil || s.typ != "" && s.typ != "array" {
			return false
		}
		for _, e := range x {
			if !c.clean(s.items, e, depth+1) {
				return false
			}
		}
		return true
	case map[string]any:
		if x == nil || s.typ != "" && s.typ != "object" {
			return false
		}
		for k, e := range x {
			if !safeKey(k) || !c.clean(c.propSchema(s, k), e, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// propSchema is the schema a member of an object under s is checked against
// (nil: none, always clean).
func (c *typeCatalogue) propSchema(s *typeSchema, key string) *typeSchema {
	if p, ok := s.props[key]; ok {
		return p
	}
	return s.additional
}

// prune leaves out the clean parts of v (checked against s) so that
// the engine only walks the rest: clean members of objects are deleted,
// clean objects and lists inside lists are emptied (an item cannot be
// removed: error paths hold item indexes). Neither change can create an
// error: the schema has no required members and no minimum sizes. It
// returns whether v is entirely clean.
func (c *typeCatalogue) prune(s *typeSchema, v any, depth int) bool {
	if s == nil {
		return c.clean(s, v, depth)
	}
	s = c.deref(s)
	if s == nil || s.ref != "" || depth > 256 {
		return false
	}
	switch x := v.(type) {
	case []any:
		if x == nil || s.typ != "" && s.typ != "array" {
			return false
		}
		all := true
		for i, e := range x {
			if c.prune(s.items, e, depth+1) {
				switch e.(type) {
				case map[string]any:
					x[i] = map[string]any{}
				case []any:
					x[i] = []any{}
				}
				continue
			}
			all = false
		}
		return all
	case map[string]any:
		if x == nil || s.typ != "" && s.typ != "object" {
			return false
		}
		for k, e := range x {
			if safeKey(k) && c.prune(c.propSchema(s, k), e, depth+1) {
				delete(x, k)
			}
		}
		return len(x) == 0
	}
	return c.clean(s, v, depth)
}

// safeKey reports whether json.Marshal keeps key as it is and no other key
// can turn into it (invalid UTF-8 becomes U+FFFD), so that leaving the
// member out cannot change which members the engine sees.
func safeKey(k string) bool {
	return utf8.ValidString(k) && !strings.ContainsRune(k, utf8.RuneError)
}

// pruneJob prunes the canonical job value; it reports whether nothing is
// left for the engine to find.
func pruneJob(canon map[string]any) bool {
	tc := typeCheck()
	if tc == nil {
		return false
	}
	if tc.clean(tc.root, canon, 0) {
		return true // the common case: read once, change nothing
	}
	return tc.prune(tc.root, canon, 0)
}
