// Package diag holds what every layer of jobkit reports: positions, ranges,
// diagnostics and the fixes attached to them. It has no dependencies so that
// the scanner, the schema layer, the rules, the CLI and the wasm bridge can all
// share one vocabulary.
package diag

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
)

// Severity orders diagnostics from most to least serious.
type Severity int

const (
	Error Severity = iota
	Warning
	Info
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity accepts "error", "warning" and "info".
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

func (s *Severity) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return err
	}
	v, err := ParseSeverity(str)
	*s = v
	return err
}

// Position is a place in the text. Offset is a byte offset into the UTF-8
// text; Line and Column are 1-based (Column counts Unicode code points);
// UTF16Column is the 1-based column in UTF-16 code units, which browser
// editors and LSP clients use.
type Position struct {
	Offset      int `json:"offset"`
	Line        int `json:"line"`
	Column      int `json:"column"`
	UTF16Column int `json:"utf16Column"`
}

// Range spans [Start, End): the whole key or value a diagnostic is about.
type Range struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// TextEdit replaces the bytes [Start, End) of the text with NewText.
type TextEdit struct {
	Range   Range  `json:"range"`
	NewText string `json:"newText"`
}

// Fix is one way to resolve a diagnostic. Safe fixes are applied by
// `jobkit fix`; the others are only offered in the editor.
type Fix struct {
	Title string     `json:"title"`
	Edits []TextEdit `json:"edits"`
	Safe  bool       `json:"safe"`
}

// Diagnostic is one problem in one document.
type Diagnostic struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// Path is the field path as users write it: ops[1].args.image.
	Path string `json:"path"`
	// Pointer is the RFC 6901 JSON Pointer of the same place: /ops/1/args/image.
	Pointer string `json:"pointer"`
	Range   Range  `json:"range"`
	Fixes   []Fix  `json:"fixes,omitempty"`
	// DocURL links to the rule's section in docs/rules.md.
	DocURL string `json:"docUrl,omitempty"`
}

// Compare orders diagnostics by position, then rule, then message, so that
// every face prints them in the same deterministic order.
func Compare(a, b Diagnostic) int { return compare(&a, &b) }

// compare is Compare without copying the diagnostics (large structs) for
// each of the many comparisons of a sort.
func compare(a, b *Diagnostic) int {
	return cmp.Or(
		cmp.Compare(a.Range.Start.Offset, b.Range.Start.Offset),
		cmp.Compare(a.Range.End.Offset, b.Range.End.Offset),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
	)
}

// Sort sorts diagnostics in place with Compare and drops exact duplicates
// (same rule, range and message).
func Sort(ds []Diagnostic) []Diagnostic {
	sortStable(ds)
	return slices.CompactFunc(ds, func(a, b Diagnostic) bool {
		return a.Rule == b.Rule && a.Message == b.Message && a.Range == b.Range
	})
}

// sortStable sorts ds with Compare, keeping the order of equal ones. It
// orders positions rather than diagnostics and then moves each diagnostic
// once: a stable sort of the diagnostics themselves moves them (large
// structs) again and again while merging, which a file with thousands of
// errors pays for. Lint output is a few sorted runs (the scanner's, the
// schema layer's, one per rule): those are merged, not sorted again.
func sortStable(ds []Diagnostic) {
	var runs []int // where each sorted run starts, after the first
	for i := 1; i < len(ds); i++ {
		if compare(&ds[i-1], &ds[i]) > 0 {
			runs = append(runs, i)
		}
	}
	if len(runs) == 0 {
		return
	}
	order := make([]int32, len(ds))
	for i := range order {
		order[i] = int32(i)
	}
	if len(runs) <= maxMergedRuns {
		mergeRuns(ds, order, append(append([]int{0}, runs...), len(ds)))
	} else {
		slices.SortFunc(order, func(a, b int32) int {
			return cmp.Or(compare(&ds[a], &ds[b]), cmp.Compare(a, b))
		})
	}
	// Place ds[order[i]] at i, one cycle of the permutation at a time.
	for i := range order {
		if order[i] == int32(i) {
			continue
		}
		held := ds[i]
		j := i
		for {
			k := int(order[j])
			order[j] = int32(j)
			if k == i {
				ds[j] = held
				break
			}
			ds[j] = ds[k]
			j = k
		}
	}
}

// maxMergedRuns is how many sorted runs sortStable merges rather than sorts.
const maxMergedRuns = 64

// mergeRuns merges the sorted runs of order (bounds lists their starts and
// the end), neighbours pairwise until one is left; on ties the earlier run
// goes first, so the merge is stable.
func mergeRuns(ds []Diagnostic, order []int32, bounds []int) {
	buf := make([]int32, len(order))
	for len(bounds) > 2 {
		next := bounds[:1]
		for i := 0; i+2 < len(bounds); i += 2 {
			lo, mid, hi := bounds[i], bounds[i+1], bounds[i+2]
			a, b, k := lo, mid, lo
			for a < mid && b < hi {
				if compare(&ds[order[b]], &ds[order[a]]) < 0 {
					buf[k] = order[b]
					b++
				} else {
					buf[k] = order[a]
					a++
				}
				k++
			}
			k += copy(buf[k:], order[a:mid])
			copy(buf[k:], order[b:hi])
			copy(order[lo:hi], buf[lo:hi])
			next = append(next, hi)
		}
		if len(bounds)%2 == 0 { // an odd number of runs: the last waits
			next = append(next, bounds[len(bounds)-1])
		}
		bounds = next
	}
}

// Counts returns how many errors, warnings and infos ds holds.
func Counts(ds []Diagnostic) (errors, warnings, infos int) {
	for _, d := range ds {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		default:
			infos++
		}
	}
	return
}

// DocBase is where rule documentation lives; a rule's DocURL is DocBase + "#" + id.
const DocBase = "https://github.com/jobkit-dev/jobkit/blob/main/docs/rules.md"

// DocURL returns the link to a rule's section in docs/rules.md.
func DocURL(rule string) string { return DocBase + "#" + rule }
