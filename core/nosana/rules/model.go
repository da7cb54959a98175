package rules

import (
	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/core/rule"
)

type sourceKey struct{}

// sourceOf returns the document's positioned Nosana model, built once per
// lint run and shared by every rule.
func sourceOf(c *rule.Context) *nosana.Source {
	if s, ok := c.Shared[sourceKey{}].(*nosana.Source); ok {
		return s
	}
	s := nosana.NewSource(c.Doc)
	c.Shared[sourceKey{}] = s
	return s
}

// runOps returns the ops the node runs as containers that have an args
// object.
func runOps(c *rule.Context) []*nosana.SourceOp { return sourceOf(c).RunOps() }
