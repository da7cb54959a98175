package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// percentile returns the p-th percentile (0..100) of ms.
func percentile(ms []float64, p float64) float64 {
	s := slices.Clone(ms)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p / 100)
	return s[i]
}

// BenchmarkPageLoad measures, in a real Chromium, the time from navigation
// start to the first diagnostics on screen (page, bundle, worker, wasm
// instantiate, first lint round trip) from a localhost jobkit server. The
// first load of a fresh profile is reported as cold-ms; later loads
// revalidate cached files (ETag, 304).
func BenchmarkPageLoad(b *testing.B) {
	url := serve(b)
	ctx := browser(b, 10*time.Minute)
	var all []float64
	for i := 0; b.Loop(); i++ {
		run(b, ctx, "clear state", chromedp.Navigate(url+"README-does-not-exist"), js(`localStorage.clear()`))
		open(b, ctx, fmt.Sprintf("%s?load=%d", url, i))
		all = append(all, eval[float64](b, ctx, `jobkitEditor.firstLintAt`))
	}
	b.ReportMetric(all[0], "cold-ms")
	b.ReportMetric(percentile(all, 50), "p50-ms")
	b.ReportMetric(percentile(all, 90), "p90-ms")
}

// job20KB builds a Nosana job of at least 20 KB with a few problems in it.
func job20KB() string {
	var ops []string
	for i := 0; len(strings.Join(ops, ",\n")) < 20<<10; i++ {
		image := "docker.io/library/python:3.12-slim"
		if i%10 == 3 {
			image = "ubuntu" // no tag: a warning
		}
		ops = append(ops, fmt.Sprintf(`    {
      "type": "container/run",
      "id": "step-%03d",
      "args": {
        "image": %q,
        "cmd": ["python", "-c", "print('hello from step %d')"],
        "env": {"STEP": "%d", "MODE": "batch"},
        "gpu": true,
        "expose": %d
      }
    }`, i, image, i, i, 8000+i))
	}
	return "{\n  \"version\": \"0.1\",\n  \"type\": \"container\",\n  \"meta\": {\"trigger\": \"cli\", \"system_requirements\": {\"required_vram\": 8}},\n  \"ops\": [\n" +
		strings.Join(ops, ",\n") + "\n  ]\n}\n"
}

// BenchmarkKeystroke20KB measures, in a real Chromium, one keystroke in a
// 20 KB job until its diagnostics are on screen: the CodeMirror
// transaction, the postMessage to the worker, the Go lint of the whole
// text, the answer, and the dispatch of the new diagnostics. It alternates
// typing and deleting a character inside a string so the job keeps its size.
func BenchmarkKeystroke20KB(b *testing.B) {
	url := serve(b)
	ctx := browser(b, 10*time.Minute)
	open(b, ctx, url)
	text := job20KB()
	res := setText(b, ctx, text)
	b.Logf("job: %d bytes, %d diagnostics", len(text), len(res.Diagnostics))
	pos := strings.Index(text, "batch") + 2
	run(b, ctx, "install the keystroke probe", js(keystrokeProbe(pos)))
	keystrokes(b, ctx)
	b.StopTimer()
	// The bare worker round trip, for comparison: postMessage there and back
	// around the smallest call.
	ping := eval[[]float64](b, ctx, `(async () => {
		const out = [];
		for (let i = 0; i < 50; i++) {
			const t0 = performance.now();
			await jobkitEditor.core.call("version");
			out.push(performance.now() - t0);
		}
		return out;
	})()`)
	b.ReportMetric(percentile(ping, 50), "roundtrip-p50-ms")
}
