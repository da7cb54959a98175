package intel

import (
	"fmt"
	"strings"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Outline lists the parts of a job for an editor's outline view: the ops of
// a Nosana job, or the task groups and their tasks of a Nomad job. It works
// on broken documents with whatever the scanner recovered.
func Outline(text []byte, opts core.Options) []Symbol {
	doc := jsonast.Parse(text)
	if doc.Root == nil {
		return nil
	}
	switch formatOf(doc, opts) {
	case rule.Nosana:
		return nosanaOutline(doc)
	case rule.Nomad:
		return nomadOutline(doc)
	}
	return nil
}

// formatOf returns the forced or detected format.
func formatOf(doc *jsonast.Document, opts core.Options) rule.Format {
	if opts.Format != "" {
		return opts.Format
	}
	return core.Detect(doc)
}

func nosanaOutline(doc *jsonast.Document) []Symbol {
	var out []Symbol
	for _, o := range nosana.NewSource(doc).Ops {
		name, sel := fmt.Sprintf("ops[%d]", o.Index), o.Node
		if o.IDNode != nil {
			name, sel = o.ID, o.IDNode
		}
		detail := o.Type
		args := o.Node.Get("args")
		if img, ok := args.Get("image").StringValue(); ok {
			detail = strings.TrimSpace(o.Type + " " + img)
		} else if vol, ok := args.Get("name").StringValue(); ok && o.IsVolume() {
			detail = o.Type + " " + vol
		}
		s := symbol(doc, name, "op", detail, o.Node, sel)
		for _, port := range exposedPorts(args.Get("expose")) {
			s.Children = append(s.Children, symbol(doc, "port "+port.label, "port", "", port.node, port.node))
		}
		out = append(out, s)
	}
	return out
}

func nomadOutline(doc *jsonast.Document) []Symbol {
	job, _, _ := view.Locate(doc.Root)
	if job == nil {
		return nil
	}
	if _, _, form := view.Locate(doc.Root); form == view.HCL {
		return nil
	}
	name := "job"
	sel := job
	if id := view.Get(job, "ID"); id.Is(jsonast.String) {
		name, sel = id.Str, id
	} else if n := view.Get(job, "Name"); n.Is(jsonast.String) {
		name, sel = n.Str, n
	}
	typ := view.StrOr(job, "Type", "service")
	js := symbol(doc, name, "job", typ, job, sel)
	for i, tg := range view.Objects(view.Get(job, "TaskGroups")) {
		gs := named(doc, tg, fmt.Sprintf("TaskGroups[%d]", i), "group")
		if c, ok := view.Int(tg, "Count"); ok {
			gs.Detail = fmt.Sprintf("count %d", c)
		}
		for j, t := range view.Objects(view.Get(tg, "Tasks")) {
			ts := named(doc, t, fmt.Sprintf("Tasks[%d]", j), "task")
			ts.Detail = view.StrOr(t, "Driver", "")
			if img, ok := view.Str(view.Get(t, "Config"), "image"); ok {
				ts.Detail = strings.TrimSpace(ts.Detail + " " + img)
			}
			gs.Children = append(gs.Children, ts)
		}
		js.Children = append(js.Children, gs)
	}
	return []Symbol{js}
}

func named(doc *jsonast.Document, n *jsonast.Node, fallback, kind string) Symbol {
	if v := view.Get(n, "Name"); v.Is(jsonast.String) {
		return symbol(doc, v.Str, kind, "", n, v)
	}
	return symbol(doc, fallback, kind, "", n, n)
}

func symbol(doc *jsonast.Document, name, kind, detail string, n, sel *jsonast.Node) Symbol {
	r := n
	if n.Member != nil {
		// Include the key in the symbol's range.
		s := doc.Lines.Range(n.Member.KeyStart, n.End)
		return Symbol{Name: name, Kind: kind, Detail: detail, Range: s, SelectionRange: doc.Range(sel)}
	}
	return Symbol{Name: name, Kind: kind, Detail: detail, Range: doc.Range(r), SelectionRange: doc.Range(sel)}
}

// port is one exposed port found in an expose value.
type port struct {
	label string
	num   int64
	node  *jsonast.Node
}

// exposedPorts lists the port numbers of an expose value (a number, an
// object with port, or a list of them).
func exposedPorts(n *jsonast.Node) []port {
	var out []port
	add := func(it *jsonast.Node) {
		switch {
		case it.Is(jsonast.Number):
			if v, ok := it.Int(); ok {
				out = append(out, port{fmt.Sprint(v), v, it})
			}
		case it.Is(jsonast.Object):
			if v, ok := it.Get("port").Int(); ok {
				out = append(out, port{fmt.Sprint(v), v, it})
			}
		}
	}
	if n.Is(jsonast.Array) {
		for _, it := range n.Items {
			add(it)
		}
	} else if n != nil {
		add(n)
	}
	return out
}
