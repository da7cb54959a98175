package schema

import (
	"unicode/utf8"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// verdict is the outcome of the pre-check: a document certainly valid,
// certainly invalid, or not known without the engine.
type verdict uint8

const (
	unknown verdict = iota
	valid
	invalid
)

// checkedKeywords are the keywords the pre-check evaluates exactly, and the
// annotations that never affect validity. A subschema with any other
// keyword is "unknown" to it.
var checkedKeywords = map[string]bool{
	"$ref": true, "type": true, "properties": true, "required": true, "additionalProperties": true,
	"dependencies": true, "items": true, "allOf": true, "anyOf": true, "oneOf": true, "not": true,
	"if": true, "then": true, "else": true, "enum": true, "const": true, "pattern": true,
	"minItems": true, "maxItems": true, "uniqueItems": true, "minLength": true, "maxLength": true,
	"minimum": true, "maximum": true,
	"title": true, "description": true, "markdownDescription": true, "default": true,
	"examples": true, "definitions": true, "$schema": true, "$comment": true,
	"deprecated": true, "readOnly": true, "writeOnly": true,
}

// precheck decides whether the document under d satisfies n by walking the
// scanned tree directly, without converting it and without the engine.
// It is exact for the keywords it evaluates (draft-07 semantics, as
// santhosh-tekuri/jsonschema applies them) and answers unknown for anything
// else: a keyword it does not evaluate, an integer written with a fraction
// or an exponent, a number in an enum, duplicate keys, text that did not
// scan. Validate trusts only its "valid" (the engine then has nothing to
// report); TestDifferential holds it to the engine's verdicts.
func (s *Schema) precheck(n *Node, d *jsonast.Node, depth int) verdict {
	if n == nil {
		return valid
	}
	if depth > 256 || d == nil || d.Kind == jsonast.Invalid {
		return unknown
	}
	if n.Bool != nil {
		if *n.Bool {
			return valid
		}
		return invalid
	}
	if n.opaque {
		return unknown
	}
	out := valid
	// and folds one keyword's verdict in: invalid wins, then unknown.
	and := func(v verdict) bool {
		if v == invalid {
			out = invalid
			return false
		}
		if v == unknown {
			out = unknown
		}
		return true
	}
	if len(n.Type) > 0 && !and(typeVerdict(n.Type, d)) {
		return out
	}
	if n.HasConst && !and(equalVerdict(d, n.Const)) {
		return out
	}
	if n.Enum != nil {
		if !and(enumVerdict(d, n.Enum)) {
			return out
		}
	}
	if n.Target != nil && !and(s.precheck(n.Target, d, depth+1)) {
		return out
	}
	switch d.Kind {
	case jsonast.String:
		if n.pattern != nil && !n.pattern.MatchString(d.Str) {
			return invalid
		}
		if n.minLength >= 0 || n.maxLength >= 0 {
			l := utf8.RuneCountInString(d.Str)
			if n.minLength >= 0 && l < n.minLength || n.maxLength >= 0 && l > n.maxLength {
				return invalid
			}
		}
	case jsonast.Number:
		if n.minimum != nil || n.maximum != nil {
			i, ok := d.Int()
			if !ok {
				and(unknown) // a fraction, an exponent or a big number
			} else if n.minimum != nil && i < *n.minimum || n.maximum != nil && i > *n.maximum {
				return invalid
			}
		}
	case jsonast.Object:
		if !and(s.precheckObject(n, d, depth)) {
			return out
		}
	case jsonast.Array:
		if !and(s.precheckArray(n, d, depth)) {
			return out
		}
	}
	for _, a := range n.AllOf {
		if !and(s.precheck(a, d, depth+1)) {
			return out
		}
	}
	if len(n.AnyOf) > 0 {
		v := invalid
		for _, a := range n.AnyOf {
			if av := s.precheck(a, d, depth+1); av == valid {
				v = valid
				break
			} else if av == unknown {
				v = unknown
			}
		}
		if !and(v) {
			return out
		}
	}
	if len(n.OneOf) > 0 {
		fit := 0
		v := valid
		for _, a := range n.OneOf {
			switch s.precheck(a, d, depth+1) {
			case valid:
				fit++
			case unknown:
				v = unknown
			}
		}
		if fit > 1 {
			v = invalid
		} else if v == valid && fit == 0 {
			v = invalid
		}
		if !and(v) {
			return out
		}
	}
	if n.Not != nil {
		v := s.precheck(n.Not, d, depth+1)
		switch v {
		case valid:
			v = invalid
		case invalid:
			v = valid
		}
		if !and(v) {
			return out
		}
	}
	if n.If != nil {
		var v verdict
		switch s.precheck(n.If, d, depth+1) {
		case valid:
			v = s.precheck(n.Then, d, depth+1)
		case invalid:
			v = s.precheck(n.Else, d, depth+1)
		}
		and(v)
	}
	return out
}

// precheckObject evaluates the object keywords.
func (s *Schema) precheckObject(n *Node, d *jsonast.Node, depth int) verdict {
	for _, m := range d.Members {
		if m.Dup || m.Value == nil || m.Value.Kind == jsonast.Invalid {
			return unknown // the engine sees another set of members
		}
	}
	for _, r := range n.Required {
		if !d.Has(r) {
			return invalid
		}
	}
	out := valid
	if !n.AdditionalFalse && n.Additional == nil && len(n.propKeys) < len(d.Members) {
		// Only the declared keys are checked (an if's discriminator, most
		// often): look them up instead of visiting every member.
		for _, k := range n.propKeys {
			v := d.Get(k)
			if v == nil {
				continue
			}
			switch s.precheck(n.Properties[k], v, depth+1) {
			case invalid:
				return invalid
			case unknown:
				out = unknown
			}
		}
	} else {
		for _, m := range d.Members {
			sub, ok := n.Properties[m.Key]
			if !ok {
				if n.AdditionalFalse {
					return invalid
				}
				sub = n.Additional
			}
			switch s.precheck(sub, m.Value, depth+1) {
			case invalid:
				return invalid
			case unknown:
				out = unknown
			}
		}
	}
	for k, deps := range n.DependentKeys {
		if d.Has(k) {
			for _, dep := range deps {
				if !d.Has(dep) {
					return invalid
				}
			}
		}
	}
	for k, dep := range n.DependentSchemas {
		if d.Has(k) {
			switch s.precheck(dep, d, depth+1) {
			case invalid:
				return invalid
			case unknown:
				out = unknown
			}
		}
	}
	return out
}

// precheckArray evaluates the array keywords.
func (s *Schema) precheckArray(n *Node, d *jsonast.Node, depth int) verdict {
	for _, it := range d.Items {
		if it.Kind == jsonast.Invalid {
			return unknown // the engine sees fewer items
		}
	}
	if n.minItems >= 0 && len(d.Items) < n.minItems || n.maxItems >= 0 && len(d.Items) > n.maxItems {
		return invalid
	}
	out := valid
	if n.uniqueItems && len(d.Items) > 1 {
		seen := make(map[string]bool, len(d.Items))
		for _, it := range d.Items {
			if it.Kind != jsonast.String {
				out = unknown // only strings are compared here
				break
			}
			if seen[it.Str] {
				return invalid
			}
			seen[it.Str] = true
		}
	}
	if n.Items != nil {
		for _, it := range d.Items {
			switch s.precheck(n.Items, it, depth+1) {
			case invalid:
				return invalid
			case unknown:
				out = unknown
			}
		}
	}
	return out
}

// typeVerdict checks a "type" keyword.
func typeVerdict(types []string, d *jsonast.Node) verdict {
	t := ""
	switch d.Kind {
	case jsonast.Object:
		t = "object"
	case jsonast.Array:
		t = "array"
	case jsonast.String:
		t = "string"
	case jsonast.Bool:
		t = "boolean"
	case jsonast.Null:
		t = "null"
	case jsonast.Number:
		t = "number"
	}
	for _, x := range types {
		if x == t {
			return valid
		}
		if x == "integer" && t == "number" {
			if _, ok := d.Int(); ok {
				return valid
			}
			// 1.0, 1e2 and integers past int64 are integers too.
			return unknown
		}
	}
	return invalid
}

// equalVerdict compares a scalar document value with a decoded enum or
// const value. Numbers are left to the engine (it compares them exactly).
// enumVerdict says whether d is one of enum: valid when it equals one,
// unknown when it equals none but a comparison could not be decided.
func enumVerdict(d *jsonast.Node, enum []any) verdict {
	v := invalid
	for _, e := range enum {
		switch equalVerdict(d, e) {
		case valid:
			return valid
		case unknown:
			v = unknown
		}
	}
	return v
}

func equalVerdict(d *jsonast.Node, v any) verdict {
	switch x := v.(type) {
	case string:
		if d.Kind == jsonast.String && d.Str == x {
			return valid
		}
	case bool:
		if d.Kind == jsonast.Bool && d.Bool == x {
			return valid
		}
	case nil:
		if d.Kind == jsonast.Null {
			return valid
		}
	default:
		return unknown
	}
	return invalid
}

// precheckLimits reads the keywords the pre-check needs beyond the Node's
// exported fields, and marks the subschema opaque when it holds a keyword
// the pre-check does not evaluate.
func precheckLimits(n *Node, m map[string]any, root bool) {
	n.minLength, n.maxLength, n.minItems, n.maxItems = -1, -1, -1, -1
	for k, v := range m {
		if len(k) > 2 && k[:2] == "x-" || k == "$id" && root {
			// The root's $id names the document; its references are local.
			continue
		}
		if !checkedKeywords[k] {
			n.opaque = true
			return
		}
		switch k {
		case "minLength", "maxLength", "minItems", "maxItems":
			f, ok := v.(float64)
			if !ok || f < 0 || f != float64(int(f)) {
				n.opaque = true
				return
			}
			switch k {
			case "minLength":
				n.minLength = int(f)
			case "maxLength":
				n.maxLength = int(f)
			case "minItems":
				n.minItems = int(f)
			case "maxItems":
				n.maxItems = int(f)
			}
		case "minimum", "maximum":
			f, ok := v.(float64)
			if !ok || f != float64(int64(f)) || f > 1<<53 || f < -(1<<53) {
				n.opaque = true
				return
			}
			b := int64(f)
			if k == "minimum" {
				n.minimum = &b
			} else {
				n.maximum = &b
			}
		case "uniqueItems":
			b, ok := v.(bool)
			if !ok {
				n.opaque = true
				return
			}
			n.uniqueItems = b
		case "items":
			if _, ok := v.(map[string]any); !ok {
				n.opaque = true // a tuple, or a boolean
				return
			}
		case "additionalProperties", "not", "if", "then", "else":
			switch v.(type) {
			case bool, map[string]any:
			default:
				n.opaque = true
				return
			}
		case "$ref", "type", "enum", "const", "title", "description", "markdownDescription",
			"default", "examples", "definitions", "$schema", "$comment", "deprecated", "readOnly", "writeOnly":
		default:
			if _, has := m["$ref"]; has {
				// Draft-07 ignores most keywords beside $ref; the engine
				// still checks some. Leave such mixes to it.
				n.opaque = true
				return
			}
		}
	}
}
