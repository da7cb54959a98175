package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The benchmarks in this file measure the targets of the editor's speed
// budget (docs/performance.md): first diagnostics cold and on a warm reload,
// keystroke to diagnostics in a 200 KB job, the longest main-thread task
// while typing there, and the longest freeze with 13,000 problems.

// longTaskProbe installs a PerformanceObserver for long tasks (> 50 ms on
// the main thread); __longest() returns the longest since __resetLong().
const longTaskProbe = `(() => {
	window.__long = [];
	new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({type: "longtask"});
	window.__resetLong = () => { window.__long = []; };
	window.__longest = () => window.__long.reduce((a, b) => Math.max(a, b), 0);
})()`

// BenchmarkFirstDiagnostics measures navigation start to the first
// diagnostics of the welcome job on screen, in a fresh browser context
// (empty HTTP and code caches, no localStorage) each time (cold), and then
// on a reload of the same context (warm: cached wasm and compiled code).
func BenchmarkFirstDiagnostics(b *testing.B) {
	url := serve(b)
	var cold, warm, coldCompile, warmCompile []float64
	for i := 0; b.Loop(); i++ {
		if i == 0 {
			browser(b, time.Minute) // starts the shared browser
		}
		ctx, closeTab := newTab(b, 3*time.Minute)
		open(b, ctx, fmt.Sprintf("%s?cold=%d", url, i))
		cold = append(cold, eval[float64](b, ctx, `jobkitEditor.firstLintAt`))
		coldCompile = append(coldCompile, eval[float64](b, ctx, `jobkitEditor.core.boot ? jobkitEditor.core.boot.compiled : -1`))
		// Let the browser write its code cache, as a person reading the
		// page would, before reloading.
		run(b, ctx, "idle", chromedp.Sleep(1500*time.Millisecond))
		open(b, ctx, fmt.Sprintf("%s?cold=%d", url, i))
		warm = append(warm, eval[float64](b, ctx, `jobkitEditor.firstLintAt`))
		warmCompile = append(warmCompile, eval[float64](b, ctx, `jobkitEditor.core.boot ? jobkitEditor.core.boot.compiled : -1`))
		closeTab()
	}
	b.ReportMetric(percentile(cold, 50), "cold-p50-ms")
	b.ReportMetric(percentile(warm, 50), "warm-p50-ms")
	b.ReportMetric(percentile(warm, 90), "warm-p90-ms")
	// Worker start to wasm compiled: shows whether the browser reused its
	// compiled code on the warm reload.
	b.ReportMetric(percentile(coldCompile, 50), "cold-compile-p50-ms")
	b.ReportMetric(percentile(warmCompile, 50), "warm-compile-p50-ms")
}

// jobOps builds a Nosana job of n ops; every op whose index%every == 0 has
// an untagged image (one warning each).
func jobOps(n, every int) string {
	var sb strings.Builder
	sb.WriteString("{\n  \"version\": \"0.1\",\n  \"type\": \"container\",\n  \"meta\": {\"trigger\": \"cli\"},\n  \"ops\": [\n")
	for i := 0; i < n; i++ {
		image := "docker.io/library/python:3.12-slim"
		if i%every == 0 {
			image = "ubuntu"
		}
		if i > 0 {
			sb.WriteString(",\n")
		}
		fmt.Fprintf(&sb, `    {"type": "container/run", "id": "step-%05d", "args": {"image": %q, "cmd": ["python", "-c", "print('step %d')"], "env": {"STEP": "%d", "MODE": "batch"}, "gpu": true}}`, i, image, i, i)
	}
	sb.WriteString("\n  ]\n}\n")
	return sb.String()
}

// job200KB is a Nosana job of about 200 KB with a problem in every tenth op.
func job200KB() string { return jobOps(1200, 10) }

// BenchmarkKeystroke200KB measures one keystroke in a 200 KB job until its
// diagnostics are on screen, and the longest main-thread task while typing.
func BenchmarkKeystroke200KB(b *testing.B) {
	url := serve(b)
	ctx := browser(b, 10*time.Minute)
	open(b, ctx, url)
	text := job200KB()
	res := setText(b, ctx, text)
	b.Logf("job: %d bytes, %d diagnostics", len(text), len(res.Diagnostics))
	pos := strings.Index(text, "batch") + 2
	run(b, ctx, "install the probes", js(longTaskProbe), js(keystrokeProbe(pos)))
	run(b, ctx, "settle", chromedp.Sleep(500*time.Millisecond), js(`__resetLong()`))
	keystrokes(b, ctx)
	b.StopTimer()
	run(b, ctx, "let the last tasks finish", chromedp.Sleep(300*time.Millisecond))
	b.ReportMetric(eval[float64](b, ctx, `__longest()`), "longest-task-ms")
}

// keystrokeProbe defines __keystroke(i): type (even i) or delete (odd i)
// one character at pos and resolve, once its diagnostics are on screen,
// with [ms to diagnostics, ms in Go, ms in CodeMirror's dispatch, then the
// ms of each phase in keystrokePhases].
func keystrokeProbe(pos int) string {
	return `window.__keystroke = async (i) => {
		const v = jobkitEditor.view;
		const now = () => performance.timeOrigin + performance.now();
		const t0 = now();
		v.dispatch(i % 2 === 0
			? {changes: {from: ` + itoa(pos) + `, insert: "x"}, userEvent: "input.type"}
			: {changes: {from: ` + itoa(pos) + `, to: ` + itoa(pos+1) + `}, userEvent: "delete.backward"});
		const t1 = now();
		await jobkitEditor.whenLinted();
		const t2 = now();
		const t = jobkitEditor.trace ?? {}; // an older build has no trace: -1
		return [t2 - t0, jobkitEditor.core.coreMs, t1 - t0,
			t.sent - t0, t.start - t.sent, t.go - t.start, t.posted - t.go, t.got - t.posted,
			t.parsed - t.got, t.shown - t.parsed, t.done - t.shown, t2 - t.done].map((x) => Number.isFinite(x) ? x : -1);
	}`
}

// keystrokePhases names the phases __keystroke reports, in order: where a
// keystroke's milliseconds go from the key to its diagnostics on screen.
var keystrokePhases = []string{
	"send",    // CodeMirror's transaction up to the postMessage of the text
	"queue",   // the message to the worker, and any request ahead of it
	"core",    // the Go lint and its JSON (as go-p50, but from the trace)
	"compare", // the worker's compare with the previous answer, postMessage
	"reply",   // the answer to the page, and page work ahead of it (render)
	"parse",   // JSON.parse of the answer
	"show",    // underlines: compare with those on screen, dispatch
	"panel",   // status line, problems panel
	"resolve", // back to the probe
}

// keystrokes types n keystrokes with the probe and reports p50/p90 to
// diagnostics, Go's p50, the dispatch's p50 and every phase's p50.
func keystrokes(b *testing.B, ctx context.Context) []float64 {
	var all, inGo, edit []float64
	phases := make([][]float64, len(keystrokePhases))
	for i := 0; b.Loop(); i++ {
		ms := eval[[]float64](b, ctx, fmt.Sprintf(`__keystroke(%d)`, i))
		all = append(all, ms[0])
		inGo = append(inGo, ms[1])
		edit = append(edit, ms[2])
		for k := range phases {
			phases[k] = append(phases[k], ms[3+k])
		}
	}
	b.ReportMetric(percentile(all, 50), "p50-ms")
	b.ReportMetric(percentile(all, 90), "p90-ms")
	b.ReportMetric(percentile(inGo, 50), "go-p50-ms")
	b.ReportMetric(percentile(edit, 50), "edit-p50-ms")
	for k, name := range keystrokePhases {
		b.ReportMetric(percentile(phases[k], 50), name+"-p50-ms")
		b.ReportMetric(percentile(phases[k], 90), name+"-p90-ms")
	}
	return all
}

// BenchmarkManyProblems pastes a job with 13,000 problems, then types two
// characters, and reports the longest main-thread task (the longest freeze)
// of each step.
func BenchmarkManyProblems(b *testing.B) {
	url := serve(b)
	ctx := browser(b, 10*time.Minute)
	open(b, ctx, url)
	text := jobOps(13000, 1)
	run(b, ctx, "install the probes", js(longTaskProbe))
	var paste, typing []float64
	for i := 0; b.Loop(); i++ {
		run(b, ctx, "reset", js(`jobkitEditor.view.dispatch({changes: {from: 0, to: jobkitEditor.view.state.doc.length, insert: "{}"}})`))
		eval[[3]int](b, ctx, `jobkitEditor.whenLinted().then((r) => r.counts)`)
		run(b, ctx, "settle", chromedp.Sleep(300*time.Millisecond), js(`__resetLong()`))
		// A paste as CodeMirror sees it: one transaction (Input.insertText
		// of 3.4 MB spends most of its time in the DevTools protocol).
		run(b, ctx, "paste", js(`jobkitEditor.view.dispatch({changes: {from: 0, to: jobkitEditor.view.state.doc.length, insert: `+mustJSON(text)+`}, userEvent: "input.paste"})`))
		// Only the counts come back: JSON.stringify of the 13,000
		// diagnostics would run in the page's task and count as a freeze.
		counts := eval[[3]int](b, ctx, `jobkitEditor.whenLinted().then((r) => r.counts)`)
		if n := counts[0] + counts[1] + counts[2]; n < 13000 {
			b.Fatalf("%d problems, want at least 13,000", n)
		}
		run(b, ctx, "settle", chromedp.Sleep(500*time.Millisecond))
		paste = append(paste, eval[float64](b, ctx, `__longest()`))
		at := strings.Index(text, "batch") + 2
		run(b, ctx, "type two characters", js(`__resetLong()`),
			js(`jobkitEditor.view.focus(); jobkitEditor.view.dispatch({selection: {anchor: `+itoa(at)+`}})`),
			chromedp.KeyEvent("x"), chromedp.KeyEvent("y"))
		eval[[3]int](b, ctx, `jobkitEditor.whenLinted().then((r) => r.counts)`)
		run(b, ctx, "settle", chromedp.Sleep(500*time.Millisecond))
		typing = append(typing, eval[float64](b, ctx, `__longest()`))
	}
	b.ReportMetric(percentile(paste, 50), "paste-longest-ms")
	b.ReportMetric(percentile(typing, 50), "typing-longest-ms")
}
