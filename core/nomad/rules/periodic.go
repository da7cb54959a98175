package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/cron"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Periodic checks a periodic job's schedule (validated when Enabled, which
// the API defaults to true): one of Spec or Specs, SpecType cron, and every
// cron expression parsed as Nomad's cron library does (5 to 7 fields,
// @daily-style macros, no @every).
var Periodic = &rule.Rule{ID: "nomad-periodic", Format: rule.Nomad, Severity: diag.Error,
	Summary: "periodic schedules: Spec or Specs, valid cron expressions", Check: checkPeriodic}

func checkPeriodic(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	p := view.Get(j.Node, "Periodic")
	if !p.Is(jsonast.Object) {
		return
	}
	if en, ok := view.Bool(p, "Enabled"); ok && !en {
		return
	}
	spec := view.Get(p, "Spec")
	specs := view.Items(view.Get(p, "Specs"))
	s, _ := spec.StringValue()
	if s != "" && len(specs) > 0 {
		nomadSays(ctx, spec, "keep only Specs", "Only cron or crons may be used")
	}
	if s == "" && len(specs) == 0 {
		nomadSays(ctx, at(p, "Specs"), `add "Specs": ["<cron expression>"]`, "Must specify a spec")
	}
	if st, ok := view.Str(p, "SpecType"); ok && st != "cron" {
		nomadSays(ctx, view.Get(p, "SpecType"), `the only spec type is "cron"`, "Unknown periodic specification type %q", st)
		return
	}
	if tz, ok := view.Str(p, "TimeZone"); ok && !knownTimeZone(tz) {
		nomadSays(ctx, view.Get(p, "TimeZone"), `use an IANA zone name such as "Europe/Berlin" or "UTC"`, "Invalid time zone %q: unknown time zone %s", tz, tz)
	}
	if s != "" {
		checkCron(ctx, spec)
	}
	for _, it := range specs {
		if it.Is(jsonast.String) {
			checkCron(ctx, it)
		}
	}
}

func checkCron(ctx *rule.Context, n *jsonast.Node) {
	_, err := cron.Parse(n.Str)
	if err == nil {
		return
	}
	msg := err.Error()
	start, end := n.Start, n.End
	if e, ok := err.(*cron.Error); ok && !strings.ContainsAny(n.Str, `\"`) {
		// Point at the offending part when the literal has no escapes.
		start = n.Start + 1 + e.Offset
		end = start + 1
		if end > n.End-1 {
			start, end = n.Start, n.End
		}
	}
	ctx.ReportSpan(start, end, n.Segments(), "%s: Nomad says: Invalid cron spec %q: %s", n.Path(), n.Str, msg)
}

var timeZones map[string]bool

// knownTimeZone reports whether time.LoadLocation, which Nomad validates
// TimeZone with, accepts tz. It reads jobkit's list rather than a tz
// database, which the WebAssembly build does not have.
func knownTimeZone(tz string) bool {
	if tz == "" || tz == "UTC" || tz == "Local" {
		return true
	}
	if timeZones == nil {
		timeZones = map[string]bool{}
		for _, n := range strings.Split(timeZoneNames, "\n") {
			timeZones[n] = true
		}
	}
	return timeZones[tz]
}
