package jobkitcli

import (
	"runtime/debug"
	"testing"
)

func TestMemoryBudgetMovesTheLimit(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before, beforeGC := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(beforeGC) // SetGCPercent(-1) turned it off: put it back
	b, restore := startMemoryBudget()
	if got := debug.SetMemoryLimit(-1); got != memoryHeadroom {
		t.Fatalf("limit at start = %d, want the headroom %d", got, memoryHeadroom)
	}
	b.add(100 << 20)
	if got := debug.SetMemoryLimit(-1); got != memoryHeadroom+100<<20 {
		t.Errorf("limit holding 100 MiB = %d, want %d", got, memoryHeadroom+100<<20)
	}
	b.add(-60 << 20)
	if got := debug.SetMemoryLimit(-1); got != memoryHeadroom+40<<20 {
		t.Errorf("limit after releasing 60 MiB = %d, want %d", got, memoryHeadroom+40<<20)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit after restore = %d, want %d", got, before)
	}
	if got := debug.SetGCPercent(beforeGC); got != beforeGC {
		t.Errorf("GOGC after restore = %d, want %d", got, beforeGC)
	}
}

func TestMemoryBudgetLeavesUserSettings(t *testing.T) {
	t.Setenv("GOGC", "50")
	before := debug.SetMemoryLimit(-1)
	b, restore := startMemoryBudget()
	defer restore()
	b.add(100 << 20)
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit = %d with GOGC set by the user, want it untouched (%d)", got, before)
	}
}
