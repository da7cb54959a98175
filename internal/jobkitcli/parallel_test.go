package jobkitcli

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
)

// TestLintParallelMatchesSequential lints every testdata job of both formats
// (valid ones and ones full of findings) as one directory on one worker and
// on several, and requires byte-identical output in input order.
func TestLintParallelMatchesSequential(t *testing.T) {
	var names []string
	for _, pattern := range []string{"../../core/testdata/nosana/*.json", "../../core/testdata/nosana/*/*.json", "../../core/testdata/nomad/*/*.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m...)
	}
	if len(names) < 40 {
		t.Fatalf("found only %d testdata jobs; the glob patterns are stale", len(names))
	}
	files := map[string]string{}
	for i, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		// Numbered so the directory order mixes the formats.
		files[filepath.Join("jobs", fmt.Sprintf("%04d-%s", i, filepath.Base(n)))] = string(b)
	}
	dir := writeFiles(t, files)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			prev := runtime.GOMAXPROCS(1)
			code1, out1, err1 := run(t, "", "lint", "--format", format, filepath.Join(dir, "jobs"))
			runtime.GOMAXPROCS(4)
			code4, out4, err4 := run(t, "", "lint", "--format", format, filepath.Join(dir, "jobs"))
			runtime.GOMAXPROCS(prev)
			if code1 != code4 || out1 != out4 || err1 != err4 {
				t.Fatalf("parallel lint differs from sequential: exit %d vs %d\n--- sequential\n%s%s\n--- parallel\n%s%s", code1, code4, out1, err1, out4, err4)
			}
			if code1 != ExitProblem {
				t.Errorf("exit %d, want %d: the testdata has errors", code1, ExitProblem)
			}
			if format == "text" {
				// Findings follow the sorted input order.
				var seen []string
				for _, line := range strings.Split(out1, "\n") {
					if i := strings.Index(line, "-"); strings.HasPrefix(line, dir) && i > 0 {
						f := line[:strings.Index(line, ".json")+5]
						if len(seen) == 0 || seen[len(seen)-1] != f {
							seen = append(seen, f)
						}
					}
				}
				if len(seen) < 20 || !sort.StringsAreSorted(seen) {
					t.Errorf("findings of %d files, in order %v", len(seen), sort.StringsAreSorted(seen))
				}
			}
		})
	}
}

func TestLintAllVisitsEachOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		counts := make([]atomic.Int32, n)
		// A worker number belongs to one goroutine at a time: what it keeps
		// (a core.Linter) is not safe for concurrent use.
		busy := make([]atomic.Bool, lintWorkers(n))
		var shared atomic.Bool
		lintAll(n, func(w, i int) {
			if w < 0 || w >= len(busy) {
				t.Errorf("worker %d of %d", w, len(busy))
				return
			}
			if !busy[w].CompareAndSwap(false, true) {
				shared.Store(true)
			}
			counts[i].Add(1)
			busy[w].Store(false)
		})
		if shared.Load() {
			t.Errorf("n=%d: two goroutines used the same worker number at once", n)
		}
		for i := range counts {
			if c := counts[i].Load(); c != 1 {
				t.Fatalf("n=%d: item %d linted %d times", n, i, c)
			}
		}
	}
}
