package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestStartUpModule: web/boot.js compiles the wasm core on the page while
// the worker starts and hands it the module; when that fails, or the page
// starts a worker of its own, the worker compiles the core itself. Either
// way the first diagnostics show.
func TestStartUpModule(t *testing.T) {
	url := serve(t)
	for _, tc := range []struct {
		name   string
		before string // run before the page's own scripts
		source string // who compiled the core: boot.source
	}{
		{"page compiles", "", "page"},
		{"page compile fails", `WebAssembly.compileStreaming = () => Promise.reject(new Error("test: no streaming"))`, "worker"},
		// main.js does not see boot.js's worker, so it starts one of its own.
		{"worker started by main.js", `Object.defineProperty(window, "jobkitWorker", {set() {}, get() {}})`, "worker"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := browser(t, 60*time.Second)
			if tc.before != "" {
				run(t, ctx, "install the script", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: tc.before})
					return err
				}))
			}
			open(t, ctx, url)
			if n := len(linted(t, ctx).Diagnostics); n == 0 {
				t.Errorf("no diagnostics for the welcome job")
			}
			// The benchmarks' "painted": set once the frame showing the first
			// diagnostics has been drawn, after they reached the DOM.
			if err := step(ctx, 30*time.Second, poll(`jobkitEditor.firstPaintAt > 0`)); err != nil {
				t.Fatalf("the first diagnostics' frame was never reported drawn: %v", err)
			}
			if lint, painted := eval[float64](t, ctx, `jobkitEditor.firstLintAt`), eval[float64](t, ctx, `jobkitEditor.firstPaintAt`); painted < lint {
				t.Errorf("first diagnostics painted at %.0f ms, before they reached the DOM at %.0f ms", painted, lint)
			}
			type boot struct {
				Source                    string
				Fetched, Compiled, Module float64
				Instantiated, Ready       float64
			}
			b := eval[boot](t, ctx, `(({source, fetched, compiled, module, instantiated, ready}) => ({source, fetched, compiled, module, instantiated, ready}))(jobkitEditor.core.boot)`)
			if b.Source != tc.source {
				t.Fatalf("the core was compiled by %q, want %q (boot %+v)", b.Source, tc.source, b)
			}
			// Times are on the worker's clock: the page's response may
			// come before the worker starts (fetched < 0), never 0.
			if !(b.Fetched != 0 && b.Compiled >= b.Fetched && b.Instantiated >= b.Compiled && b.Ready >= b.Instantiated) {
				t.Errorf("start-up steps out of order: %+v", b)
			}
			if got := b.Module > 0; got != (tc.source == "page") {
				t.Errorf("module handed over: %v, want %v (boot %+v)", got, tc.source == "page", b)
			}
		})
	}
}

// TestWorkerWarmsUp: after its first answer the worker lints the page's
// job 20 more times while the page sends nothing (web/worker.js
// warmLints: V8 compiles the lint's optimised code then, not during the
// first keystrokes), then stops; the live lint that follows still answers
// with the diagnostics of the editor's text.
func TestWorkerWarmsUp(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 90*time.Second)
	open(t, ctx, url)
	warmed := eval[int](t, ctx, `(async () => {
		for (;;) {
			await jobkitEditor.core.call("version");
			if (jobkitEditor.core.boot.warmLints >= 20) return jobkitEditor.core.boot.warmLints;
			await new Promise((r) => setTimeout(r, 50));
		}
	})()`)
	if warmed != 20 {
		t.Fatalf("the worker did %d warm-up lints, want 20", warmed)
	}
	// Quiet for longer than a warm-up lint's wait: no more come.
	after := eval[int](t, ctx, `new Promise((r) => setTimeout(r, 300)).then(() => jobkitEditor.core.call("version")).then(() => jobkitEditor.core.boot.warmLints)`)
	if after != 20 {
		t.Errorf("warm-up lints went on after 20: %d", after)
	}
	run(t, ctx, "type a character", js(deltaCheck), js(`jobkitEditor.view.dispatch({changes: {from: 1, insert: " "}, userEvent: "input.type"})`))
	matchesFullLint(t, ctx, "a keystroke after the warm-up")
}
