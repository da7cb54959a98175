package intel

import (
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// ref is a value taken from the document itself, which no schema can know.
type ref struct {
	label, detail, doc string
}

// pattern renders a path with indices as [] and, for Nomad, keys in lower
// case: "ops[].execution.depends_on[]".
func pattern(segs []jsonast.Segment, fold bool) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Index >= 0 {
			b.WriteString("[]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		if fold {
			b.WriteString(strings.ToLower(s.Key))
		} else {
			b.WriteString(s.Key)
		}
	}
	return b.String()
}

// references lists the values from the document that fit the cursor's place.
func (c *completer) references() []ref {
	switch c.format {
	case rule.Nosana:
		return c.nosanaRefs()
	case rule.Nomad:
		return c.nomadRefs()
	}
	return nil
}

// nosanaOps returns the ops of a Nosana document that have an id, from the
// same positioned model the lint rules read.
func nosanaOps(doc *jsonast.Document) []*nosana.SourceOp {
	var out []*nosana.SourceOp
	for _, o := range nosana.NewSource(doc).Ops {
		if o.IDNode != nil {
			out = append(out, o)
		}
	}
	return out
}

// opDetail describes an op in one line: its type and image.
func opDetail(o *nosana.SourceOp) string {
	if img, ok := o.Args.Get("image").StringValue(); ok {
		return o.Type + " " + img
	}
	return o.Type
}

func (c *completer) nosanaRefs() []ref {
	segs := c.cur.Segs
	p := pattern(segs, false)
	var out []ref
	switch p {
	case "ops[].execution.depends_on[]", "ops[].execution.depends_on":
		own := segs[1].Index
		listed := map[string]bool{}
		if p == "ops[].execution.depends_on[]" {
			for _, it := range view.Items(c.doc.Lookup(segs[:len(segs)-1])) {
				if it.Start != c.cur.Start {
					listed[it.Str] = true
				}
			}
		}
		for _, o := range nosanaOps(c.doc) {
			if o.Index == own || listed[o.ID] || o.ID == "" {
				continue
			}
			label := strconv.Quote(o.ID)
			if p == "ops[].execution.depends_on" {
				label = "[" + label + "]"
			}
			out = append(out, ref{label, opDetail(o), "Wait for op `" + o.ID + "` before starting this one."})
		}
	case "ops[].args.volumes[].name":
		for _, o := range nosanaOps(c.doc) {
			if o.Type != "container/create-volume" {
				continue
			}
			if name, ok := o.Node.Get("args").Get("name").StringValue(); ok && name != "" {
				out = append(out, ref{strconv.Quote(name), "volume created by op " + o.ID,
					"The volume that op `" + o.ID + "` creates."})
			}
		}
	}
	return out
}

// literals proposes %%…%% literals inside a Nosana string.
func (c *completer) literals() {
	t := c.cur.Tmpl
	ownOp := -1
	if len(c.cur.Segs) > 1 && c.cur.Segs[0].Key == "ops" {
		ownOp = c.cur.Segs[1].Index
	}
	for i, r := range literalTargets(c.doc, ownOp, t.Partial) {
		c.addRange(Item{Label: r.label, Kind: KindReference, Detail: r.detail, Documentation: r.doc,
			SortText: "0" + strconv.Itoa(1000+i)}, t.Start, t.End, "%%"+r.label+"%%")
	}
}

// literalTargets lists the literal paths starting with prefix that a Nosana
// op may read, without the %% markers: ops.<id>.host, ops.<id>.results.<key>, ops.<id>.endpoint.<port>,
// ops.<id>.deployment_endpoint, global.<key>, global.variables.<NAME>.
func literalTargets(doc *jsonast.Document, ownOp int, prefix string) []ref {
	var out []ref
	add := func(label string, describe func() ref) {
		if strings.HasPrefix(label, prefix) {
			r := describe()
			r.label = label
			out = append(out, r)
		}
	}
	for _, o := range nosanaOps(doc) {
		if o.ID == "" || strings.Contains(o.ID, ".") {
			continue
		}
		own := o.Index == ownOp // its own results exist only after it ran
		base := "ops." + o.ID + "."
		// An op whose literals cannot match the prefix is skipped whole.
		if !strings.HasPrefix(base, prefix) && !strings.HasPrefix(prefix, base) {
			continue
		}
		add(base+"host", func() ref {
			return ref{detail: opDetail(o), doc: "The host name of op `" + o.ID + "`'s container on the job's network."}
		})
		if results := o.Node.Get("results"); results.Is(jsonast.Object) && !own {
			for _, m := range results.Members {
				add(base+"results."+m.Key, func() ref {
					return ref{detail: "result of " + o.ID, doc: "The value op `" + o.ID + "` extracts from its logs as result `" + m.Key + "`."}
				})
			}
		}
		ports := exposedPorts(o.Node.Get("args").Get("expose"))
		for _, p := range ports {
			add(base+"endpoint."+p.label, func() ref {
				return ref{detail: "exposed port of " + o.ID, doc: "The public URL of port " + p.label + " of op `" + o.ID + "`."}
			})
		}
		if len(ports) > 0 {
			add(base+"deployment_endpoint", func() ref {
				return ref{detail: "deployment endpoint of " + o.ID, doc: "The load-balanced endpoint of op `" + o.ID + "`'s deployment."}
			})
		}
	}
	for _, k := range []string{"job", "host", "project", "frps_address"} {
		add("global."+k, func() ref { return ref{detail: "global value", doc: globalDocs[k]} })
	}
	if vars := doc.Root.Get("global").Get("variables"); vars.Is(jsonast.Object) {
		for _, m := range vars.Members {
			add("global.variables."+m.Key, func() ref {
				return ref{detail: "global variable", doc: "The value of `global.variables." + m.Key + "`."}
			})
		}
	}
	return out
}

var globalDocs = map[string]string{
	"job":          "The id of the job.",
	"host":         "The node's wallet address.",
	"project":      "The project (poster) of the job.",
	"frps_address": "The address of the node's frp server.",
}

// nomadRefs proposes values from a Nomad document: declared port labels
// for PortLabel and docker ports, and drivers.
func (c *completer) nomadRefs() []ref {
	rest, _, ok := nomadJobSegs(c.doc, c.cur.Segs)
	if !ok {
		return nil
	}
	p := pattern(rest, true)
	var out []ref
	switch {
	case strings.HasSuffix(p, ".portlabel") || p == "taskgroups[].tasks[].config.ports[]":
		for _, l := range portLabels(c.doc, rest) {
			out = append(out, ref{strconv.Quote(l), "declared port", "The port labelled `" + l + "` in the group's network."})
		}
	case p == "taskgroups[].tasks[].driver":
		for _, d := range []string{"docker", "exec", "raw_exec", "podman", "java", "qemu"} {
			out = append(out, ref{strconv.Quote(d), "task driver", "Run the task with the `" + d + "` driver (the client must have it enabled)."})
		}
	case p == "periodic.spec" || p == "periodic.specs[]":
		for _, e := range [][2]string{{"*/15 * * * *", "every 15 minutes"}, {"0 * * * *", "every hour"}, {"0 3 * * *", "every day at 03:00"},
			{"0 9 * * 1-5", "weekdays at 09:00"}, {"@daily", "every day at midnight"}, {"@weekly", "every Sunday at midnight"}} {
			out = append(out, ref{strconv.Quote(e[0]), e[1], "A cron spec: runs " + e[1] + " (in Periodic.TimeZone, UTC by default)."})
		}
	case strings.HasSuffix(p, "constraints[].ltarget") || strings.HasSuffix(p, "affinities[].ltarget") || strings.HasSuffix(p, "spreads[].attribute"):
		for _, n := range constraintTargets {
			out = append(out, ref{strconv.Quote("${" + n + "}"), "node attribute", interpDoc(n)})
		}
	}
	return out
}

// portLabels lists the port labels declared in the task group that holds
// the place rest (a path inside the job).
func portLabels(doc *jsonast.Document, rest []jsonast.Segment) []string {
	job, _, _ := view.Locate(doc.Root)
	if len(rest) < 2 || !strings.EqualFold(rest[0].Key, "TaskGroups") {
		return nil
	}
	tg := view.Items(view.Get(job, "TaskGroups"))
	if rest[1].Index < 0 || rest[1].Index >= len(tg) {
		return nil
	}
	group := tg[rest[1].Index]
	var out []string
	seen := map[string]bool{}
	addNets := func(nets *jsonast.Node) {
		for _, n := range view.Objects(nets) {
			for _, k := range []string{"DynamicPorts", "ReservedPorts"} {
				for _, p := range view.Objects(view.Get(n, k)) {
					if l, ok := view.Str(p, "Label"); ok && l != "" && !seen[l] {
						seen[l] = true
						out = append(out, l)
					}
				}
			}
		}
	}
	addNets(view.Get(group, "Networks"))
	for _, t := range view.Objects(view.Get(group, "Tasks")) {
		addNets(view.Get(view.Get(t, "Resources"), "Networks"))
	}
	return out
}
