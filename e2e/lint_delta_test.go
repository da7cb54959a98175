package e2e

import (
	"context"
	"strings"
	"testing"
	"time"
)

// deltaCheck resolves, once the current document is linted, with what the
// page holds and shows beside a full lint of the same text: the live lint
// answers are deltas (web/worker.js) that the page applies to what it
// holds, and must come to exactly what a full lint answers.
const deltaCheck = `window.__deltaCheck = async () => {
	const ed = jobkitEditor;
	const r = await ed.whenLinted();
	const text = ed.view.state.doc.toString();
	const full = (await ed.core.call("lint", {text, format: document.getElementById("format").value})).diagnostics;
	const shown = [];
	ed.forEachDiagnostic((d, from, to) => shown.push([from, to, d.message].join(" ")));
	const rank = {error: 0, warning: 1, info: 2};
	const sorted = [...full].sort((a, b) => rank[a.severity] - rank[b.severity] || a.from - b.from || a.to - b.to);
	const rows = [...document.querySelectorAll("#problems li[data-index]")].map((li) =>
		li.querySelector(".jk-loc").textContent + " " + li.querySelector(".jk-msg").textContent);
	const first = Number(document.querySelector("#problems li[data-index]")?.dataset.index ?? 0);
	return {
		moved: Boolean(r.moved),
		page: JSON.stringify(r.diagnostics),
		full: JSON.stringify(full),
		shown: shown.sort().join("\n"),
		wantShown: full.map((d) => [d.from, d.to, d.message].join(" ")).sort().join("\n"),
		rows: rows.join("\n"),
		wantRows: sorted.slice(first, first + rows.length).map((d) => d.line + ":" + d.column + " " + d.message).join("\n"),
	};
}`

type deltaState struct {
	Moved            bool
	Page, Full       string
	Shown, WantShown string
	Rows, WantRows   string
}

// TestLintDeltaMatchesFullLint edits a job with problems on many lines in
// every way a delta must handle (a column moved on the problem's line,
// lines added and removed, a problem fixed, one added, quick keystrokes
// coalesced, the whole text replaced, a format switch) and checks after
// each that the diagnostics the page holds, the underlines it shows and the
// problems panel's rows are those of a full lint of the text.
func TestLintDeltaMatchesFullLint(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 90*time.Second)
	open(t, ctx, url)
	setText(t, ctx, jobOps(30, 3))
	run(t, ctx, "install the check", js(deltaCheck))
	at := func(what string, n int) string {
		return `(() => { const t = jobkitEditor.view.state.doc.toString(); const i = t.indexOf(` + mustJSON(what) + `); if (i < 0) throw new Error("no " + ` + mustJSON(what) + `); return i + ` + itoa(n) + `; })()`
	}
	edits := []struct {
		name    string
		script  string
		movedOK bool // the answer must say the problems only moved
	}{
		{"type before a problem on its line", `jobkitEditor.view.dispatch({changes: {from: ` + at(`"step-00000"`, 3) + `, insert: "x"}, userEvent: "input.type"})`, true},
		{"add a line above problems", `jobkitEditor.view.dispatch({changes: {from: ` + at(`    {"type": "container/run", "id": "step-00003"`, 0) + `, insert: "\n"}, userEvent: "input.type"})`, true},
		{"delete a line with a problem", `(() => { const d = jobkitEditor.view.state.doc; const l = d.lineAt(` + at(`"id": "step-00006"`, 0) + `); jobkitEditor.view.dispatch({changes: {from: l.from, to: l.to + 1}, userEvent: "delete"}); })()`, false},
		{"fix a problem", `jobkitEditor.view.dispatch({changes: {from: ` + at(`"ubuntu", "cmd": ["python", "-c", "print('step 9')"]`, 7) + `, insert: ":22.04"}, userEvent: "input.type"})`, false},
		{"add a problem", `jobkitEditor.view.dispatch({changes: {from: ` + at(`{"type": "container/run", "id": "step-00004"`, 1) + `, insert: "\"bogus\": 1, "}, userEvent: "input.type"})`, false},
		{"three quick keystrokes", `(() => { const v = jobkitEditor.view; const p = ` + at(`"batch"`, 3) + `; v.dispatch({changes: {from: p, insert: "a"}}); v.dispatch({changes: {from: p + 1, insert: "b"}}); v.dispatch({changes: {from: p + 1, to: p + 2}}); })()`, false},
		// The first lint's answer (a problem added) is dropped, since the
		// document changed meanwhile; the second only moves the problems
		// relative to it, but the page never showed the added one.
		{"add a problem, then type before its answer", `(() => { const v = jobkitEditor.view; v.dispatch({changes: {from: ` + at(`{"type": "container/run", "id": "step-00002"`, 1) + `, insert: "\"bogus2\": 1, "}}); v.dispatch({changes: {from: ` + at(`"batch"`, 2) + `, insert: "z"}}); })()`, false},
		{"replace the whole text", `jobkitEditor.view.dispatch({changes: {from: 0, to: jobkitEditor.view.state.doc.length, insert: ` + mustJSON(brokenJob) + `}, userEvent: "input.paste"})`, false},
		{"type after an emoji", `jobkitEditor.view.dispatch({changes: {from: ` + at(`run"`, 0) + `, insert: "ning"}, userEvent: "input.type"})`, false},
		{"switch the format", `jobkitEditor.setFormat("nomad")`, false},
		{"switch it back", `jobkitEditor.setFormat("auto")`, false},
	}
	for _, e := range edits {
		run(t, ctx, e.name, js(e.script))
		got := matchesFullLint(t, ctx, e.name)
		if e.movedOK && !got.Moved {
			t.Errorf("%s: the answer was not a pure move (every problem sent again)", e.name)
		}
	}
}

// matchesFullLint checks, once the current document is linted, that the
// diagnostics the page holds, its underlines and its problems panel's rows
// are those of a full lint of the same text, and that there are problems
// to compare (deltaCheck must be installed). It returns the check.
func matchesFullLint(t *testing.T, ctx context.Context, what string) deltaState {
	t.Helper()
	got := eval[deltaState](t, ctx, `__deltaCheck()`)
	if got.Page != got.Full {
		t.Errorf("%s: the page holds\n%s\nwant (full lint)\n%s", what, got.Page, got.Full)
	}
	if got.Shown != got.WantShown {
		t.Errorf("%s: underlines\n%s\nwant\n%s", what, got.Shown, got.WantShown)
	}
	if got.Rows != got.WantRows || got.Rows == "" && got.Full != "[]" {
		t.Errorf("%s: problems panel rows\n%s\nwant\n%s", what, got.Rows, got.WantRows)
	}
	if strings.Count(got.Full, `"severity"`) == 0 {
		t.Errorf("%s: no problems left to check", what)
	}
	return got
}
