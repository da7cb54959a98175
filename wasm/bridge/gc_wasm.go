//go:build js && wasm

package bridge

import "runtime/debug"

// In the browser the core runs one call at a time on one thread, and Go's
// collector runs inside the call: with the default GOGC=100, a lint of a
// 200 KB job (5 MB of garbage over a small live heap) stops for several
// collections. GOGC=400 collects a quarter as often (in Chromium, same run,
// interleaved: Go's part of a 200 KB lint p50 51 -> 39 ms, 20 KB 11.5 ->
// 4.7 ms); the memory limit keeps a 5 MB job (100 MB of garbage a lint)
// from growing the wasm memory, which never shrinks, past 256 MB.
func init() {
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(256 << 20)
}
