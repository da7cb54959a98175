package intel

import (
	"fmt"
	"slices"

	"github.com/jobkit-dev/jobkit/core/diag"
)

// ApplyEdits applies non-overlapping edits to text, by byte offset. Edits may
// come in any order; insertions at the same offset are applied in the order
// given. It fails on an edit outside the text or on overlapping edits.
func ApplyEdits(text []byte, edits []diag.TextEdit) ([]byte, error) {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b diag.TextEdit) int {
		return a.Range.Start.Offset - b.Range.Start.Offset
	})
	out := make([]byte, 0, len(text))
	at := 0
	for _, e := range sorted {
		s, t := e.Range.Start.Offset, e.Range.End.Offset
		if s < 0 || t < s || t > len(text) {
			return nil, fmt.Errorf("apply edit: range %d-%d is outside the text (0-%d)", s, t, len(text))
		}
		if s < at {
			return nil, fmt.Errorf("apply edit: range %d-%d overlaps the previous edit (ending at %d)", s, t, at)
		}
		out = append(out, text[at:s]...)
		out = append(out, e.NewText...)
		at = t
	}
	return append(out, text[at:]...), nil
}

// maxFixRounds bounds how often FixAll re-lints: each round applies every
// safe fix that does not collide with another, and a fix may only become
// possible once another one is in.
const maxFixRounds = 10
