package diag

import (
	"math/rand"
	"reflect"
	"slices"
	"testing"
)

// TestSortMatchesStableSort holds sortStable to slices.SortStableFunc with
// Compare on random diagnostics with many ties (equal range, rule and
// message, different paths), so the order of equal ones is checked too:
// in random order (sorted) and as a few sorted runs (merged).
func TestSortMatchesStableSort(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 600; n++ {
		ds := make([]Diagnostic, n/2)
		for i := range ds {
			ds[i] = Diagnostic{Rule: []string{"a", "b"}[r.Intn(2)], Message: []string{"x", "y"}[r.Intn(2)], Path: string(rune('A' + r.Intn(26)))}
			ds[i].Range.Start.Offset = r.Intn(5)
		}
		if n%2 == 1 {
			// A few sorted runs, as lint output is.
			for lo := 0; lo < len(ds); {
				hi := min(len(ds), lo+1+r.Intn(len(ds)/3+1))
				slices.SortStableFunc(ds[lo:hi], Compare)
				lo = hi
			}
		}
		want := slices.Clone(ds)
		slices.SortStableFunc(want, Compare)
		sortStable(ds)
		if !reflect.DeepEqual(ds, want) {
			t.Fatalf("%d diagnostics: got %v, want %v", n, ds, want)
		}
	}
}
