package rules

import (
	"fmt"
	"math"
	"strconv"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// gpuVRAM: the VRAM requirement is missing, misplaced or pointless.
//
// Nosana's dashboard picks the markets a job can be posted to by comparing
// meta.system_requirements.required_vram (GB) with each market's VRAM. A GPU
// job without it can land on a GPU too small for the model. The field has
// moved over time (global, meta, args, a typo, "system_resources"), and only
// meta.system_requirements is read; the other places are silently ignored.
// Many official templates write meta.system_requirements.vram_total_mb (in
// MB), which the market filter does not read either; it is named as such. A
// VRAM requirement on a job whose ops never ask for a GPU only narrows the
// choice of markets.
var gpuVRAM = &rule.Rule{
	ID:       "gpu-vram",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  "a GPU job needs meta.system_requirements.required_vram, in that exact place",
	Check:    checkGPUVRAM,
}

func checkGPUVRAM(c *rule.Context) {
	root := c.Doc.Root
	meta := root.Get("meta")
	gpuAt, runs := gpuUser(c)
	canonical := meta.Get("system_requirements").MemberByKey("required_vram")

	var misplaced []*jsonast.Member
	if m := meta.Get("system_resources").MemberByKey("required_vram"); m != nil {
		misplaced = append(misplaced, m)
	}
	for _, obj := range []*jsonast.Node{meta, root.Get("global")} {
		if m := obj.MemberByKey("required_vram"); m != nil {
			misplaced = append(misplaced, m)
		}
	}
	for _, o := range runOps(c) {
		if m := o.Args.MemberByKey("required_vram"); m != nil {
			misplaced = append(misplaced, m)
		}
	}
	for _, m := range misplaced {
		d := c.ReportKey(m, "%s: the VRAM requirement is only read from \"meta.system_requirements.required_vram\"; this one is ignored, so move it there", m.Path())
		if fix, ok := moveVRAMFix(c, m, canonical == nil && len(misplaced) == 1); ok {
			d.Fixes = append(d.Fixes, fix)
		}
	}

	switch {
	case canonical != nil:
		v, ok := canonical.Value.Float()
		if !ok || v <= 0 {
			c.Report(canonical.Value, "%s: required_vram must be a positive number of GB (such as 8); markets are filtered by comparing it with their VRAM", canonical.Path())
		} else if gpuAt == nil && runs {
			c.Report(canonical.Value, "%s: the job asks for %s GB of VRAM but no op sets \"gpu\": true, so no container gets a GPU", canonical.Path(), canonical.Value.Num).Severity = diag.Info
		}
	case gpuAt != nil && len(misplaced) == 0 && vramTotalMB(c, meta):
	case gpuAt != nil && len(misplaced) == 0:
		c.ReportKey(gpuAt, "%s: the job uses a GPU but \"meta.system_requirements.required_vram\" is not set; add it (in GB) so that the job only goes to markets with enough VRAM", gpuAt.Path())
	}
}

// vramTotalMB reports a GPU job's meta.system_requirements.vram_total_mb
// (written by official templates) that stands in for required_vram, and
// returns whether it found one.
func vramTotalMB(c *rule.Context, meta *jsonast.Node) bool {
	m := meta.Get("system_requirements").MemberByKey("vram_total_mb")
	if m == nil || m.Value == nil {
		return false
	}
	mb, ok := m.Value.Float()
	if !ok || mb <= 0 {
		c.ReportKey(m, "%s: the dashboard's market filter does not read vram_total_mb; it reads \"meta.system_requirements.required_vram\" (a positive number of GB), which is not set, so add it", m.Path())
		return true
	}
	gb := int(math.Ceil(mb / 1024))
	d := c.ReportKey(m, "%s: the dashboard's market filter does not read vram_total_mb; it reads only \"meta.system_requirements.required_vram\" (in GB), which is not set, so the job may go to a market with less VRAM: add \"required_vram\": %d (%s MB in GB, rounded up) beside it", m.Path(), gb, m.Value.Num)
	if ins, ok := systemRequirementsEdits(c.Doc, strconv.Itoa(gb)); ok {
		d.Fixes = append(d.Fixes, diag.Fix{Title: fmt.Sprintf("Add \"required_vram\": %d", gb), Edits: []diag.TextEdit{ins}})
	}
	return true
}

// gpuUser returns the first "gpu": true that gives an op a GPU (an op's own,
// else global.gpu), and whether the job runs any container at all.
func gpuUser(c *rule.Context) (*jsonast.Member, bool) {
	ops := runOps(c)
	for _, o := range ops {
		if m := o.Args.MemberByKey("gpu"); m != nil && trueValue(m.Value) {
			return m, true
		}
	}
	if m := c.Doc.Root.Get("global").MemberByKey("gpu"); m != nil && trueValue(m.Value) && len(ops) > 0 {
		return m, true
	}
	return nil, len(ops) > 0
}

// moveVRAMFix builds the fix that moves a misplaced required_vram into
// meta.system_requirements. Only the sole requirement is moved (safe);
// otherwise the misplaced copy can just be removed (not safe: the values
// may differ).
func moveVRAMFix(c *rule.Context, m *jsonast.Member, sole bool) (diag.Fix, bool) {
	if m.Value == nil {
		return diag.Fix{}, false
	}
	if !sole {
		return diag.Fix{Title: fmt.Sprintf("Remove %s", m.Path()), Edits: []diag.TextEdit{deleteMember(c.Doc, m)}}, true
	}
	meta := c.Doc.Root.Get("meta")
	parent := m.Parent
	val := nodeText(c.Doc, m.Value)
	const title = "Move required_vram to meta.system_requirements"
	switch {
	case parent.Member != nil && parent.Member.Key == "system_resources" && parent.Parent == meta && !meta.Has("system_requirements"):
		return diag.Fix{
			Title: `Rename "system_resources" to "system_requirements"`,
			Edits: []diag.TextEdit{c.Edit(parent.Member.KeyStart, parent.Member.KeyEnd, `"system_requirements"`)},
			Safe:  true,
		}, true
	case parent == meta && !meta.Has("system_requirements"):
		return diag.Fix{
			Title: title,
			Edits: []diag.TextEdit{c.Edit(m.KeyStart, m.Value.End, `"system_requirements": {"required_vram": `+val+`}`)},
			Safe:  true,
		}, true
	}
	ins, ok := systemRequirementsEdits(c.Doc, val)
	if !ok {
		return diag.Fix{}, false
	}
	del := deleteMember(c.Doc, m)
	if ins.Range.Start.Offset >= del.Range.Start.Offset && ins.Range.Start.Offset <= del.Range.End.Offset {
		return diag.Fix{}, false // the insertion point would be removed with the member
	}
	return diag.Fix{Title: title, Edits: []diag.TextEdit{del, ins}, Safe: true}, true
}
