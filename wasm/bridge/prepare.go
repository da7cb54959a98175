package bridge

import (
	"runtime"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/rule"
)

func init() { methods["prepare"] = prepareMethod }

// PrepareParams names the format to prepare: "nosana" or "nomad".
type PrepareParams struct {
	Format string `json:"format"`
}

// prepareMethod compiles what linting a format may need later (core.Prepare).
// The worker calls it once the first diagnostics are shown: the first lint
// no longer compiles the schema engine, and the work it does here also runs
// the core long enough for the browser to keep its optimised code (the wasm
// code cache) for the next visit.
//
// It then collects the start-up's garbage while the page is idle. Otherwise
// the first collection fell within the first keystrokes (the 28th of a
// 20 KB job, every time: 48-66 ms in Go), running the collector's code for
// the first time, which V8 compiles and runs unoptimised then.
func prepareMethod(r request) (any, error) {
	var p PrepareParams
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	if err := core.Prepare(rule.Format(p.Format)); err != nil {
		return nil, err
	}
	runtime.GC()
	return struct{}{}, nil
}
