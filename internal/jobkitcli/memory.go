package jobkitcli

import (
	"os"
	"runtime/debug"
	"sync"
)

// memoryBudget paces the garbage collector of a lint run by what the run
// holds, not by a multiple of it.
//
// A lint allocates a tree per file (about ten times the text) and drops it
// when the file is done; what stays live is the trees in flight and the
// texts of files with findings, kept for the report. With the default
// pacing (GOGC=100) the collector runs after every few files of a
// directory: 15% of a thousand files' CPU time. Pacing at five times the
// live heap instead made the heap grow to 60–80 MB, and memory the process
// touches for the first time costs a page fault each: on the 2-vCPU
// machines jobkit is measured on, those faults took more CPU time than the
// collections they saved.
//
// So the collector runs rarely (GOGC=400) but under a soft limit of what
// the run holds plus a fixed headroom: garbage is collected once the heap
// has grown by the headroom, the memory it frees is reused instead of new
// memory being touched, and the limit rises with what is held, so a large
// file or many kept texts never make the collector run without end. GOGC
// or GOMEMLIMIT set by the user win.
type memoryBudget struct {
	mu   sync.Mutex
	held int64 // bytes counted against the limit now
	on   bool
}

const (
	// memoryHeadroom is how much the heap may grow beyond what the run holds
	// before a collection: a few hundred files' trees.
	memoryHeadroom = 32 << 20
	// treeBytesPerByte bounds the scanned tree, model and diagnostics of a
	// file in flight per byte of its text.
	treeBytesPerByte = 10
	// keptBytesPerByte is what a kept text and its findings hold per byte.
	keptBytesPerByte = 2
)

// startMemoryBudget sets the run's pacing and returns the budget, or a
// budget that does nothing when the user set GOGC or GOMEMLIMIT. Call
// restore when the run ends.
func startMemoryBudget() (b *memoryBudget, restore func()) {
	b = &memoryBudget{}
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return b, func() {}
	}
	b.on = true
	gc := debug.SetGCPercent(400)
	limit := debug.SetMemoryLimit(memoryHeadroom)
	return b, func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}

// add counts n more bytes (or fewer, when negative) as held and moves the
// limit with them.
func (b *memoryBudget) add(n int64) {
	if !b.on || n == 0 {
		return
	}
	b.mu.Lock()
	b.held += n
	debug.SetMemoryLimit(memoryHeadroom + b.held)
	b.mu.Unlock()
}
