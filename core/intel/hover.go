package intel

import (
	"fmt"
	"strings"
	"time"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/cron"
	"github.com/jobkit-dev/jobkit/core/nomad/duration"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/core/nosana/literal"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// now is the clock hover uses for cron next run times (tests fix it).
var now = time.Now

// Hover describes the key or value under the cursor: its documentation from
// the schema and its type, and for values what they mean: a Nomad duration
// in human form, the next run times of a cron spec, the effective value a
// Nosana node uses where it applies a fallback, the target of a %%…%%
// literal. It returns nil when there is nothing to say.
func Hover(text []byte, offset int, opts core.Options) *HoverInfo {
	doc := jsonast.Parse(text)
	if doc.Root == nil || offset < 0 || offset > len(text) {
		return nil
	}
	h := &hoverer{doc: doc, format: formatOf(doc, opts)}
	if h.format == rule.Unknown {
		h.format = guessFormat(doc)
	}
	if m := keyAt(doc.Root, offset); m != nil {
		return h.key(m)
	}
	n := doc.NodeAt(offset)
	if n == nil || n.Kind == jsonast.Object || n.Kind == jsonast.Array || n.Kind == jsonast.Invalid {
		return nil
	}
	return h.value(n, offset)
}

type hoverer struct {
	doc    *jsonast.Document
	format rule.Format
	// span, when set, narrows the hover range to the part of a string it
	// is about (a %%…%% literal).
	span *[2]int
}

// keyAt finds the member whose key token contains off.
func keyAt(n *jsonast.Node, off int) *jsonast.Member {
	for n != nil {
		var next *jsonast.Node
		for _, m := range n.Members {
			if off >= m.KeyStart && off < m.KeyEnd {
				return m
			}
			if v := m.Value; v != nil && off >= v.Start && off <= v.End {
				next = v
			}
		}
		for _, it := range n.Items {
			if off >= it.Start && off <= it.End {
				next = it
			}
		}
		n = next
	}
	return nil
}

func (h *hoverer) info(segs []jsonast.Segment) *info {
	if h.format == rule.Nosana {
		return infoAt(typedOps(h.doc, segs), h.format, segs)
	}
	return infoAt(h.doc, h.format, segs)
}

// key describes a key: its name, type and documentation.
func (h *hoverer) key(m *jsonast.Member) *HoverInfo {
	v := h.info(m.Segments())
	if !v.Known {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**", m.Key)
	if v.Type != "" {
		fmt.Fprintf(&b, ": %s", v.Type)
	}
	if v.Doc != "" {
		b.WriteString("\n\n" + v.Doc)
	}
	if v.HasDefault {
		fmt.Fprintf(&b, "\n\nDefault: `%s`", jsonText(v.Default))
		if d, ok := v.Default.(float64); ok && v.Duration {
			fmt.Fprintf(&b, " (%s)", duration.Format(int64(d)))
		}
	}
	if m.Value != nil {
		if extra := h.explain(m.Value, -1); extra != "" {
			b.WriteString("\n\n" + extra)
		}
	}
	return &HoverInfo{Range: h.doc.KeyRange(m), Markdown: b.String()}
}

// value describes a scalar value.
func (h *hoverer) value(n *jsonast.Node, off int) *HoverInfo {
	segs := n.Segments()
	v := h.info(segs)
	var parts []string
	if extra := h.explain(n, off); extra != "" {
		parts = append(parts, extra)
	}
	if d, ok := v.EnumDocs[jsonText(n.Value())]; ok {
		parts = append(parts, d)
	}
	if v.Known && v.Doc != "" {
		head := "**" + jsonast.FormatPath(segs) + "**"
		if v.Type != "" {
			head += ": " + v.Type
		}
		parts = append(parts, head+"\n\n"+v.Doc)
	}
	if len(parts) == 0 {
		return nil
	}
	r := h.doc.Range(n)
	if h.span != nil {
		r = h.doc.Lines.Range(h.span[0], h.span[1])
	}
	return &HoverInfo{Range: r, Markdown: strings.Join(parts, "\n\n")}
}

// explain says what a value means beyond its documentation.
func (h *hoverer) explain(n *jsonast.Node, off int) string {
	switch h.format {
	case rule.Nomad:
		return h.explainNomad(n)
	case rule.Nosana:
		return h.explainNosana(n, off)
	}
	return ""
}

func (h *hoverer) explainNomad(n *jsonast.Node) string {
	rest, _, ok := nomadJobSegs(h.doc, n.Segments())
	if !ok {
		return ""
	}
	v := nomadInfo(h.doc, n.Segments())
	if v.Duration {
		if ns, ok := n.Int(); ok {
			s := fmt.Sprintf("`%d` nanoseconds = **%s**", ns, duration.Format(ns))
			if duration.Suspicious(ns) {
				s += fmt.Sprintf("\n\nThis is under a millisecond: Nomad durations are in nanoseconds, so %d seconds is `%d`.", ns, ns*int64(time.Second))
			}
			return s
		}
	}
	p := pattern(rest, true)
	if (p == "periodic.spec" || p == "periodic.specs[]") && n.Is(jsonast.String) {
		return h.cronNext(n.Str, view.StrOr(view.Get(h.jobNode(), "Periodic"), "TimeZone", "UTC"))
	}
	return ""
}

func (h *hoverer) jobNode() *jsonast.Node {
	job, _, _ := view.Locate(h.doc.Root)
	return job
}

// cronNext lists the next run times of a cron spec.
func (h *hoverer) cronNext(spec, tz string) string {
	s, err := cron.Parse(spec)
	if err != nil {
		return "Invalid cron spec: " + err.Error()
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc, tz = time.UTC, "UTC"
	}
	next := s.Next(now().In(loc), 3)
	if len(next) == 0 {
		return "This cron spec never fires."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Next runs (%s):", tz)
	for _, t := range next {
		fmt.Fprintf(&b, "\n- %s", t.Format("Mon 2006-01-02 15:04:05"))
	}
	return b.String()
}

func (h *hoverer) explainNosana(n *jsonast.Node, off int) string {
	var parts []string
	if n.Is(jsonast.String) && off >= 0 {
		if s := h.literalTarget(n, off); s != "" {
			parts = append(parts, s)
		}
	}
	if s := h.effective(n); s != "" {
		parts = append(parts, s)
	}
	if n.Is(jsonast.String) && pattern(n.Segments(), false) == "ops[].execution.depends_on[]" {
		parts = append(parts, describeOpRef(h.doc, n.Str))
	}
	return strings.Join(parts, "\n\n")
}

// literalTarget describes the %%…%% literal under the cursor.
func (h *hoverer) literalTarget(n *jsonast.Node, off int) string {
	raw := string(h.doc.Text[n.Start+1 : max(n.Start+1, n.End-1)])
	at := off - (n.Start + 1)
	for _, l := range literal.Find(raw) {
		if at < l.Start || at > l.End {
			continue
		}
		h.span = &[2]int{n.Start + 1 + l.Start, n.Start + 1 + l.End}
		return describeLiteral(h.doc, l)
	}
	return ""
}

func describeLiteral(doc *jsonast.Document, l literal.Literal) string {
	head := "`" + l.Raw + "`"
	if l.Scope != literal.ScopeOps {
		if len(l.Path) == 2 && l.Path[0] == "variables" {
			if v, ok := doc.Root.Get("global").Get("variables").Get(l.Path[1]).StringValue(); ok {
				return head + ": global variable `" + l.Path[1] + "` = `" + v + "`"
			}
			return head + ": global variable `" + l.Path[1] + "`, **not declared** in `global.variables`"
		}
		if len(l.Path) == 1 {
			if d, ok := globalDocs[l.Path[0]]; ok {
				return head + ": " + d
			}
		}
		return head
	}
	var op *nosana.SourceOp
	for _, o := range nosanaOps(doc) {
		if o.ID == l.Op {
			op = o
			break
		}
	}
	if op == nil {
		return head + ": **no op has id `" + l.Op + "`**"
	}
	s := fmt.Sprintf("%s: op `%s` (ops[%d], %s)", head, op.ID, op.Index, opDetail(op))
	switch {
	case len(l.Path) == 2 && l.Path[0] == "results":
		r := op.Node.Get("results").Get(l.Path[1])
		switch {
		case r.Is(jsonast.String):
			s += fmt.Sprintf("\n\nResult `%s`: the first match of `%s` in its logs.", l.Path[1], r.Str)
		case r.Is(jsonast.Object):
			s += fmt.Sprintf("\n\nResult `%s`: the first match of `%s` in its logs.", l.Path[1], r.Get("regex").Str)
		default:
			s += fmt.Sprintf("\n\n**The op has no result `%s`.**", l.Path[1])
		}
	case len(l.Path) == 1 && l.Path[0] == "host":
		s += "\n\nThe host name of its container on the job's network."
	case len(l.Path) == 2 && l.Path[0] == "endpoint":
		s += "\n\nThe public URL of its exposed port " + l.Path[1] + "."
	case len(l.Path) == 1 && l.Path[0] == "deployment_endpoint":
		s += "\n\nThe load-balanced endpoint of its deployment."
	}
	return s
}

// describeOpRef says which op an id refers to.
func describeOpRef(doc *jsonast.Document, id string) string {
	for _, o := range nosanaOps(doc) {
		if o.ID == id {
			return fmt.Sprintf("Waits for op `%s` (ops[%d], %s).", o.ID, o.Index, opDetail(o))
		}
	}
	return "**No op has id `" + id + "`.**"
}
