package intel

import (
	"regexp"
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
		if f, ok := addMissingField(text, d); ok {
			return []diag.Fix{f}
		}
	}
	return nil
}

var missingField = regexp.MustCompile(`missing required field "((?:[^"\\]|\\.)*)"`)

// addMissingField inserts `"key": <placeholder>` at the end of the object
// the diagnostic is about. The placeholder is the schema's default, its only
// allowed value, its first example, or an empty value of the right type.
func addMissingField(text []byte, d diag.Diagnostic) (diag.Fix, bool) {
	m := missingField.FindStringSubmatch(d.Message)
	if m == nil {
		return diag.Fix{}, false
	}
	key, err := strconv.Unquote(`"` + m[1] + `"`)
	if err != nil {
		return diag.Fix{}, false
	}
	doc := jsonast.Parse(text)
	obj := pointerNode(doc, d.Pointer)
	if !obj.Is(jsonast.Object) || !obj.Closed || obj.Has(key) {
		return diag.Fix{}, false
	}
	segs := append(obj.Segments(), jsonast.Segment{Key: key, Index: -1})
	v := infoAt(typedOps(doc, segs), formatOf(doc, core.Options{}), segs)
	entry := strconv.Quote(key) + ": " + plainValue(v)
	at := obj.End - 1
	if n := len(obj.Members); n > 0 {
		last := obj.Members[n-1]
		at = last.KeyEnd
		if last.Value != nil {
			at = last.Value.End
		}
		entry = ", " + entry
	}
	return diag.Fix{Title: "Add " + strconv.Quote(key), Edits: []diag.TextEdit{doc.Edit(at, at, entry)}}, true
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
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
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
