package rules

// Text edits that fixes are made of: remove, add or replace object members
// and list items, keeping the author's layout.

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// deleteMember returns the edit that removes an object member together with
// the comma that separates it from its neighbour.
func deleteMember(doc *jsonast.Document, m *jsonast.Member) diag.TextEdit {
	end := m.KeyEnd
	if m.Value != nil {
		end = m.Value.End
	}
	obj := m.Parent
	i := memberIndex(m)
	switch {
	case i+1 < len(obj.Members): // up to the next key: the comma and the space go too
		return doc.Edit(m.KeyStart, obj.Members[i+1].KeyStart, "")
	case i > 0: // the last member: from the end of the previous one
		prev := obj.Members[i-1]
		pend := prev.KeyEnd
		if prev.Value != nil {
			pend = prev.Value.End
		}
		return doc.Edit(pend, end, "")
	}
	return doc.Edit(m.KeyStart, end, "")
}

func memberIndex(m *jsonast.Member) int {
	for i, x := range m.Parent.Members {
		if x == m {
			return i
		}
	}
	return -1
}

// insertMember returns the edit that adds "key": valueText as the last
// member of the object obj, indented like its other members.
func insertMember(doc *jsonast.Document, obj *jsonast.Node, key, valueText string) diag.TextEdit {
	member := jsonString(key) + ": " + valueText
	if len(obj.Members) == 0 {
		return doc.Edit(obj.Start+1, obj.Start+1, member)
	}
	last := obj.Members[len(obj.Members)-1]
	end := last.KeyEnd
	if last.Value != nil {
		end = last.Value.End
	}
	return doc.Edit(end, end, ","+separatorBefore(doc, last.KeyStart)+member)
}

// separatorBefore returns what separates the member starting at off from
// the previous token: a newline plus that line's indentation when the member
// starts its own line, a space otherwise.
func separatorBefore(doc *jsonast.Document, off int) string {
	i := off
	for i > 0 && (doc.Text[i-1] == ' ' || doc.Text[i-1] == '\t') {
		i--
	}
	if i > 0 && (doc.Text[i-1] == '\n' || doc.Text[i-1] == '\r') {
		return "\n" + string(doc.Text[i:off])
	}
	return " "
}

// systemRequirementsEdits returns the edits that make required_vram
// (written as valueText) a member of meta.system_requirements: inserted into
// the existing object, or a new "system_requirements" (and "meta") object.
// ok is false when meta or system_requirements exists but is not an object.
func systemRequirementsEdits(doc *jsonast.Document, valueText string) (diag.TextEdit, bool) {
	root := doc.Root
	meta := root.Get("meta")
	switch {
	case meta == nil:
		return insertMember(doc, root, "meta", `{"system_requirements": {"required_vram": `+valueText+`}}`), true
	case !meta.Is(jsonast.Object):
		return diag.TextEdit{}, false
	}
	req := meta.Get("system_requirements")
	switch {
	case req == nil:
		return insertMember(doc, meta, "system_requirements", `{"required_vram": `+valueText+`}`), true
	case !req.Is(jsonast.Object) || req.Has("required_vram"):
		return diag.TextEdit{}, false
	}
	return insertMember(doc, req, "required_vram", valueText), true
}

// replaceValue is a fix that replaces a node's whole value with text.
func replaceValue(c *rule.Context, n *jsonast.Node, title, text string, safe bool) diag.Fix {
	return diag.Fix{Title: title, Edits: []diag.TextEdit{c.Edit(n.Start, n.End, text)}, Safe: safe}
}

// removeItem is the edit that deletes item i of an array with the comma
// that separates it from a neighbour.
func removeItem(c *rule.Context, arr *jsonast.Node, i int) diag.TextEdit {
	items := arr.Items
	switch {
	case i+1 < len(items):
		return c.Edit(items[i].Start, items[i+1].Start, "")
	case i > 0:
		return c.Edit(items[i-1].End, items[i].End, "")
	}
	return c.Edit(items[i].Start, items[i].End, "")
}
