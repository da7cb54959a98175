package e2e

import (
	"testing"
	"time"
)

// TestParseSlices: CodeMirror's background parse asks
// navigator.scheduling.isInputPending whether to yield; the page makes it
// answer true once the asking task has run 25 ms (web/parseslices.js), and
// false again in the next task. The parse still reaches the end of a
// pasted 200 KB job, whose last lines (in view: the cursor is there) get
// highlighted (syntax classes are style-mod's, "ͼ…").
func TestParseSlices(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 90*time.Second)
	open(t, ctx, url)
	if !eval[bool](t, ctx, `typeof navigator.scheduling?.isInputPending === "function"`) {
		t.Skip("this Chromium has no navigator.scheduling.isInputPending")
	}
	got := eval[[]bool](t, ctx, `(async () => {
		const ask = () => navigator.scheduling.isInputPending();
		const spin = (ms) => { const t = performance.now(); while (performance.now() - t < ms); };
		const first = ask();
		spin(10);
		const early = ask();
		spin(20);
		const late = ask();
		await new Promise((r) => setTimeout(r, 0));
		return [first, early, late, ask()];
	})()`)
	if want := []bool{false, false, true, false}; !equalBools(got, want) {
		t.Errorf("isInputPending at a task's start, after 10 ms, after 30 ms, in the next task = %v, want %v", got, want)
	}
	setText(t, ctx, job200KB())
	run(t, ctx, "the last lines get highlighted", poll(`(() => {
		const lines = [...document.querySelectorAll(".cm-line")];
		return lines.length > 5 && lines.slice(-5).some((l) => [...l.querySelectorAll("span")].some((s) => s.className.startsWith("ͼ")));
	})()`))
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
