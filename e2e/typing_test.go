package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestParseSlices: CodeMirror's background parse asks
// navigator.scheduling.isInputPending whether to yield; the page makes it
// answer true once the asking task has run 25 ms since it first asked
// (web/parseslices.js), and false again in the next task. The parse still reaches the end of a
// pasted 200 KB job, whose last lines (in view: the cursor is there) get
// highlighted (syntax classes are style-mod's, "ͼ…").
func TestParseSlices(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 90*time.Second)
	open(t, ctx, url)
	need(t, eval[bool](t, ctx, `typeof navigator.scheduling?.isInputPending === "function"`),
		"this Chromium has no navigator.scheduling.isInputPending")
	// Only times the page itself spins are asserted: a task that asked once
	// and spun 10 ms may have been descheduled for longer on a busy machine.
	got := eval[[]bool](t, ctx, `(async () => {
		const ask = () => navigator.scheduling.isInputPending();
		const spin = (ms) => { const t = performance.now(); while (performance.now() - t < ms); };
		const first = ask();
		spin(30);
		const late = ask();
		await new Promise((r) => setTimeout(r, 0));
		return [first, late, ask()];
	})()`)
	if want := []bool{false, true, false}; !equalBools(got, want) {
		t.Errorf("isInputPending when a task first asks, after it ran 30 ms, in the next task = %v, want %v", got, want)
	}
	setText(t, ctx, job200KB())
	run(t, ctx, "the last lines get highlighted", poll(`(() => {
		const lines = [...document.querySelectorAll(".cm-line")];
		return lines.length > 5 && lines.slice(-5).some((l) => [...l.querySelectorAll("span")].some((s) => s.className.startsWith("ͼ")));
	})()`))
}

// TestCallsReuseLintText: completion and the outline of the document the
// live lint just sent ask the worker to use the text it holds, rather than
// posting the whole document again (web/diagnostics.js callOnDoc); the
// answers are those for the current text. A call made while the live lint
// of newer changes waits to be sent rightly posts the text, so the calls
// held here are made once the lint of the current document has answered:
// the outline that follows every lint answer, and a completion asked for
// with Ctrl+Space.
func TestCallsReuseLintText(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 90*time.Second)
	open(t, ctx, url)
	text := jobOps(40, 10)
	setText(t, ctx, text)
	run(t, ctx, "record the worker's messages", js(`window.__posted = [];
		const post = Worker.prototype.postMessage;
		Worker.prototype.postMessage = function (m) {
			__posted.push(m.method + (typeof m.params?.text === "string" ? ":text" : "") + (m.params?.lintText ? ":lintText" : ""));
			return post.apply(this, arguments);
		}`))
	// A new key in the first op's args: completion proposes its fields.
	at := strings.Index(text, `"gpu": true`)
	run(t, ctx, "type a key",
		js(`jobkitEditor.view.dispatch({selection: {anchor: `+itoa(at)+`}})`),
		chromedp.Click(chromedp.CSS(".cm-content")),
		js(`jobkitEditor.view.dispatch({selection: {anchor: `+itoa(at)+`}})`),
		chromedp.KeyEvent(`"`), chromedp.KeyEvent("e"),
		chromedp.WaitVisible(chromedp.CSS(".cm-tooltip-autocomplete li")))
	run(t, ctx, "the typed document is linted and outlined",
		poll(`jobkitEditor.lastDoc === jobkitEditor.view.state.doc && jobkitEditor.outlineDoc === jobkitEditor.view.state.doc`),
		poll(`__posted.includes("outline:lintText")`))
	run(t, ctx, "ask for completion again",
		chromedp.KeyEvent(kb.Escape),
		js(`__posted.length = 0`),
		chromedp.KeyEvent(" ", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS(".cm-tooltip-autocomplete li")))
	if posted := eval[[]string](t, ctx, `__posted`); !slices.Contains(posted, "complete:lintText") || slices.Contains(posted, "complete:text") {
		t.Errorf("messages %v after Ctrl+Space on the linted document: want one complete call that reuses the live lint's text", posted)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#outline .jk-symbol").length`); n < 40 {
		t.Errorf("the outline has %d symbols, want the 40 ops at least", n)
	}
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
