package rules

// Helpers shared by the section A rules (ops, dependencies, literals): an
// index of the ops by id, their execution groups in run order, their
// depends_on edges, what they expose, and small text-edit and suggestion
// helpers. Built once per lint run and shared through rule.Context.Shared.

import (
	"fmt"
	"github.com/jobkit-dev/jobkit/core/textdist"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// graphOp is one object entry of ops[] as the node's TaskManager sees it.
type graphOp struct {
	Node   *jsonast.Node
	Index  int           // position in ops[]
	ID     string        // "" when missing or not a string
	IDNode *jsonast.Node // the id string node, or nil
	Type   string
	Args   *jsonast.Node // the args object, or nil
	// GroupSet reports whether execution.group is written (as a string);
	// GroupName is its value. The node compares these raw values when it
	// checks depends_on (an absent group equals another absent group).
	GroupSet  bool
	GroupName string
	// Group is the group the op runs in (execution.group ?? id) and Order
	// the place of that group in the run: groups run one after another,
	// ordered by first appearance.
	Group string
	Order int
	Deps  []graphDep // the string entries of execution.depends_on
}

// graphDep is one depends_on entry.
type graphDep struct {
	ID   string
	Node *jsonast.Node // the string node inside depends_on
}

// opGraph indexes a document's ops.
type opGraph struct {
	Ops  []*graphOp
	byID map[string]*graphOp // the first op with each id
}

type opGraphKey struct{}

// graphOf returns the document's op graph, built once per lint run.
func graphOf(c *rule.Context) *opGraph {
	if g, ok := c.Shared[opGraphKey{}].(*opGraph); ok {
		return g
	}
	g := &opGraph{byID: map[string]*graphOp{}}
	order := map[string]int{}
	if ops := c.Doc.Root.Get("ops"); ops.Is(jsonast.Array) {
		for i, n := range ops.Items {
			if !n.Is(jsonast.Object) {
				continue
			}
			o := &graphOp{Node: n, Index: i}
			if id := n.Get("id"); id.Is(jsonast.String) {
				o.ID, o.IDNode = id.Str, id
				if _, dup := g.byID[o.ID]; !dup {
					g.byID[o.ID] = o
				}
			}
			o.Type, _ = n.Get("type").StringValue()
			if a := n.Get("args"); a.Is(jsonast.Object) {
				o.Args = a
			}
			exec := n.Get("execution")
			o.GroupName, o.GroupSet = exec.Get("group").StringValue()
			switch {
			case o.GroupSet:
				o.Group = "group:" + o.GroupName
			case o.IDNode != nil:
				o.Group = "op:" + o.ID
			default:
				o.Group = fmt.Sprintf("index:%d", i)
			}
			if _, seen := order[o.Group]; !seen {
				order[o.Group] = len(order)
			}
			o.Order = order[o.Group]
			if deps := exec.Get("depends_on"); deps.Is(jsonast.Array) {
				for _, d := range deps.Items {
					if s, ok := d.StringValue(); ok {
						o.Deps = append(o.Deps, graphDep{ID: s, Node: d})
					}
				}
			}
			g.Ops = append(g.Ops, o)
		}
	}
	c.Shared[opGraphKey{}] = g
	return g
}

// Op returns the (first) op with id, or nil.
func (g *opGraph) Op(id string) *graphOp { return g.byID[id] }

// IDs returns the op ids in document order, without repeats.
func (g *opGraph) IDs() []string {
	var ids []string
	for _, o := range g.Ops {
		if o.IDNode != nil && g.byID[o.ID] == o {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

// DependsOn reports whether o lists id in execution.depends_on.
func (o *graphOp) DependsOn(id string) bool {
	for _, d := range o.Deps {
		if d.ID == id {
			return true
		}
	}
	return false
}

// Name names the op in messages: "train", or ops[2] when it has no id.
func (o *graphOp) Name() string {
	if o.IDNode == nil {
		return fmt.Sprintf("ops[%d]", o.Index)
	}
	return strconv.Quote(o.ID)
}

// IsVolume reports whether the op is a container/create-volume op.
func (o *graphOp) IsVolume() bool { return o.Type == "container/create-volume" }

// GroupText describes the op's execution group for messages.
func (o *graphOp) GroupText() string {
	if o.GroupSet {
		return fmt.Sprintf("in group %q", o.GroupName)
	}
	return "in no execution.group"
}

// exposure is what an op exposes, as the node derives it.
type exposure struct {
	// Exposed reports whether the node publishes the op at all. Like the
	// node's getExposePorts it counts a port number, a string and a
	// non-empty array; a single {port…} object is silently not exposed.
	Exposed bool
	// Dynamic reports whether expose holds literals or spread markers, whose
	// ports are known only at run time.
	Dynamic bool
	// Ports holds the port numbers as written ("8080").
	Ports []string
	// HealthChecked reports whether some port has a non-empty health_checks.
	HealthChecked bool
}

// exposureOf reads args.expose.
func exposureOf(o *graphOp) exposure {
	var x exposure
	e := o.Args.Get("expose")
	if e == nil || o.IsVolume() {
		return x
	}
	var entries []*jsonast.Node
	switch e.Kind {
	case jsonast.Number:
		if f, ok := e.Float(); ok && f != 0 { // 0 is falsy: the node skips it
			entries = []*jsonast.Node{e}
		}
	case jsonast.String:
		entries = []*jsonast.Node{e}
	case jsonast.Array:
		entries = e.Items
	}
	x.Exposed = len(entries) > 0
	for _, n := range entries {
		switch {
		case n.Is(jsonast.Number):
			x.Ports = append(x.Ports, n.Num)
		case n.Is(jsonast.String):
			if strings.Contains(n.Str, "%%") {
				x.Dynamic = true
			} else {
				x.Ports = append(x.Ports, n.Str)
			}
		case n.Is(jsonast.Object) && n.Has("__spread__"):
			x.Dynamic = true
		case n.Is(jsonast.Object):
			if p := n.Get("port"); p.Is(jsonast.Number) {
				x.Ports = append(x.Ports, p.Num)
			} else if s, ok := p.StringValue(); ok {
				x.Ports = append(x.Ports, s)
			}
			if hc := n.Get("health_checks"); hc.Is(jsonast.Array) && len(hc.Items) > 0 {
				x.HealthChecked = true
			}
		}
	}
	return x
}

// HasPort reports whether port (as written in a literal) is exposed.
func (x exposure) HasPort(port string) bool {
	for _, p := range x.Ports {
		if p == port {
			return true
		}
	}
	return false
}

// closest returns the candidate nearest to name by edit distance, when it is
// near enough to be a likely typo, or "".
func closest(name string, candidates []string) string {
	best, bestD := "", len(name)/3+2
	if bestD > 4 {
		bestD = 4
	}
	for _, c := range candidates {
		if c == name {
			continue
		}
		if d := textdist.Levenshtein(strings.ToLower(name), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// didYouMean returns `; did you mean "x"?` or "".
func didYouMean(name string, candidates []string) string {
	if s := closest(name, candidates); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}

// quoteJSON encodes s as a JSON string.
func quoteJSON(s string) string {
	b := []byte{'"'}
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20:
			b = append(b, fmt.Sprintf(`\u%04x`, r)...)
		default:
			b = append(b, string(r)...)
		}
	}
	return string(append(b, '"'))
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

// objectMembersOf returns the members of an object node (nil for anything else).
func objectMembersOf(n *jsonast.Node) []*jsonast.Member {
	if n.Is(jsonast.Object) {
		return n.Members
	}
	return nil
}
