// Package nomad lints Nomad JSON job specifications: the schema layer
// (unknown and mis-cased keys, removed fields, JSON types) in Validate, and
// Nomad's own validation plus what Nomad only reports when a task starts in
// Rules. core.Lint wires both in for documents detected as Nomad jobs.
package nomad

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/jobschema"
	"github.com/jobkit-dev/jobkit/core/nomad/rules"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// HCLJSON reports documents in HCL2's JSON syntax ({"job": {"<name>": ...}}),
// which the HTTP API and `nomad job run -json` decode into an empty job.
var HCLJSON = &rule.Rule{ID: "nomad-hcl-json", Format: rule.Nomad, Severity: diag.Error,
	Summary: `HCL-JSON ({"job": {"<name>": ...}}) is not the API format: Nomad decodes it into an empty job`}

// Validate runs the schema layer over a Nomad document: it finds the job
// (wrapped, bare or HCL-JSON), reports unknown, mis-cased and removed keys
// and values of the wrong JSON type. opts.NomadVersion defaults to "1.9".
func Validate(doc *jsonast.Document, opts rule.Options) []diag.Diagnostic {
	if doc == nil || doc.Root == nil {
		return nil
	}
	version := opts.NomadVersion
	if version == "" {
		version = "1.9"
	}
	ctx := rule.NewContext(doc, opts)
	return ctx.Run([]*rule.Rule{{ID: "nomad-schema-layer", Format: rule.Nomad, Check: func(c *rule.Context) {
		schemaLayer(c, version)
	}}})
}

func schemaLayer(ctx *rule.Context, version string) {
	job, wrapper, form := view.Locate(ctx.Doc.Root)
	switch form {
	case view.None:
		ctx.Rule = jobschema.WrongType
		ctx.Report(ctx.Doc.Root, `the document is %s, but a Nomad job is a JSON object: {"Job": {"ID": ..., "TaskGroups": [...]}}`, ctx.Doc.Root.Kind)
		return
	case view.HCL:
		ctx.Rule = HCLJSON
		name := ""
		if len(job.Members) > 0 {
			name = job.Members[0].Key
		}
		ctx.ReportKey(wrapper, `this is HCL2's JSON syntax ({"job": {%q: {...}}}), not the API's JSON job: the HTTP API and "nomad job run -json" decode it into an empty job and say only "Missing job ID", "Missing job name", "Missing job task groups". Run it with "nomad job run FILE" (without -json), or convert it: "nomad job run -output FILE" prints the API form ({"Job": {"ID": ..., "TaskGroups": [...]}})`, name)
		return
	case view.Wrapped:
		if wrapper.Key != "Job" {
			ctx.Rule = jobschema.KeyCase
			d := ctx.ReportKey(wrapper, `key %q: write it as "Job" (Nomad matches keys case-insensitively, so it works, but the canonical spelling is "Job")`, wrapper.Key)
			d.Fixes = []diag.Fix{{Title: `Rename to "Job"`, Safe: true, Edits: []diag.TextEdit{ctx.Edit(wrapper.KeyStart, wrapper.KeyEnd, `"Job"`)}}}
		}
	}
	jobschema.Check(ctx, job, version)
}

// Rules returns every Nomad rule id jobkit reports: the schema layer's
// (Check nil; their diagnostics come from Validate) and the semantic rules.
func Rules() []*rule.Rule {
	out := []*rule.Rule{HCLJSON}
	out = append(out, jobschema.Rules()...)
	return append(out, rules.Rules()...)
}
