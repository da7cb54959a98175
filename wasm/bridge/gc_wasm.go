//go:build js && wasm

package bridge

import "runtime/debug"

// In the browser the core runs one call at a time on one thread, and Go's
// collector runs inside the call: with the default GOGC=100, a lint of a
// 200 KB job (5 MB of garbage over a small live heap) stops for several
// collections. GOGC=400 collects a quarter as often (in Chromium, same run,
// interleaved: the Go call of a 200 KB lint p50 51 -> 39 ms, 20 KB 11.5 ->
// 4.7 ms; keystroke to diagnostics p50 0.88x and 0.90x, as some collector
// work moves between calls); the memory limit keeps a 5 MB job (100 MB of
// garbage a lint) from growing the wasm memory, which never shrinks, past
// 256 MB.
func init() {
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(256 << 20)
}
