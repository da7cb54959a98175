package core

import (
	"slices"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"

	"github.com/jobkit-dev/jobkit/core/nomad"
	"github.com/jobkit-dev/jobkit/core/nosana/jobschema"
	nosanarules "github.com/jobkit-dev/jobkit/core/nosana/rules"
)

// The one place where formats are registered: each has a schema layer and
// a rule list.
func init() {
	formats[rule.Nosana] = format{
		validate: func(doc *jsonast.Document, _ rule.Options) []diag.Diagnostic { return jobschema.Validate(doc) },
		rules:    func() []*rule.Rule { return append(jobschema.Rules(), nosanarules.Rules()...) },
	}
	formats[rule.Nomad] = format{
		validate: nomad.Validate,
		rules:    nomad.Rules,
	}
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
