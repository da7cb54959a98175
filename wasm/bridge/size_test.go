//go:build !js

package bridge

import (
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Issue 10's targets for the editor's wasm (in MB of 10^6 bytes, as the
// issue measured), as web/build.sh builds it and jobkit serve sends it
// (brotli quality 11).
const (
	targetRaw    = 8_000_000
	targetBrotli = 1_500_000
)

// The ceilings TestWasmSize enforces: today's size plus 2%, so that growth
// is a decision. Lower them as the wasm shrinks, down to the targets above
// (on 2026-12-07, with the Nomad engine view, Connect blocks and the
// editor's start-up work merged: 9.21 MB raw, 1.76 MB brotli; what is left
// to cut is in the closing note). Raised by 30 KB raw on
// 2026-12-07, late, for the lint answer written by hand (json.go: +22 KB
// raw, +5 KB brotli, for a cold first lint ~20% shorter).
const (
	ceilingRaw    = 9_430_000
	ceilingBrotli = 1_792_000
)

// wasmSizes builds ./wasm the way web/build.sh does and measures it: raw,
// gzip -9 (Go's compress/gzip) and brotli -q 11 (the brotli command, which
// web/build.sh's bundler output matches).
type wasmSizes struct{ raw, gzip, brotli int }

func measureWasm(t testing.TB) wasmSizes {
	t.Helper()
	out := filepath.Join(t.TempDir(), "jobkit.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./wasm")
	cmd.Dir = "../.."
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the wasm: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	w, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	s := wasmSizes{raw: len(b), gzip: gz.Len()}
	br, err := exec.LookPath("brotli")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the brotli command is needed to measure the wasm as it is served: %v", err)
		}
		t.Logf("brotli not found (%v): brotli size not measured", err)
		return s
	}
	c, err := exec.Command(br, "-q", "11", "-c", out).Output()
	if err != nil {
		t.Fatalf("brotli: %v", err)
	}
	s.brotli = len(c)
	return s
}

// TestWasmSize fails when the editor's wasm grows past its ceilings.
func TestWasmSize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and compresses the wasm")
	}
	s := measureWasm(t)
	t.Logf("wasm: %d bytes raw (target %d), %d gzip, %d brotli (target %d)", s.raw, targetRaw, s.gzip, s.brotli, targetBrotli)
	if s.raw > ceilingRaw {
		t.Errorf("the wasm is %d bytes, over its ceiling of %d (target %d): see what grew with GOOS=js GOARCH=wasm go list -deps ./wasm", s.raw, ceilingRaw, targetRaw)
	}
	if s.brotli > ceilingBrotli {
		t.Errorf("the wasm is %d bytes brotli-compressed, over its ceiling of %d (target %d)", s.brotli, ceilingBrotli, targetBrotli)
	}
}

// BenchmarkWasmSize reports the wasm's sizes for make bench (run it with
// -benchtime 1x: one build is the measurement): MB raw, gzip and brotli,
// and each as a ratio to issue 10's target (x-target <= 1 meets it).
func BenchmarkWasmSize(b *testing.B) {
	var s wasmSizes
	for i := 0; i < b.N; i++ {
		s = measureWasm(b)
	}
	const mb = 1e6
	b.ReportMetric(float64(s.raw)/mb, "raw-MB")
	b.ReportMetric(float64(s.gzip)/mb, "gzip-MB")
	b.ReportMetric(float64(s.brotli)/mb, "br-MB")
	b.ReportMetric(float64(s.raw)/targetRaw, "raw-x-target")
	b.ReportMetric(float64(s.brotli)/targetBrotli, "br-x-target")
}
