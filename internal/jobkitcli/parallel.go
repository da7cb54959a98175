package jobkitcli

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// lintAll calls lint(i) for every i in [0, n) on up to GOMAXPROCS
// goroutines. Each call writes only its own slot of the caller's result
// slice, so the output keeps the input order whatever the scheduling: a
// directory of a thousand jobs is linted on every core, and printed exactly as
// a sequential run would print it.
func lintAll(n int, lint func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			lint(i)
		}
		return
	}
	// Files differ in size by 60×, so workers take the next file as they
	// finish rather than a fixed share each.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				lint(i)
			}
		}()
	}
	wg.Wait()
}
