package intel

import (
	"slices"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/intel/barejob"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad"
	nosanajobschema "github.com/jobkit-dev/jobkit/core/nosana/jobschema"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// lintAll lints text with core.Lint plus the layers core does not wire in
// yet (the schema layers and the Nomad rules are being integrated while this
// is written; once core.Rules lists them, core.Lint alone is used) and the
// bare-job rule of package barejob.
func lintAll(text []byte) []diag.Diagnostic {
	res := core.Lint(text, core.Options{})
	ds := res.Diagnostics
	ids := map[string]bool{}
	for _, r := range core.Rules() {
		ids[r.ID] = true
	}
	doc := jsonast.Parse(text)
	switch res.Format {
	case rule.Nosana:
		if !ids[nosanajobschema.MissingField] {
			ds = append(ds, nosanajobschema.Validate(doc)...)
		}
	case rule.Nomad:
		if !ids["nomad-unknown-key"] {
			ds = append(ds, nomad.Validate(doc, rule.Options{NomadVersion: core.DefaultNomadVersion})...)
		}
		var extra []*rule.Rule
		if !ids["nomad-job"] {
			extra = nomad.Rules()
		}
		if !ids[barejob.Rule.ID] {
			extra = append(extra, barejob.Rule)
		}
		ds = append(ds, rule.NewContext(doc, rule.Options{NomadVersion: core.DefaultNomadVersion}).Run(extra)...)
	}
	return diag.Sort(slices.Clone(ds))
}
