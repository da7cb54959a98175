package intel

import (
	"fmt"
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nosana"
)

// effective describes the value a Nosana node actually uses for the field
// holding n, where it applies a fallback (global.gpu, global.entrypoint,
// global.image, global.work_dir) or a conversion (a string cmd).
func (h *hoverer) effective(n *jsonast.Node) string {
	segs := n.Segments()
	field := ""
	op := -1
	switch {
	case len(segs) >= 4 && segs[0].Key == "ops" && segs[1].Index >= 0 && segs[2].Key == "args" && segs[3].Index < 0:
		op, field = segs[1].Index, segs[3].Key
	case len(segs) >= 2 && segs[0].Key == "global" && segs[1].Index < 0:
		field = segs[1].Key
	default:
		return ""
	}
	switch field {
	case "gpu", "image", "entrypoint", "work_dir", "cmd":
	default:
		return ""
	}
	src := nosana.NewSource(h.doc)
	if op < 0 {
		if field == "cmd" {
			return ""
		}
		var lines []string
		for _, o := range src.Ops {
			if len(lines) == maxEffectiveOps {
				lines = append(lines, "- …")
				break
			}
			if d := src.Decode(o); d != nil && d.Run != nil {
				lines = append(lines, fmt.Sprintf("- `%s`: %s", d.ID, effectiveValue(d, field)))
			}
		}
		if len(lines) == 0 {
			return ""
		}
		return "Effective value in each op:\n" + strings.Join(lines, "\n")
	}
	for _, o := range src.Ops {
		if o.Index != op {
			continue
		}
		if d := src.Decode(o); d != nil && d.Run != nil {
			return "Effective value: " + effectiveValue(d, field)
		}
	}
	return ""
}

// maxEffectiveOps bounds the ops a hover over a global field lists.
const maxEffectiveOps = 12

func effectiveValue(o *nosana.Op, field string) string {
	switch field {
	case "gpu":
		s := fmt.Sprintf("`%v`", o.GPU())
		if o.GPU() && !o.Run.GPU {
			s += " (from `global.gpu`: an op cannot switch it off)"
		}
		return s
	case "image":
		if o.Image() == "" {
			return "no image: the op cannot run"
		}
		if o.Run.Image == "" {
			return fmt.Sprintf("`%s` (from `global.image`)", o.Image())
		}
		return fmt.Sprintf("`%s`", o.Image())
	case "entrypoint":
		ep := o.Entrypoint()
		if ep == nil {
			return "the image's ENTRYPOINT"
		}
		s := "`" + quoteList(ep) + "`"
		if o.Run.Entrypoint == nil || o.Run.Entrypoint.IsString && o.Run.Entrypoint.Shell == "" {
			s += " (from `global.entrypoint`)"
		}
		if len(ep) == 1 && strings.Contains(ep[0], " ") {
			s += "; a string entrypoint is one executable name and is not split on spaces"
		}
		return s
	case "work_dir":
		if o.WorkDir() == "" {
			return "the image's WORKDIR"
		}
		if o.Run.WorkDir == "" {
			return fmt.Sprintf("`%s` (from `global.work_dir`)", o.WorkDir())
		}
		return fmt.Sprintf("`%s`", o.WorkDir())
	case "cmd":
		c := o.Command()
		if c == nil {
			return "the image's CMD"
		}
		s := "`" + quoteList(c) + "`"
		if o.Run.Cmd != nil && o.Run.Cmd.IsString {
			s += " (a string cmd runs through `/bin/sh -c`)"
		}
		return s
	}
	return ""
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
