package core

import (
	"slices"
	"strings"

	"github.com/jobkit-dev/jobkit/core/rule"

	nosanarules "github.com/jobkit-dev/jobkit/core/nosana/rules"
)

func init() {
	formats[rule.Nosana] = format{
		rules: nosanarules.Rules,
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
