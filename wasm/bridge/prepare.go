package bridge

import (
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
func prepareMethod(r request) (any, error) {
	var p PrepareParams
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	if err := core.Prepare(rule.Format(p.Format)); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}
