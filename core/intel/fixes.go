package intel

import (
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// Fixes returns the fixes intel itself offers for a diagnostic, beyond the
// ones the reporting layer attached: adding a missing required field with a
// placeholder value (schema layer, rule "missing-field"). The rule and fix
// for a bare Nomad job are in core/nomad/rules (BareJob).
func Fixes(text []byte, d diag.Diagnostic) []diag.Fix {
	switch d.Rule {
	case "missing-field":
		return addMissingField(text, d)
	}
	return nil
}

// addMissingField inserts `"key": <placeholder>` at the end of the object
// the diagnostic is about, for each field the schema requires there that the
// object lacks. It reads the place (the diagnostic's pointer) and the
// schema, never the message, so rewording a message cannot disable it. The
// placeholder is the schema's default, its only allowed value, its first
// example, or an empty value of the right type.
func addMissingField(text []byte, d diag.Diagnostic) []diag.Fix {
	doc := jsonast.Parse(text)
	obj := pointerNode(doc, d.Pointer)
	if !obj.Is(jsonast.Object) || !obj.Closed {
		return nil
	}
	segs := obj.Segments()
	typed := typedOps(doc, append(segs, jsonast.Segment{Key: "", Index: -1}))
	f := formatOf(doc, core.Options{})
	var fixes []diag.Fix
	for _, k := range infoAt(typed, f, segs).Keys {
		if !k.Required || obj.Has(k.Name) {
			continue
		}
		v := infoAt(typed, f, append(segs, jsonast.Segment{Key: k.Name, Index: -1}))
		entry := strconv.Quote(k.Name) + ": " + plainValue(v)
		at := obj.End - 1
		if n := len(obj.Members); n > 0 {
			last := obj.Members[n-1]
			at = last.KeyEnd
			if last.Value != nil {
				at = last.Value.End
			}
			entry = ", " + entry
		}
		fixes = append(fixes, diag.Fix{Title: "Add " + strconv.Quote(k.Name), Edits: []diag.TextEdit{doc.Edit(at, at, entry)}})
	}
	return fixes
}

// plainValue is a JSON value (no snippet syntax) that fills a place.
func plainValue(v *info) string {
	switch {
	case len(v.Enum) > 0:
		return jsonText(v.Enum[0])
	case v.HasDefault:
		return jsonText(v.Default)
	case len(v.Examples) > 0:
		return jsonText(v.Examples[0])
	}
	t := ""
	if len(v.Types) > 0 {
		t = v.Types[0]
	}
	switch t {
	case "string":
		return `""`
	case "integer", "number":
		return "0"
	case "boolean":
		return "false"
	case "array":
		return "[]"
	case "object":
		return "{}"
	}
	return "null"
}

// pointerNode follows an RFC 6901 JSON Pointer in doc.
func pointerNode(doc *jsonast.Document, ptr string) *jsonast.Node {
	n := doc.Root
	if ptr == "" {
		return n
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = jsonast.UnescapePointerToken(tok)
		switch {
		case n.Is(jsonast.Array):
			i, err := strconv.Atoi(tok)
			if err != nil {
				return nil
			}
			n = n.Item(i)
		case n.Is(jsonast.Object):
			n = n.Get(tok)
		default:
			return nil
		}
	}
	return n
}
