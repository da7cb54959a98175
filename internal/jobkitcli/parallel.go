package jobkitcli

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// lintAll calls lint(w, i) for every i in [0, n) on lintWorkers(n)
// goroutines, w numbering the goroutine that makes the call (for what each
// keeps of its own, such as a core.Linter). Each call writes only its own
// slot of the caller's result slice, so the output keeps the input order
// whatever the scheduling: a directory of a thousand jobs is linted on every
// core, and printed exactly as a sequential run would print it.
func lintAll(n int, lint func(w, i int)) {
	workers := lintWorkers(n)
	if workers <= 1 {
		for i := range n {
			lint(0, i)
		}
		return
	}
	// Files differ in size by 60×, so workers take the next file as they
	// finish rather than a fixed share each.
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				lint(w, i)
			}
		}()
	}
	wg.Wait()
}

// lintWorkers is how many goroutines lintAll uses for n items.
func lintWorkers(n int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n))
}
