package rules

import (
	"math"
	"math/big"
	"strconv"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/duration"
	"github.com/jobkit-dev/jobkit/core/nomad/jobschema"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// DurationUnits checks duration fields: Nomad reads them as integer
// nanoseconds. Strings ("10s"), fractions and exponents (6e+10) make Nomad
// reject the whole job; a value under one millisecond is almost certainly
// seconds written as nanoseconds.
var DurationUnits = &rule.Rule{ID: "nomad-duration-units", Format: rule.Nomad, Severity: diag.Error,
	Summary: "durations are integer nanoseconds: no strings, fractions, exponents or seconds", Check: checkDurations}

func checkDurations(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	walkFields(j.Node, func(m *jsonast.Member, f *jobschema.Field, _ *jobschema.Block) {
		if f.Type.Kind != jobschema.KindDuration {
			return
		}
		checkDuration(ctx, m.Value)
	})
}

func checkDuration(ctx *rule.Context, n *jsonast.Node) {
	if n.Kind == jsonast.Number {
		if v, err := strconv.ParseInt(n.Num, 10, 64); err == nil && !duration.Suspicious(v) {
			return // the common case: a plain nanosecond count
		}
	}
	p := n.Path()
	switch n.Kind {
	case jsonast.Null, jsonast.Invalid:
	case jsonast.String:
		d := ctx.Report(n, "%s is a string, but Nomad durations are integer nanoseconds: Nomad cannot decode the job (json: cannot unmarshal string into Go struct field of type time.Duration)", p)
		if ns, err := duration.Parse(n.Str); err == nil {
			d.Fixes = []diag.Fix{{Title: "Write " + strconv.FormatInt(ns, 10) + " (" + duration.Format(ns) + ")", Safe: true,
				Edits: []diag.TextEdit{ctx.Edit(n.Start, n.End, strconv.FormatInt(ns, 10))}}}
		}
	case jsonast.Number:
		if v, err := strconv.ParseInt(n.Num, 10, 64); err == nil {
			if duration.Suspicious(v) {
				d := ctx.Report(n, "%s is %d nanoseconds (%s): almost certainly seconds; Nomad durations are nanoseconds, so %d seconds is %d", p, v, duration.Format(v), v, v*duration.Second)
				d.Severity = diag.Warning
				if v <= math.MaxInt64/duration.Second {
					d.Fixes = []diag.Fix{{Title: "Multiply by 1e9 (the value was seconds)",
						Edits: []diag.TextEdit{ctx.Edit(n.Start, n.End, strconv.FormatInt(v*duration.Second, 10))}}}
				}
			}
			return
		}
		r, ok := new(big.Rat).SetString(n.Num)
		if ok && r.IsInt() && r.Num().IsInt64() {
			ns := r.Num().Int64()
			d := ctx.Report(n, "%s is written as %s: Nomad cannot decode a duration with a fraction or exponent (json: cannot unmarshal number %s into Go struct field of type time.Duration); write %d (%s)", p, n.Num, n.Num, ns, duration.Format(ns))
			d.Fixes = []diag.Fix{{Title: "Write " + strconv.FormatInt(ns, 10), Safe: true,
				Edits: []diag.TextEdit{ctx.Edit(n.Start, n.End, strconv.FormatInt(ns, 10))}}}
			return
		}
		d := ctx.Report(n, "%s is %s: Nomad durations are whole nanoseconds and it cannot decode a fraction (json: cannot unmarshal number %s into Go struct field of type time.Duration)", p, n.Num, n.Num)
		if f, err := strconv.ParseFloat(n.Num, 64); err == nil && f > 0 && f < 1e6 {
			ns := int64(math.Round(f * 1e9))
			d.Fixes = []diag.Fix{{Title: "Treat as seconds: write " + strconv.FormatInt(ns, 10) + " (" + duration.Format(ns) + ")",
				Edits: []diag.TextEdit{ctx.Edit(n.Start, n.End, strconv.FormatInt(ns, 10))}}}
		}
	default:
		ctx.Report(n, "%s must be a whole number of nanoseconds, not %s: Nomad cannot decode the job", p, n.Kind)
	}
}
