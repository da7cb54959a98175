package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/jobkit-dev/jobkit/internal/share"
)

// literalJob has an op that exposes a port and one whose command is about
// to use a %%…%% literal.
const literalJob = "{\n  \"version\": \"0.1\",\n  \"type\": \"container\",\n  \"ops\": [\n" +
	"    {\"id\": \"web\", \"type\": \"container/run\", \"args\": {\"image\": \"nginx:1.27\", \"expose\": 80}},\n" +
	"    {\"id\": \"probe\", \"type\": \"container/run\", \"args\": {\"image\": \"curlimages/curl:8.10.1\", \"cmd\": [\"curl\", \"http://\"]}}\n  ]\n}\n"

// TestLiteralCompletion types %% inside a Nosana string: the page proposes
// the literals the worker returns (the editor used to filter them out, since
// their labels have no %% markers), narrows them as typing goes on, and
// accepting one inserts the whole literal.
func TestLiteralCompletion(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 90*time.Second)
	open(t, ctx, url)
	setText(t, ctx, literalJob)
	at := strings.Index(literalJob, `http://"`) + len("http://")
	labels := `[...document.querySelectorAll(".cm-tooltip-autocomplete li .cm-completionLabel")].map(e => e.textContent).join("|")`
	run(t, ctx, "type %%",
		js(`jobkitEditor.view.dispatch({selection: {anchor: `+itoa(at)+`}})`),
		chromedp.KeyEvent("%"), chromedp.KeyEvent("%"),
		poll(labels+`.includes("ops.web.host")`, chromedp.WithPollingTimeout(45*time.Second)))
	if got := eval[string](t, ctx, labels); !strings.Contains(got, "global.") {
		t.Errorf("after %%%% the proposals are %q, want ops.web.* and global.*", got)
	}
	run(t, ctx, "type ops.web.h",
		chromedp.KeyEvent("ops.web.h"),
		poll(`!`+labels+`.includes("global.")`, chromedp.WithPollingTimeout(45*time.Second)))
	if got := eval[string](t, ctx, labels); !strings.HasPrefix(got, "ops.web.host") {
		t.Fatalf("after %%%%ops.web.h the proposals are %q, want ops.web.host first", got)
	}
	run(t, ctx, "accept", chromedp.Sleep(150*time.Millisecond), pressEnter()) // CodeMirror's interactionDelay (see TestCompletion)
	if got := docText(t, ctx); !strings.Contains(got, `"http://%%ops.web.host%%"`) {
		t.Errorf("after accepting the job is %q, want the literal %%%%ops.web.host%%%% in the string", got)
	}
}

// twoFixJob: the first problem (an unknown op type) has one fix, the
// unknown key "gpus" further down has two.
const twoFixJob = "{\n  \"version\": \"0.1\",\n  \"type\": \"container\",\n  \"ops\": [\n" +
	"    {\"id\": \"a\", \"type\": \"container/rnu\", \"args\": {\"image\": \"ubuntu:22.04\"}},\n" +
	"    {\"id\": \"b\", \"type\": \"container/run\", \"args\": {\"image\": \"ubuntu:22.04\", \"gpus\": true}}\n  ]\n}\n"

// TestQuickFixMenu: Ctrl+. on a problem with two fixes opens a menu of that
// problem's fixes at the cursor (not the first problem of the file), the
// arrow keys and Enter pick one, Esc closes it.
func TestQuickFixMenu(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	setText(t, ctx, twoFixJob)
	at := strings.Index(twoFixJob, `"gpus"`) + 2
	items := `[...document.querySelectorAll(".jk-menu .jk-menu-item")].map(b => b.textContent).join("|")`
	run(t, ctx, "Ctrl+. on gpus",
		js(`jobkitEditor.view.dispatch({selection: {anchor: `+itoa(at)+`}})`),
		chromedp.KeyEvent(".", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS(".jk-menu .jk-menu-item")))
	if got := eval[string](t, ctx, items); got != `Rename "gpus" to "gpu"|Remove "gpus"` {
		t.Fatalf("fix menu = %q, want the two fixes of gpus", got)
	}
	if !eval[bool](t, ctx, `document.activeElement.classList.contains("jk-menu-item")`) {
		t.Errorf("the fix menu does not have the focus")
	}
	screenshot(t, ctx, "quick-fix-menu")
	run(t, ctx, "Esc closes", chromedp.KeyEvent(kb.Escape),
		poll(`!document.querySelector(".jk-menu")`, chromedp.WithPollingTimeout(15*time.Second)))
	if !eval[bool](t, ctx, `jobkitEditor.view.hasFocus`) {
		t.Errorf("after Esc the editor does not have the focus back")
	}
	run(t, ctx, "Ctrl+., Down, Enter",
		chromedp.KeyEvent(".", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS(".jk-menu .jk-menu-item")),
		chromedp.KeyEvent(kb.ArrowDown), pressEnter(),
		poll(`!jobkitEditor.view.state.doc.toString().includes("gpus")`, chromedp.WithPollingTimeout(30*time.Second)))
	if got := docText(t, ctx); strings.Contains(got, `"gpu"`) || !strings.Contains(got, `"container/rnu"`) {
		t.Errorf("after picking the second fix the job is %q, want gpus removed and nothing else fixed", got)
	}
}

// TestKeyboardHover opens the docs of the key at the cursor with Ctrl+K
// Ctrl+I, and Esc closes them.
func TestKeyboardHover(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	setText(t, ctx, literalJob)
	at := strings.Index(literalJob, `"expose"`) + 2
	run(t, ctx, "Ctrl+K Ctrl+I on expose",
		js(`jobkitEditor.view.dispatch({selection: {anchor: `+itoa(at)+`}})`),
		chromedp.KeyEvent("k", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent("i", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS(".jk-docs .jk-hover")))
	if got := eval[string](t, ctx, `document.querySelector(".jk-docs").textContent`); !strings.Contains(strings.ToLower(got), "port") {
		t.Errorf("docs for expose = %q, want them to talk about ports", got)
	}
	run(t, ctx, "Esc", chromedp.KeyEvent(kb.Escape),
		poll(`!document.querySelector(".jk-docs")`, chromedp.WithPollingTimeout(15*time.Second)))
}

// TestNotices: a notice goes away by itself, a new one replaces it, and a
// format error does not repeat its prefix.
func TestNotices(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	setText(t, ctx, `{"broken": [}`)
	run(t, ctx, "Format", chromedp.Click(chromedp.CSS("#btn-format")),
		poll(`!document.getElementById("notice").hidden`, chromedp.WithPollingTimeout(30*time.Second)))
	n := eval[string](t, ctx, `document.getElementById("notice").textContent`)
	if !strings.HasPrefix(n, "Cannot format: ") || strings.Contains(strings.ToLower(n[len("Cannot format: "):]), "format:") {
		t.Errorf("format error notice = %q, want \"Cannot format: \" once, then the reason", n)
	}
	run(t, ctx, "pick an example", js(`const s = document.getElementById("examples"); s.value = "0"; s.dispatchEvent(new Event("change"))`))
	if !eval[bool](t, ctx, `document.getElementById("notice").hidden`) {
		t.Errorf("the notice %q stays after opening another job", eval[string](t, ctx, `document.getElementById("notice").textContent`))
	}
	run(t, ctx, "Fix all", chromedp.Click(chromedp.CSS("#btn-fixall")),
		poll(`!document.getElementById("notice").hidden`, chromedp.WithPollingTimeout(30*time.Second)),
		// Info notices go away after 4 s by themselves.
		poll(`document.getElementById("notice").hidden`, chromedp.WithPollingTimeout(45*time.Second)))
}

// TestShareLinkChecks: a link with one character changed, or of an unknown
// format, opens nothing and says why; a format-1 link (no checksum) still
// opens.
func TestShareLinkChecks(t *testing.T) {
	url := serve(t)
	good := share.Encode([]byte(shareText))
	i := len(good) / 2
	c := byte('A')
	if good[i] == 'A' {
		c = 'B'
	}
	damaged := good[:i] + string(c) + good[i+1:]
	legacy, err := os.ReadFile(filepath.Join(repoRoot, "internal", "share", "testdata", "chromium-link.txt"))
	if err != nil {
		t.Fatal(err)
	}
	_, legacyFrag, _ := strings.Cut(strings.TrimSpace(string(legacy)), "#")
	for _, tc := range []struct{ name, frag, notice, text string }{
		{"damaged", damaged, "damaged", ""},
		{"unknown version", "#7" + good[2:], "format \"7\"", ""},
		{"format 1", "#" + legacyFrag, "Opened the job from a share link", shareText},
		{"format 2", good, "Opened the job from a share link", shareText},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := browser(t, 60*time.Second)
			open(t, ctx, url+tc.frag)
			if n := eval[string](t, ctx, `document.getElementById("notice").textContent`); !strings.Contains(n, tc.notice) {
				t.Errorf("notice = %q, want it to contain %q", n, tc.notice)
			}
			got := docText(t, ctx)
			if tc.text != "" && got != tc.text {
				t.Errorf("the link opens %q, want %q", got, tc.text)
			}
			if tc.text == "" && got == shareText {
				t.Errorf("a bad link opened its job anyway")
			}
		})
	}
}

// TestStorageFull warns when the job is too big to keep for the next visit,
// and a reload then does not silently reopen an older job.
func TestStorageFull(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 90*time.Second)
	open(t, ctx, url)
	setText(t, ctx, `{"small": "kept first"}`)
	run(t, ctx, "save the small job", js(`dispatchEvent(new Event("pagehide"))`))
	big := `{"big": "` + strings.Repeat("x", 6<<20) + `"}`
	run(t, ctx, "paste a 6 MB job",
		js(`jobkitEditor.view.dispatch({changes: {from: 0, to: jobkitEditor.view.state.doc.length, insert: `+mustJSON(big)+`}})`),
		poll(`document.getElementById("notice").textContent.includes("too big to keep")`, chromedp.WithPollingTimeout(20*time.Second)))
	open(t, ctx, url)
	if got := docText(t, ctx); strings.Contains(got, "kept first") {
		t.Errorf("after a reload the page silently reopened the older job %q", got)
	}
}

// TestToolbarStable: the toolbar does not move when "detected: …" changes,
// the job-type switch is labelled as such, and line wrapping is an option
// that survives a reload.
func TestToolbarStable(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	pos := `JSON.stringify([...document.querySelectorAll(".bar button")].map(b => Math.round(b.getBoundingClientRect().left)))`
	before := eval[string](t, ctx, pos)
	run(t, ctx, "force Nomad", js(`jobkitEditor.setFormat("nomad")`))
	linted(t, ctx)
	if d := eval[string](t, ctx, `document.getElementById("detected").textContent`); !strings.HasPrefix(d, "linting as Nomad") {
		t.Fatalf("detected = %q", d)
	}
	if after := eval[string](t, ctx, pos); after != before {
		t.Errorf("toolbar buttons moved from %s to %s when the detected text changed", before, after)
	}
	if l := eval[string](t, ctx, `document.getElementById("format").closest("label").textContent`); !strings.Contains(l, "Job type") {
		t.Errorf("the format switch is labelled %q, want \"Job type\"", l)
	}
	run(t, ctx, "wrap lines", chromedp.Click(chromedp.CSS("#wrap")))
	if !eval[bool](t, ctx, `jobkitEditor.view.contentDOM.classList.contains("cm-lineWrapping")`) {
		t.Fatalf("ticking Wrap did not wrap lines")
	}
	open(t, ctx, url)
	if !eval[bool](t, ctx, `jobkitEditor.view.contentDOM.classList.contains("cm-lineWrapping") && document.getElementById("wrap").checked`) {
		t.Errorf("line wrapping was not kept across a reload")
	}
}

// TestStatusLineOneLine: at 1280 px the status line stays one line with a
// release's version and a slow lint's timing (it wrapped to two with a
// commit hash as the version); the key list gives way, its whole text in
// its title.
func TestStatusLineOneLine(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	run(t, ctx, "a long version and timing", js(`document.getElementById("version").textContent = "jobkit v1.12.3-4-g1c236ad-dirty (go1.26.8)";
		document.getElementById("timing").textContent = "linted in 1,268.2 ms (Go 1,083.9 ms)"`))
	// The lines each part's text takes (its line boxes' tops).
	lines := eval[int](t, ctx, `Math.max(...[...document.querySelectorAll(".status > span")].map((s) => {
		const r = document.createRange();
		r.selectNodeContents(s);
		return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size;
	}))`)
	if lines != 1 {
		t.Errorf("the status line's text takes %d lines at 1280 px, want one", lines)
	}
	keys := eval[[]string](t, ctx, `(() => { const k = document.querySelector(".status .keys"); return [k.textContent, k.title]; })()`)
	if keys[0] != keys[1] {
		t.Errorf("the key list's title %q is not its text %q", keys[1], keys[0])
	}
}

// TestProblemsOrder: errors come first in the problems panel, then
// warnings, each by position; a 6-digit line number does not overlap the
// rule link.
func TestProblemsOrder(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 90*time.Second)
	open(t, ctx, url)
	// Warnings first in the text, an error at the end, past line 100,000.
	text := jobOps(3, 1)
	text = strings.TrimSuffix(text, "\n") + strings.Repeat("\n", 100_000) + `,` + "\n"
	// Set directly: typing 100,000 lines through the input pipeline is slow
	// and not what this test is about.
	run(t, ctx, "set the job", js(`jobkitEditor.view.dispatch({changes: {from: 0, to: jobkitEditor.view.state.doc.length, insert: `+mustJSON(text)+`}})`))
	res := linted(t, ctx)
	if res.Counts[0] == 0 || res.Counts[1] == 0 {
		t.Fatalf("test job has counts %v, want errors and warnings", res.Counts)
	}
	sevs := eval[[]string](t, ctx, `[...document.querySelectorAll("#problems .jk-problem")].map(li => li.className.replace("jk-problem jk-", ""))`)
	seenWarning := false
	for _, s := range sevs {
		if s == "warning" {
			seenWarning = true
		}
		if s == "error" && seenWarning {
			t.Fatalf("problems panel order %v: an error below a warning", sevs)
		}
	}
	overlap := eval[bool](t, ctx, `(() => {
		const li = document.querySelector("#problems .jk-problem");
		const a = li.querySelector(".jk-loc").getBoundingClientRect(), b = li.querySelector(".jk-rule").getBoundingClientRect();
		return li.querySelector(".jk-loc").textContent.split(":")[0].length < 6 || !(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top);
	})()`)
	if overlap {
		t.Errorf("the first row's location (%s) overlaps its rule link, or is not a 6-digit line", eval[string](t, ctx, `document.querySelector("#problems .jk-loc").textContent`))
	}
	screenshot(t, ctx, "problems-order")
}

// TestManyProblems: with 13,000 problems the panel draws only the rows in
// view yet reaches every one by scrolling, the counts name them all, and the
// underlines are capped.
func TestManyProblems(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 180*time.Second)
	open(t, ctx, url)
	text := jobOps(13000, 1)
	run(t, ctx, "paste the job", js(`jobkitEditor.view.dispatch({changes: {from: 0, to: jobkitEditor.view.state.doc.length, insert: `+mustJSON(text)+`}})`))
	res := linted(t, ctx)
	total := res.Counts[0] + res.Counts[1] + res.Counts[2]
	if total < 13000 {
		t.Fatalf("%d problems, want at least 13,000", total)
	}
	rows := eval[int](t, ctx, `document.querySelectorAll("#problems .jk-problem").length`)
	if rows == 0 || rows > 200 {
		t.Errorf("the panel has %d rows in the DOM, want only those in view (1..200)", rows)
	}
	plural := func(n int, word string) string {
		if n != 1 {
			word += "s"
		}
		return grouped(n) + " " + word
	}
	wantCounts := plural(res.Counts[0], "error") + ", " + plural(res.Counts[1], "warning") + ", " + grouped(res.Counts[2]) + " info (first 1,500 underlined)"
	if c := eval[string](t, ctx, `document.getElementById("counts").textContent`); c != wantCounts {
		t.Errorf("counts = %q, want %q (digits grouped, and saying only some are underlined)", c, wantCounts)
	}
	marks := eval[int](t, ctx, `(() => { let n = 0; jobkitEditor.forEachDiagnostic((d) => n++); return n; })()`)
	if marks == 0 || marks > 2000 {
		t.Errorf("%d diagnostics given to the editor, want a capped number (1..2000)", marks)
	}
	screenshot(t, ctx, "problems-13000")
	run(t, ctx, "scroll to the end of the panel",
		js(`const p = document.getElementById("problems"); p.scrollTop = p.scrollHeight`),
		poll(`[...document.querySelectorAll("#problems .jk-problem")].some(li => Number(li.getAttribute("aria-posinset")) === `+itoa(total)+`)`, chromedp.WithPollingTimeout(30*time.Second)))
	run(t, ctx, "keyboard: Home on a row", js(`document.querySelector("#problems .jk-problem-jump").focus()`), chromedp.KeyEvent(kb.Home))
	if i := eval[string](t, ctx, `document.activeElement.closest("li").getAttribute("aria-posinset")`); i != "1" {
		t.Errorf("Home moved the focus to row %s, want 1", i)
	}
}

// grouped writes n with its digits grouped by commas, as the page shows
// counts ("13,001").
func grouped(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
