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

// TestKeystrokeNeedsNoParseTask: a keystroke whose transaction finishes
// CodeMirror's parse (a job of a few KB) schedules no background parse
// step (web/parseslices.js steadyParse), which would be one more task
// between the key and its lint answer (it sets no 0 ms timer; the job's
// save for the next visit sets one of 300 ms).
func TestKeystrokeNeedsNoParseTask(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 90*time.Second)
	open(t, ctx, url)
	text := jobOps(40, 10)
	setText(t, ctx, text)
	run(t, ctx, "the parse is complete", poll(`jobkitEditor.parsedTo() === jobkitEditor.view.state.doc.length`))
	at := strings.Index(text, `"ubuntu"`) + 3
	// A loaded machine may stop CodeMirror's parse within the keystroke
	// (it gives it 20 ms): then a step is due. Type until a keystroke's
	// transaction has finished the parse.
	type keystroke struct {
		Delays   []int
		Complete bool
	}
	for i := 0; ; i++ {
		k := eval[keystroke](t, ctx, `(() => {
			const delays = [];
			const setTimeout = window.setTimeout;
			window.setTimeout = function (f, ms, ...args) {
				delays.push(ms ?? 0);
				return setTimeout.call(this, f, ms, ...args);
			};
			try {
				jobkitEditor.view.dispatch({changes: {from: `+itoa(at)+`, insert: "x"}, userEvent: "input.type"});
			} finally {
				window.setTimeout = setTimeout;
			}
			return {delays, complete: jobkitEditor.parsedTo() === jobkitEditor.view.state.doc.length};
		})()`)
		if !k.Complete {
			if i == 9 {
				t.Fatalf("none of 10 keystrokes' transactions finished CodeMirror's parse of an 8 KB job")
			}
			continue
		}
		if slices.Contains(k.Delays, 0) {
			t.Errorf("a keystroke that finished the parse set timers of %v ms: a parse step (0 ms) among them", k.Delays)
		}
		break
	}
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

// layoutReadSpy counts reads of the problems panel's layout (its scroll
// offset and height, its rows' offset) made by the page's code, but those
// in a ResizeObserver's callback: the browser has just laid the page out
// there, so a read costs nothing (a loaded machine sometimes delivers one
// while typing).
const layoutReadSpy = `(() => {
	window.__layoutReads = [];
	const spy = (el, proto, prop) => {
		const d = Object.getOwnPropertyDescriptor(proto, prop);
		Object.defineProperty(el, prop, {
			configurable: true,
			get() {
				if (!/ResizeObserver/.test(new Error().stack)) __layoutReads.push(prop);
				return d.get.call(this);
			},
			set: d.set && function (v) { d.set.call(this, v); },
		});
	};
	const p = document.getElementById("problems");
	spy(p, Element.prototype, "scrollTop");
	spy(p, Element.prototype, "clientHeight");
	spy(p.querySelector(".jk-spacer"), HTMLElement.prototype, "offsetTop");
})()`

// TestProblemsPanelWhileTyping: a lint answer that only moves the problems
// redraws the panel's rows without reading the page's layout (a read there
// made the browser lay out the page in the middle of every keystroke), and
// the rows in view are still the right ones after a scroll and after the
// "No problems found." line comes and goes above them.
func TestProblemsPanelWhileTyping(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 90*time.Second)
	open(t, ctx, url)
	text := jobOps(60, 2) // 30 problems: more rows than the panel shows
	setText(t, ctx, text)
	run(t, ctx, "spy on the panel's layout reads", js(layoutReadSpy))
	// A scroll of the panel from the paste may still be on its way: wait
	// two frames for it, then count from zero.
	eval[bool](t, ctx, `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => { __layoutReads.length = 0; r(true); })))`)
	pos := strings.Index(text, `"step-00001"`) + 3
	moved := 0
	for i := range 6 {
		edit := `{changes: {from: ` + itoa(pos) + `, insert: "x"}, userEvent: "input.type"}`
		if i%2 == 1 {
			edit = `{changes: {from: ` + itoa(pos) + `, to: ` + itoa(pos+1) + `}, userEvent: "delete.backward"}`
		}
		run(t, ctx, "keystroke", js(`jobkitEditor.view.dispatch(`+edit+`)`))
		if eval[bool](t, ctx, `jobkitEditor.whenLinted().then((r) => Boolean(r.moved))`) {
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("no lint answer said the problems only moved: the redraw this test is about was not exercised")
	}
	if reads := eval[[]string](t, ctx, `__layoutReads`); len(reads) > 0 {
		t.Errorf("the page read the problems panel's layout %d times while typing (%v), want none", len(reads), reads)
	}

	// The rows in view after a scroll: those from the scroll offset down.
	rowsInView := `(() => {
		const p = document.getElementById("problems");
		const top = p.getBoundingClientRect().top, bottom = p.getBoundingClientRect().bottom;
		const rows = [...p.querySelectorAll("li[data-index]")];
		const seen = rows.filter((li) => { const r = li.getBoundingClientRect(); return r.bottom > top && r.top < bottom; });
		const first = Math.floor((p.scrollTop - p.querySelector(".jk-spacer").offsetTop) / 44);
		const want = Math.min(30 - first, Math.floor(p.clientHeight / 44));
		return seen.length >= want && seen.some((li) => Number(li.dataset.index) === Math.max(0, first));
	})()`
	run(t, ctx, "scroll the panel down", js(`document.getElementById("problems").scrollTop = 10 * 44`), poll(rowsInView))
	replace := func(text string) string {
		return `jobkitEditor.view.dispatch({changes: {from: 0, to: jobkitEditor.view.state.doc.length, insert: ` + mustJSON(text) + `}})`
	}
	valid := strings.NewReplacer(`"ubuntu"`, `"ubuntu:22.04"`,
		`"meta": {"trigger": "cli"}`, `"meta": {"trigger": "cli", "system_requirements": {"required_vram": 8}}`).Replace(text)
	run(t, ctx, "fix every problem", js(replace(valid)))
	if res := linted(t, ctx); len(res.Diagnostics) != 0 {
		t.Fatalf("the valid job has %d problems (%s ...), want none", len(res.Diagnostics), res.Diagnostics[0].Message)
	}
	run(t, ctx, `"No problems found." shown`, poll(`!document.querySelector("#problems .jk-empty").hidden && !document.querySelector("#problems li[data-index]")`))
	run(t, ctx, "bring the problems back", js(replace(text)))
	linted(t, ctx)
	run(t, ctx, "the rows come back under the line that went", poll(`document.querySelector("#problems .jk-empty").hidden`), poll(rowsInView))
}

// liveLintSpy records the live lint requests the page posts to the worker:
// whether each carries the whole text or changes, and the length of the
// editor's document when it was posted.
const liveLintSpy = `(() => {
	window.__live = [];
	const post = Worker.prototype.postMessage;
	Worker.prototype.postMessage = function (m) {
		if (m?.method === "lint" && m.live) {
			__live.push({text: typeof m.params?.text === "string", changes: Boolean(m.params?.changes), docLength: jobkitEditor.view.state.doc.length});
		}
		return post.apply(this, arguments);
	};
})()`

// TestLintStartsBeforeRedraw: a keystroke's changes go to the worker
// before CodeMirror applies them to the editor (its new state and redraw
// take a keystroke's first milliseconds; Go lints meanwhile), and the
// answer is that of the text typed. A change that CodeMirror refuses after
// it was sent (a dispatch in the middle of an update throws) makes the
// next request carry the whole text, and the diagnostics stay those of
// the editor's text.
func TestLintStartsBeforeRedraw(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 90*time.Second)
	open(t, ctx, url)
	text := jobOps(40, 10)
	setText(t, ctx, text)
	run(t, ctx, "record the live lint requests", js(liveLintSpy), js(deltaCheck))
	sameAsFullLint := func(what string) {
		t.Helper()
		matchesFullLint(t, ctx, what+" (live lint requests since the spy: "+eval[string](t, ctx, `JSON.stringify(__live)`)+")")
	}

	run(t, ctx, "dispatch no transaction", js(`jobkitEditor.view.dispatch([])`))
	// "ubuntu" -> "ubuntuX": a keystroke that changes a problem (an image
	// without a tag) rather than only moving the others.
	at := strings.Index(text, `"ubuntu"`) + len(`"ubuntu`)
	before := eval[int](t, ctx, `jobkitEditor.view.state.doc.length`)
	run(t, ctx, "type a character", js(`jobkitEditor.view.dispatch({changes: {from: `+itoa(at)+`, insert: "X"}, userEvent: "input.type"})`))
	sameAsFullLint("after a keystroke")
	type request struct {
		Text, Changes bool
		DocLength     int
	}
	sent := eval[[]request](t, ctx, `__live`)
	if len(sent) != 1 || !sent[0].Changes || sent[0].DocLength != before {
		t.Fatalf("live lint requests for one keystroke: %+v; want one with the changes, posted while the editor still held the %d characters before it", sent, before)
	}

	run(t, ctx, "a change refused after it was sent", js(`__live.length = 0`))
	refused := eval[string](t, ctx, `new Promise((resolve) => jobkitEditor.view.requestMeasure({
		read() {},
		write(_, view) {
			try {
				view.dispatch({changes: {from: `+itoa(at)+`, insert: "ZZ"}});
				resolve("");
			} catch (err) {
				resolve(String(err.message));
			}
		},
	}))`)
	if refused == "" {
		t.Fatal("CodeMirror applied a dispatch made during an update: the refused change this test is about did not happen")
	}
	if docText(t, ctx) != strings.Replace(text, `"ubuntu"`, `"ubuntuX"`, 1) {
		t.Fatal("the refused change is in the editor")
	}
	run(t, ctx, "the whole text goes to the worker again", poll(`__live.some((r) => r.text)`))
	sameAsFullLint("after the refused change")
	run(t, ctx, "type again", js(`jobkitEditor.view.dispatch({changes: {from: `+itoa(at)+`, to: `+itoa(at+1)+`}, userEvent: "delete.backward"})`))
	sameAsFullLint("after the next keystroke")
}
