package schema

import (
	"github.com/jobkit-dev/jobkit/core/textdist"
	"regexp"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// suggestKey proposes a key for an unknown one: from the alias table first
// (only if the schema allows the target here), then the allowed key closest
// by edit distance. safe reports whether renaming is certain enough for
// `jobkit fix` (an alias, or one edit away).
func (m *mapper) suggestKey(obj *jsonast.Node, key string, allowed []string) (suggestion, note string, safe bool) {
	if a, ok := m.alias(obj, key); ok {
		note = a.Note
		if a.To != "" && contains(allowed, a.To) {
			return a.To, note, true
		}
		if a.To == "" {
			return "", note, false
		}
	}
	best, d := closest(key, allowed)
	if best == "" || d > 2 || d == 2 && len(key) < 4 {
		return "", note, false
	}
	return best, note, d <= 1
}

// alias looks key up as "<parent key>.<key>" and then as "<key>".
func (m *mapper) alias(obj *jsonast.Node, key string) (Alias, bool) {
	if len(m.s.opts.Aliases) == 0 {
		return Alias{}, false
	}
	if obj.Member != nil {
		if a, ok := m.s.opts.Aliases[obj.Member.Key+"."+key]; ok {
			return a, true
		}
	}
	a, ok := m.s.opts.Aliases[key]
	return a, ok
}

// closest returns the candidate nearest to s and its distance. A difference
// in case only counts as distance 1.
func closest(s string, cands []string) (string, int) {
	best, bestD := "", 1<<30
	for _, c := range cands {
		d := textdist.OSA(s, c)
		if strings.EqualFold(s, c) && s != c {
			d = 1
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	return best, bestD
}

// renameFix renames a member's key.
func renameFix(doc *jsonast.Document, mem *jsonast.Member, to string, safe bool) diag.Fix {
	return diag.Fix{
		Title: renameTitle(mem.Key, to),
		Edits: []diag.TextEdit{doc.Edit(mem.KeyStart, mem.KeyEnd, quote(to))},
		Safe:  safe,
	}
}

// renameTitle is the title of renameFix.
func renameTitle(key, to string) string { return "Rename " + quote(key) + " to " + quote(to) }

// removeFix deletes a member with its separating comma.
func removeFix(doc *jsonast.Document, mem *jsonast.Member) diag.Fix {
	start, end := removeRange(mem)
	return diag.Fix{Title: removeTitle(mem.Key), Edits: []diag.TextEdit{doc.Edit(start, end, "")}}
}

// removeTitle is the title of removeFix.
func removeTitle(key string) string { return "Remove " + quote(key) }

// removeRange is the text removeFix deletes: the member and the comma that
// separates it from a neighbour.
func removeRange(mem *jsonast.Member) (start, end int) {
	obj := mem.Parent
	end = mem.KeyEnd
	if mem.Value != nil {
		end = mem.Value.End
	}
	start = mem.KeyStart
	for i, x := range obj.Members {
		if x != mem {
			continue
		}
		switch {
		case i+1 < len(obj.Members):
			end = obj.Members[i+1].KeyStart
		case i > 0:
			prev := obj.Members[i-1]
			start = prev.KeyEnd
			if prev.Value != nil {
				start = prev.Value.End
			}
		}
	}
	return start, end
}

// removeItemFix deletes an array item with its separating comma.
func removeItemFix(doc *jsonast.Document, it *jsonast.Node) diag.Fix {
	arr := it.Parent
	start, end := it.Start, it.End
	for i, x := range arr.Items {
		if x != it {
			continue
		}
		switch {
		case i+1 < len(arr.Items):
			end = arr.Items[i+1].Start
		case i > 0:
			start = arr.Items[i-1].End
		}
	}
	return diag.Fix{Title: "Remove the repeated item", Edits: []diag.TextEdit{doc.Edit(start, end, "")}}
}

// coerceFix turns a value written as the wrong type into the expected one
// when the intent is unambiguous: "true" → true, "8080" → 8080, 8080 → "8080".
func coerceFix(doc *jsonast.Document, n *jsonast.Node, want string) (diag.Fix, bool) {
	var text string
	switch {
	case want == "boolean" && n.Kind == jsonast.String && (n.Str == "true" || n.Str == "false"):
		text = n.Str
	case (want == "number" || want == "integer") && n.Kind == jsonast.String && isNumber(n.Str, want == "integer"):
		text = n.Str
	case want == "string" && n.Kind == jsonast.Number:
		text = quote(n.Num)
	case want == "string" && n.Kind == jsonast.Bool:
		text = quote(strconv.FormatBool(n.Bool))
	default:
		return diag.Fix{}, false
	}
	return diag.Fix{Title: "Change to " + text, Edits: []diag.TextEdit{doc.Edit(n.Start, n.End, text)}, Safe: true}, true
}

var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// isNumber reports whether s is written as a JSON number (an integer when
// integer is set).
func isNumber(s string, integer bool) bool {
	if integer {
		_, err := strconv.ParseInt(s, 10, 64)
		return err == nil && jsonNumber.MatchString(s)
	}
	return jsonNumber.MatchString(s)
}
