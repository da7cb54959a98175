package core

import (
	"fmt"
	"slices"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"

	"github.com/jobkit-dev/jobkit/core/nomad"
	nomadschema "github.com/jobkit-dev/jobkit/core/nomad/jobschema"
	"github.com/jobkit-dev/jobkit/core/nosana/jobschema"
	nosanarules "github.com/jobkit-dev/jobkit/core/nosana/rules"
)

// The one place where formats are registered: each has a schema layer and
// a rule list.
func init() {
	formats[rule.Nosana] = format{
		validate: func(doc *jsonast.Document, _ rule.Options) []diag.Diagnostic { return jobschema.Validate(doc) },
		rules:    func() []*rule.Rule { return append(jobschema.Rules(), nosanarules.Rules()...) },
		prepare:  jobschema.Prepare,
	}
	formats[rule.Nomad] = format{
		validate: nomad.Validate,
		rules:    nomad.Rules,
		prepare:  nomadschema.Prepare,
	}
}

// Prepare compiles now what linting a format may need later and the first
// lint does not (the schema engine, which most documents never reach): for
// a program with time to spare, as the editor has once its first
// diagnostics are shown. Lint works the same without it.
func Prepare(f rule.Format) error {
	ft, ok := formats[f]
	if !ok {
		return fmt.Errorf("unknown format %q (want nosana or nomad)", f)
	}
	return ft.prepare()
}

// Rules returns every registered rule of every format, sorted by id: the
// scanner's, the schema layers' and the semantic rules.
func Rules() []*rule.Rule {
	all := syntaxRules()
	for _, f := range formats {
		all = append(all, f.rules()...)
	}
	slices.SortFunc(all, func(a, b *rule.Rule) int { return strings.Compare(a.ID, b.ID) })
	return slices.CompactFunc(all, func(a, b *rule.Rule) bool { return a.ID == b.ID })
}
