package rules

import (
	"path"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// volume: args.volumes that Docker rejects or that do not share data the way
// the author expects.
//
// Docker refuses a relative mount destination and two mounts at the same
// place in one container (volumes and resource targets count together), so
// the op fails to start. A volume is the Docker volume <flowId>-<name>: when
// no container/create-volume op of that name runs first, Docker silently
// creates an empty one. Two ops of one execution group run at the same time
// and both mount the volume writable, so their writes race.
var volume = &rule.Rule{
	ID:       "volume",
	Format:   rule.Nosana,
	Severity: diag.Error,
	Summary:  "a volume mount that Docker rejects, that nothing creates first, or that two concurrent ops write",
	Check:    checkVolume,
}

func checkVolume(c *rule.Context) {
	creators := map[string][]*nosana.SourceOp{}
	for _, o := range sourceOf(c).Ops {
		if o.IsRun() {
			continue
		}
		if name, ok := closedStr(o.Node.Get("args").Get("name")); ok {
			creators[name] = append(creators[name], o)
		}
	}
	type user struct {
		op   *nosana.SourceOp
		path string
	}
	writers := map[string]map[string]user{} // group → volume name → first op mounting it
	for _, o := range runOps(c) {
		mounts := resourceTargets(o.Args)
		for _, v := range arrayItems(o.Args.Get("volumes")) {
			checkVolumeDest(c, v.Get("dest"), mounts)
			nameNode := v.Get("name")
			name, ok := closedStr(nameNode)
			if !ok || name == "" || containsLiteral(name) {
				continue
			}
			checkVolumeCreator(c, o, nameNode, creators[name])
			byName := writers[o.Group]
			if byName == nil {
				byName = map[string]user{}
				writers[o.Group] = byName
			}
			if first, dup := byName[name]; dup && first.op != o {
				c.Report(nameNode, "%s: volume %s is also mounted by %s in the same execution group %s; both run at the same time with write access, so use separate volumes or separate groups", nameNode.Path(), jsonString(name), first.op.Label(), o.GroupLabel()).Severity = diag.Warning
			} else if !dup {
				byName[name] = user{op: o, path: nameNode.Path()}
			}
		}
	}
}

// checkVolumeDest reports a relative dest and one that collides with an
// earlier mount of the op; it records dest in mounts.
func checkVolumeDest(c *rule.Context, dn *jsonast.Node, mounts map[string]string) {
	dest, ok := closedStr(dn)
	if !ok || dest == "" || containsLiteral(dest) {
		return
	}
	if !strings.HasPrefix(dest, "/") {
		d := c.Report(dn, "%s: %s is not an absolute path, and Docker refuses relative mount points; write %s", dn.Path(), jsonString(dest), jsonString("/"+dest))
		d.Fixes = append(d.Fixes, diag.Fix{
			Title: "Make the path absolute: " + jsonString("/"+dest),
			Edits: []diag.TextEdit{c.Edit(dn.Start, dn.End, jsonString("/"+dest))},
		})
		return
	}
	clean := path.Clean(dest)
	if prev, dup := mounts[clean]; dup {
		c.Report(dn, "%s: %s is already a mount point of this op (%s), and Docker refuses two mounts at one place; choose another path", dn.Path(), jsonString(dest), prev)
		return
	}
	mounts[clean] = dn.Path()
}

// checkVolumeCreator warns when no create-volume op of the name runs before
// the op o.
func checkVolumeCreator(c *rule.Context, o *nosana.SourceOp, nameNode *jsonast.Node, creators []*nosana.SourceOp) {
	if len(creators) == 0 {
		c.Report(nameNode, "%s: no container/create-volume op creates volume %s, so Docker silently creates an empty one; add an op {\"type\": \"container/create-volume\", \"args\": {\"name\": %s}} in an earlier group", nameNode.Path(), jsonString(nameNode.Str), jsonString(nameNode.Str)).Severity = diag.Warning
		return
	}
	for _, cr := range creators {
		if cr.Order < o.Order || cr.Order == o.Order && cr.Index < o.Index {
			return
		}
	}
	c.Report(nameNode, "%s: volume %s is created by %s only after this op starts; move the create-volume op to an earlier group", nameNode.Path(), jsonString(nameNode.Str), creators[0].Label()).Severity = diag.Warning
}

// resourceTargets returns the absolute mount points of an op's resources
// (the Ollama default included), keyed by cleaned path, with their field
// paths.
func resourceTargets(args *jsonast.Node) map[string]string {
	out := map[string]string{}
	for _, r := range arrayItems(args.Get("resources")) {
		if t, where := resourceTarget(r); t != "" {
			if _, dup := out[t]; !dup {
				out[t] = where
			}
		}
	}
	return out
}

// ollamaDefaultTarget is where the node mounts an Ollama model without target.
const ollamaDefaultTarget = "/root/.ollama/models"

// resourceTarget returns a resource's cleaned absolute mount point and where
// it is written ("" when it is relative, a literal or missing).
func resourceTarget(r *jsonast.Node) (string, string) {
	if !r.Is(jsonast.Object) {
		return "", ""
	}
	tn := r.Get("target")
	if tn == nil {
		if typ, _ := closedStr(r.Get("type")); typ == "Ollama" {
			return ollamaDefaultTarget, r.Path() + " (the Ollama default " + ollamaDefaultTarget + ")"
		}
		return "", ""
	}
	t, ok := closedStr(tn)
	if !ok || !strings.HasPrefix(t, "/") || containsLiteral(t) {
		return "", ""
	}
	return path.Clean(t), tn.Path()
}
