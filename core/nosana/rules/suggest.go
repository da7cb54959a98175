package rules

import (
	"fmt"
	"strings"

	"github.com/jobkit-dev/jobkit/core/textdist"
)

// closest returns the candidate nearest to name by edit distance, when it is
// near enough to be a likely typo, or "".
func closest(name string, candidates []string) string {
	best, bestD := "", len(name)/3+2
	if bestD > 4 {
		bestD = 4
	}
	for _, c := range candidates {
		if c == name {
			continue
		}
		if d := textdist.Levenshtein(strings.ToLower(name), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// didYouMean returns `; did you mean "x"?` or "".
func didYouMean(name string, candidates []string) string {
	if s := closest(name, candidates); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}
