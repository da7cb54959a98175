package intel

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/schema"
)

// info is what a format's schema says about one place of a document, in the
// form completion and hover need. Both formats' schemas are read into it.
type info struct {
	Known bool
	Doc   string
	// Type describes the value in words ("a string", "a list of ops").
	Type string
	// Types are the JSON types allowed (nil: any).
	Types []string
	Enum  []any
	// EnumDocs documents enum values by their JSON text, when known.
	EnumDocs   map[string]string
	Default    any
	HasDefault bool
	Examples   []any
	Snippets   []schema.Snippet
	// Duration marks Nomad integer nanosecond fields.
	Duration bool
	// Keys are the keys an object here may hold, most useful first.
	Keys []key
	// CaseInsensitive: keys match regardless of case (Nomad).
	CaseInsensitive bool
	// Item describes the items when the place is a list (for completing a
	// whole list value: "ops": [ … ]).
	Item *info
}

// key is one key an object may hold.
type key struct {
	Name     string
	Doc      string
	Type     string
	Required bool
	// Value is the snippet text inserted after "name": .
	Value string
	// Val is the full description of the key's value.
	Val *info
}

// placeholder returns the snippet text for a value of the given JSON types.
func placeholder(v *info) string {
	if len(v.Snippets) == 1 {
		return v.Snippets[0].Body
	}
	if len(v.Enum) == 1 {
		return escapeSnippet(jsonText(v.Enum[0]))
	}
	if len(v.Types) == 1 && v.Types[0] == "boolean" {
		// Adding a boolean key means changing it from its default.
		if b, ok := v.Default.(bool); ok && b {
			return "${1:false}"
		}
		return "${1:true}"
	}
	if v.HasDefault && (len(v.Types) == 0 || len(v.Types) == 1) {
		if s := jsonText(v.Default); s != "null" && !strings.HasPrefix(s, "{") && !strings.HasPrefix(s, "[") {
			if str, ok := v.Default.(string); ok {
				return `"${1:` + escapeSnippet(strings.Trim(strconv.Quote(str), `"`)) + `}"`
			}
			return "${1:" + escapeSnippet(s) + "}"
		}
	}
	if len(v.Enum) == 0 && len(v.Examples) > 0 {
		if ex, ok := v.Examples[0].(map[string]any); ok && len(ex) > 0 { // an example object shows the shape best
			return "${1:" + escapeSnippet(jsonText(ex)) + "}"
		}
	}
	if len(v.Enum) == 0 && len(v.Examples) > 0 && hasType(v.Types, "string") {
		if _, ok := v.Examples[0].(string); ok {
			return `"$1"`
		}
	}
	if len(v.Enum) > 1 {
		if _, ok := v.Enum[0].(string); ok {
			return `"$1"`
		}
		return "$1"
	}
	t := ""
	if len(v.Types) > 0 {
		t = v.Types[0]
		for _, x := range v.Types { // prefer the richer shape when several are allowed
			if x == "array" || x == "object" && t != "array" {
				t = x
			}
		}
	}
	switch t {
	case "string":
		return `"$1"`
	case "object":
		return "{$1}"
	case "array":
		return "[$1]"
	case "boolean":
		return "${1:true}"
	case "integer", "number":
		if v.Duration {
			return "${1:30000000000}" // 30s: Nomad durations are nanoseconds
		}
		return "${1:0}"
	case "null":
		return "null"
	}
	return "$1"
}

// jsonText renders a decoded JSON value as JSON.
func jsonText(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "null"
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// escapeSnippet escapes the characters snippet syntax gives a meaning.
func escapeSnippet(s string) string {
	return strings.NewReplacer(`\`, `\\`, `$`, `\$`, `}`, `\}`).Replace(s)
}

// describeTypes words JSON types for people.
func describeTypes(types []string) string {
	var words []string
	for _, t := range types {
		switch t {
		case "string":
			words = append(words, "a string")
		case "integer":
			words = append(words, "a whole number")
		case "number":
			words = append(words, "a number")
		case "boolean":
			words = append(words, "true or false")
		case "object":
			words = append(words, "an object")
		case "array":
			words = append(words, "a list")
		case "null":
			words = append(words, "null")
		}
	}
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// fromSet reads a schema Set (see core/schema) into an info.
func fromSet(s *schema.Schema, doc *jsonast.Document, segs []jsonast.Segment) *info {
	set := s.At(doc, segs)
	return infoOfSet(s, doc, segs, set, false)
}

// infoOfSet reads a Set. A shallow info (for a key's value, or a list's
// items) leaves out the keys and items below, which completion at this place
// does not need and which would walk the whole schema.
func infoOfSet(s *schema.Schema, doc *jsonast.Document, segs []jsonast.Segment, set schema.Set, shallow bool) *info {
	if len(set) == 0 {
		return &info{}
	}
	v := &info{Known: true, Doc: set.Doc(), Types: set.Types(), Enum: set.Enum(), Snippets: set.Snippets()}
	if len(v.Types) == 0 {
		v.Types = branchTypes(set)
	}
	v.Default, v.HasDefault = set.Default()
	v.Examples = set.Examples()
	if e := set.Expected(); e != "" {
		v.Type = e
	} else {
		v.Type = describeTypes(v.Types)
	}
	for _, n := range set {
		// VS Code's enumDescriptions / markdownEnumDescriptions: one per enum value.
		descs, ok := n.Raw["markdownEnumDescriptions"].([]any)
		if !ok {
			descs, _ = n.Raw["enumDescriptions"].([]any)
		}
		for i, d := range descs {
			if ds, ok := d.(string); ok && i < len(n.Enum) && ds != "" {
				if v.EnumDocs == nil {
					v.EnumDocs = map[string]string{}
				}
				v.EnumDocs[jsonText(n.Enum[i])] = ds
			}
		}
	}
	if shallow {
		return v
	}
	for _, p := range set.Properties() {
		kv := infoOfSet(s, doc, nil, propSet(p), true)
		k := key{Name: p.Name, Doc: kv.Doc, Type: kv.Type, Required: p.Required, Val: kv}
		k.Value = placeholder(kv)
		v.Keys = append(v.Keys, k)
	}
	if hasType(v.Types, "array") || len(v.Types) == 0 {
		if len(segs) > 0 || doc != nil {
			item := s.At(doc, append(append([]jsonast.Segment(nil), segs...), jsonast.Segment{Index: 1 << 30}))
			if len(item) > 0 {
				v.Item = infoOfSet(s, nil, nil, item, true)
			}
		}
	}
	return v
}

// propSet expands a property's own schemas ($ref targets and allOf parts)
// without a document value to pick branches by.
func propSet(p schema.Property) schema.Set {
	var out schema.Set
	var add func(n *schema.Node, depth int)
	add = func(n *schema.Node, depth int) {
		if n == nil || depth > 16 {
			return
		}
		for _, x := range out {
			if x == n {
				return
			}
		}
		out = append(out, n)
		add(n.Target, depth+1)
		for _, a := range n.AllOf {
			add(a, depth+1)
		}
	}
	for _, n := range p.Schemas {
		add(n, 0)
	}
	return out
}

func hasType(types []string, t string) bool {
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}

// branchTypes collects the types the oneOf/anyOf alternatives of a set allow,
// for places whose schema says "one of these shapes".
func branchTypes(set schema.Set) []string {
	var out []string
	for _, n := range set {
		for _, alts := range [][]*schema.Node{n.OneOf, n.AnyOf} {
			for _, a := range alts {
				a = a.Resolve()
				if a == nil {
					continue
				}
				ts := a.Type
				if len(ts) == 0 && a.HasConst {
					ts = []string{jsonType(a.Const)}
				}
				for _, t := range ts {
					if !hasType(out, t) {
						out = append(out, t)
					}
				}
			}
		}
	}
	return out
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64, int, json.Number:
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return "null"
}
