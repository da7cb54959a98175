package intel

import (
	"bytes"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
)

// FixAll applies every safe fix core.Lint (and intel's own fix providers)
// offer, re-linting after each round until nothing changes or maxFixRounds
// is reached. It returns the fixed text and how many fixes it applied.
func FixAll(text []byte, opts core.Options) (fixed []byte, applied int) {
	fixed = text
	for round := 0; round < maxFixRounds; round++ {
		res := core.Lint(fixed, opts)
		var chosen []diag.TextEdit
		n := 0
		for _, d := range res.Diagnostics {
			for _, f := range append(d.Fixes, Fixes(fixed, d)...) {
				if !f.Safe || len(f.Edits) == 0 || collides(chosen, f.Edits) {
					continue
				}
				chosen = append(chosen, f.Edits...)
				n++
				break // one fix per diagnostic
			}
		}
		if n == 0 {
			break
		}
		next, err := ApplyEdits(fixed, chosen)
		if err != nil || bytes.Equal(next, fixed) {
			break
		}
		fixed, applied = next, applied+n
	}
	return fixed, applied
}

// collides reports whether any of edits touches the same bytes as one of
// chosen (two insertions at one offset collide too: their order would be
// a guess).
func collides(chosen, edits []diag.TextEdit) bool {
	for _, e := range edits {
		for _, c := range chosen {
			if overlaps(e, c) {
				return true
			}
		}
	}
	// The fix's own edits must not overlap each other either.
	for i := range edits {
		for j := i + 1; j < len(edits); j++ {
			if overlaps(edits[i], edits[j]) {
				return true
			}
		}
	}
	return false
}

func overlaps(a, b diag.TextEdit) bool {
	as, ae := a.Range.Start.Offset, a.Range.End.Offset
	bs, be := b.Range.Start.Offset, b.Range.End.Offset
	if as == bs {
		return true
	}
	return max(as, bs) < min(ae, be) || as == ae && bs < as && as < be || bs == be && as < bs && bs < ae
}
