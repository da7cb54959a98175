package rules

import (
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/nomad/duration"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Template checks templates as Nomad does: a source or embedded template,
// a destination inside the task directory and unique among the task's
// templates, a known change mode with its signal or script, a positive
// splay, octal permissions, wait min ≤ max.
var Template = &rule.Rule{ID: "nomad-template", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of templates (source, destination, change mode, perms)", Check: checkTemplates}

func checkTemplates(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, t := range j.Tasks() {
		dests := map[string]int{}
		for i, tp := range view.Objects(view.Get(t.Node, "Templates")) {
			wrap := "Template " + strconv.Itoa(i+1) + " validation failed: "
			src, _ := view.Str(tp, "SourcePath")
			emb, _ := view.Str(tp, "EmbeddedTmpl")
			if src == "" && emb == "" {
				nomadSays(ctx, tp, `set "EmbeddedTmpl" or "SourcePath"`, "%sMust specify a source path or have an embedded template", wrap)
			}
			dest, _ := view.Str(tp, "DestPath")
			switch {
			case dest == "":
				nomadSays(ctx, at(tp, "DestPath"), `set "DestPath", e.g. "local/app.conf"`, "%sMust specify a destination for the template", wrap)
			case !strings.Contains(dest, "${") && escapes(dest, 1):
				nomadSays(ctx, view.Get(tp, "DestPath"), "", "%sdestination escapes allocation directory", wrap)
			default:
				if prev, dup := dests[dest]; dup {
					nomadSays(ctx, view.Get(tp, "DestPath"), "", "Template %d has same destination as %d", i+1, prev)
				}
				dests[dest] = i + 1
			}
			mode := view.StrOr(tp, "ChangeMode", "restart")
			switch mode {
			case "noop", "restart":
			case "signal":
				// Absent, the api's Canonicalize sets SIGHUP; only an explicit "" fails.
				if s, ok := view.Str(tp, "ChangeSignal"); ok && s == "" {
					nomadSays(ctx, at(tp, "ChangeSignal"), "", "%sMust specify signal value when change mode is signal", wrap)
				}
				if env, _ := view.Bool(tp, "Envvars"); env {
					nomadSays(ctx, view.Get(tp, "Envvars"), "", "%scannot use signals with env var templates", wrap)
				}
			case "script":
				if view.Get(tp, "ChangeScript") == nil {
					nomadSays(ctx, at(tp, "ChangeScript"), "", "%smust specify change script configuration value when change mode is script", wrap)
				}
			default:
				nomadSays(ctx, view.Get(tp, "ChangeMode"), "", "%sInvalid change mode. Must be one of the following: noop, signal, script, restart", wrap)
			}
			if sp, ok := view.Int(tp, "Splay"); ok && sp < 0 {
				nomadSays(ctx, view.Get(tp, "Splay"), "", "%sMust specify positive splay value", wrap)
			}
			if p, ok := view.Str(tp, "Perms"); ok {
				if _, err := strconv.ParseUint(p, 8, 12); err != nil {
					nomadSays(ctx, view.Get(tp, "Perms"), `write the mode in octal, e.g. "0640"`, "%sFailed to parse %q as octal: %v", wrap, p, err)
				}
			}
			w := view.Get(tp, "Wait")
			mn, okMin := view.Int(w, "Min")
			mx, okMax := view.Int(w, "Max")
			if okMin && okMax && mn > mx {
				nomadSays(ctx, view.Get(w, "Min"), "", "%swait min %s is greater than max %s", wrap, duration.Format(mn), duration.Format(mx))
			}
		}
	}
}
