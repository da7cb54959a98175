package resolve

import "github.com/jobkit-dev/jobkit/core/nosana/literal"

// Literal is one %%…%% reference found in a string.
type Literal = literal.Literal

// Find returns the literals of s in order, exactly as the node finds them.
func Find(s string) []Literal { return literal.Find(s) }
