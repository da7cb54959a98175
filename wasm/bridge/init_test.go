//go:build !js

package bridge

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// maxInitBytes bounds what one jobkit package may allocate while it is
// initialised. The editor's wasm core runs every package initialisation
// before it can answer the page's first lint, in code that V8 compiles
// lazily and runs unoptimised on a cold start, so grammars, regexps and
// schemas are built on first use (sync.OnceValue) instead of in package
// variables. Allocation is deterministic where time is not.
const maxInitBytes = 16 << 10

// heldToInitLimit names the packages held to maxInitBytes: jobkit's, and
// the copy of santhosh-tekuri/jsonschema patched to compile its metaschemas
// on first use (third_party/jsonschema/PATCHES.md), whose upstream init
// allocates 1.7 MB: an update of the copy that loses the patch fails here.
var heldToInitLimit = []string{"github.com/jobkit-dev/jobkit/", "github.com/santhosh-tekuri/jsonschema/v6"}

// TestInitIsCheap runs this test binary again with GODEBUG=inittrace=1 (the
// runtime then reports each package's initialisation) and fails for any
// held package that allocates more than maxInitBytes.
func TestInitIsCheap(t *testing.T) {
	if os.Getenv("JOBKIT_INITTRACE_CHILD") != "" {
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestInitIsCheap$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1", "JOBKIT_INITTRACE_CHILD=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("rerun with GODEBUG=inittrace=1: %v\n%s", err, stderr.String())
	}
	seen := 0
	heldSeen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(stderr.Bytes()))
	for sc.Scan() {
		// init github.com/x/y @0.5 ms, 0.01 ms clock, 128 bytes, 2 allocs
		f := strings.Fields(sc.Text())
		if len(f) < 9 || f[0] != "init" || f[8] != "bytes," {
			continue
		}
		n, err := strconv.Atoi(f[7])
		if err != nil {
			t.Fatalf("cannot read %q: %v", sc.Text(), err)
		}
		seen++
		for _, held := range heldToInitLimit {
			if strings.HasPrefix(f[1], held) {
				heldSeen[held] = true
				if n > maxInitBytes {
					t.Errorf("package %s allocates %d bytes at start-up (limit %d): build what it needs on first use", f[1], n, maxInitBytes)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatalf("no inittrace lines in the rerun's output:\n%s", stderr.String())
	}
	for _, held := range heldToInitLimit {
		if !heldSeen[held] {
			t.Errorf("no initialisation of %s reported: is it still linked?", held)
		}
	}
}
