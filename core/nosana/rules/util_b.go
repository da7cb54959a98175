package rules

// Helpers shared by the section B rules (values, resources, images): a view
// of the ops with their execution groups, literal detection, and text edits
// that add, remove or move object members.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// jobOp is one entry of ops[] as the node schedules it.
type jobOp struct {
	Node  *jsonast.Node // the op object
	Index int           // position in ops[]
	ID    string        // "" when missing or not a string
	Type  string        // "container/run", "container/create-volume" or whatever is written
	Args  *jsonast.Node // the args object, or nil
	// Group is execution.group, or the op id when there is none (the node's
	// createExecutionPlan); GroupOrder is the group's place in the run order
	// (groups run one after another, ordered by first appearance).
	Group      string
	GroupOrder int
}

// IsRun reports whether the op runs a container. Anything that is not a
// create-volume op is checked as a run op, as the node does.
func (o *jobOp) IsRun() bool { return o.Type != "container/create-volume" }

// Label names the op in messages: `op "web" (ops[1])`.
func (o *jobOp) Label() string {
	if o.ID == "" {
		return fmt.Sprintf("ops[%d]", o.Index)
	}
	return fmt.Sprintf("op %q (ops[%d])", o.ID, o.Index)
}

// DependsOn lists the op ids in execution.depends_on.
func (o *jobOp) DependsOn() []string {
	var ids []string
	for _, it := range arrayItems(o.Node.Get("execution").Get("depends_on")) {
		if s, ok := closedStr(it); ok {
			ids = append(ids, s)
		}
	}
	return ids
}

type jobOpsKey struct{}

// jobOps returns the document's ops (only the object entries of ops[]),
// computed once per lint run.
func jobOps(c *rule.Context) []*jobOp {
	if v, ok := c.Shared[jobOpsKey{}].([]*jobOp); ok {
		return v
	}
	var ops []*jobOp
	order := map[string]int{}
	for i, n := range arrayItems(c.Doc.Root.Get("ops")) {
		if !n.Is(jsonast.Object) {
			continue
		}
		o := &jobOp{Node: n, Index: i}
		o.ID, _ = closedStr(n.Get("id"))
		o.Type, _ = closedStr(n.Get("type"))
		if a := n.Get("args"); a.Is(jsonast.Object) {
			o.Args = a
		}
		if g, ok := closedStr(n.Get("execution").Get("group")); ok {
			o.Group = g
		} else if isClosedStr(n.Get("id")) {
			o.Group = o.ID
		} else {
			o.Group = fmt.Sprintf("\x00ops[%d]", i) // no id: a group of its own
		}
		if _, seen := order[o.Group]; !seen {
			order[o.Group] = len(order)
		}
		o.GroupOrder = order[o.Group]
		ops = append(ops, o)
	}
	c.Shared[jobOpsKey{}] = ops
	return ops
}

// runOps returns the container/run ops that have an args object.
func runOps(c *rule.Context) []*jobOp {
	var out []*jobOp
	for _, o := range jobOps(c) {
		if o.IsRun() && o.Args != nil {
			out = append(out, o)
		}
	}
	return out
}

// groupLabel names a group in messages.
func groupLabel(o *jobOp) string {
	if strings.HasPrefix(o.Group, "\x00") {
		return "of " + o.Label()
	}
	return fmt.Sprintf("%q", o.Group)
}

// containsLiteral reports whether s holds a %%…%% literal, which the node
// replaces before running the op; such values are not checked.
func containsLiteral(s string) bool { return strings.Contains(s, "%%") }

// literalString reports whether n is a string holding a literal.
func literalString(n *jsonast.Node) bool {
	s, ok := closedStr(n)
	return ok && containsLiteral(s)
}

// isSpreadMarker reports whether n is a {"__spread__": …} collection marker.
func isSpreadMarker(n *jsonast.Node) bool { return n.Is(jsonast.Object) && n.Has("__spread__") }

// arrayItems returns the items of an array node (nil for anything else).
func arrayItems(n *jsonast.Node) []*jsonast.Node {
	if n.Is(jsonast.Array) {
		return n.Items
	}
	return nil
}

// objectMembers returns the members of an object node (nil for anything else).
func objectMembers(n *jsonast.Node) []*jsonast.Member {
	if n.Is(jsonast.Object) {
		return n.Members
	}
	return nil
}

// trueValue reports whether n is the JSON literal true.
func trueValue(n *jsonast.Node) bool {
	b, ok := n.BoolValue()
	return ok && b
}

// exposedPort is one port entry of args.expose with its place in the text.
type exposedPort struct {
	Entry    *jsonast.Node // the number or the {port…} object
	PortNode *jsonast.Node // the number node (Entry itself for a bare number)
}

// exposedPorts lists the numeric port entries of args.expose: a bare number,
// a single object, or the numbers and objects of an array. Literals, spread
// markers and ranges are skipped.
func exposedPorts(args *jsonast.Node) []exposedPort {
	e := args.Get("expose")
	var entries []*jsonast.Node
	if e.Is(jsonast.Array) {
		entries = e.Items
	} else if e != nil {
		entries = []*jsonast.Node{e}
	}
	var out []exposedPort
	for _, n := range entries {
		switch {
		case n.Is(jsonast.Number):
			out = append(out, exposedPort{Entry: n, PortNode: n})
		case n.Is(jsonast.Object) && n.Get("port").Is(jsonast.Number):
			out = append(out, exposedPort{Entry: n, PortNode: n.Get("port")})
		}
	}
	return out
}

// validPort returns the port number of a number node when it is an integer
// from 1 to 65535 (JSON numbers such as 8e3 count by their value, as in
// JavaScript).
func validPort(n *jsonast.Node) (int, bool) {
	f, ok := n.Float()
	if !ok || f != math.Trunc(f) || f < 1 || f > 65535 {
		return 0, false
	}
	return int(f), true
}

// nodeText returns the text of a node as written.
func nodeText(doc *jsonast.Document, n *jsonast.Node) string {
	if n == nil || n.Start < 0 || n.End > len(doc.Text) || n.Start > n.End {
		return ""
	}
	return string(doc.Text[n.Start:n.End])
}

// jsonString encodes s as a JSON string without HTML escaping.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	return strings.TrimSuffix(b.String(), "\n")
}

// jsonStrings encodes a list of strings as a one-line JSON array.
func jsonStrings(list []string) string {
	parts := make([]string, len(list))
	for i, s := range list {
		parts[i] = jsonString(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

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

// closedStr returns the value of a string node whose closing quote is
// present. A string the scanner had to cut short (half-typed text) holds
// whatever followed it on the line, so rules do not judge it.
func closedStr(n *jsonast.Node) (string, bool) {
	if isClosedStr(n) {
		return n.Str, true
	}
	return "", false
}

// isClosedStr reports whether n is a string node with its closing quote.
func isClosedStr(n *jsonast.Node) bool { return n.Is(jsonast.String) && n.Closed }
