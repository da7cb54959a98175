package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/jobkit-dev/jobkit/core"
)

// TestFirstVisit: a fresh browser sees the welcome job, linted, with the
// problems panel filled in, in both colour schemes.
func TestFirstVisit(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)

	welcome, err := os.ReadFile(filepath.Join(repoRoot, "web", "welcome.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := docText(t, ctx); got != string(welcome) {
		t.Fatalf("first visit shows %q, want web/welcome.json", got)
	}
	res := linted(t, ctx)
	want := core.Lint(welcome, core.Options{})
	if len(res.Diagnostics) != len(want.Diagnostics) {
		t.Errorf("page shows %d diagnostics, the core finds %d (stale build? run web/build.sh)", len(res.Diagnostics), len(want.Diagnostics))
	}
	if res.Detected != string(want.Detected) {
		t.Errorf("page detected %q, core detects %q", res.Detected, want.Detected)
	}
	rows := eval[int](t, ctx, `document.querySelectorAll("#problems .jk-problem").length`)
	if rows != len(want.Diagnostics) {
		t.Errorf("problems panel has %d rows, want %d", rows, len(want.Diagnostics))
	}
	detected := eval[string](t, ctx, `document.getElementById("detected").textContent`)
	if !strings.Contains(strings.ToLower(detected), string(want.Detected)) {
		t.Errorf("format switch says %q, want it to name %q", detected, want.Detected)
	}
	// The outline shows the welcome job's op without waiting for typing.
	run(t, ctx, "outline", poll(`jobkitEditor.outlineDoc === jobkitEditor.view.state.doc`))
	if n := eval[int](t, ctx, `document.querySelectorAll("#outline .jk-symbol").length`); n == 0 {
		t.Errorf("the outline of the welcome job is empty")
	}
	screenshot(t, ctx, "first-visit-light")
	run(t, ctx, "dark mode", darkMode(true))
	bg := eval[string](t, ctx, `getComputedStyle(document.querySelector(".cm-editor")).backgroundColor`)
	if bg == "rgb(255, 255, 255)" {
		t.Errorf("editor background is still white in dark mode")
	}
	screenshot(t, ctx, "first-visit-dark")
}

// brokenJob has an emoji (two UTF-16 units, four UTF-8 bytes) before its
// errors so that an offset mix-up shows as a misplaced underline.
const brokenJob = `{
  "version": "0.1",
  "type": "container"
  "ops": [
    {"id": "🚀 run", "type": "container/run", "args": {"image": "ubuntu", "gpu": true,}}
  ]
}
`

// TestTypeBrokenJob types a broken job and checks the diagnostics the page
// shows: lines, exact underlined text, gutter markers and the problems panel.
func TestTypeBrokenJob(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	res := setText(t, ctx, brokenJob)

	type spot struct {
		rule, text string
		line       int
	}
	wants := []spot{
		{"json-missing-comma", `"`, 4},  // "ops" starts without a comma after "container"
		{"json-trailing-comma", ",", 5}, // the comma before }} after the emoji
	}
	for _, w := range wants {
		found := false
		for _, d := range res.Diagnostics {
			if d.Rule != w.rule || d.Line != w.line {
				continue
			}
			found = true
			// The page's own document decides what the range covers.
			got := eval[string](t, ctx, `jobkitEditor.view.state.doc.sliceString(`+itoa(d.From)+`, `+itoa(d.To)+`)`)
			if got != w.text {
				t.Errorf("%s on line %d underlines %q, want %q (UTF-16 offsets off?)", w.rule, w.line, got, w.text)
			}
			line := eval[int](t, ctx, `jobkitEditor.view.state.doc.lineAt(`+itoa(d.From)+`).number`)
			if line != w.line {
				t.Errorf("%s is drawn on line %d, want %d", w.rule, line, w.line)
			}
		}
		if !found {
			t.Errorf("no %s diagnostic on line %d; page shows %+v", w.rule, w.line, res.Diagnostics)
		}
	}
	core := core.Lint([]byte(brokenJob), core.Options{})
	if len(res.Diagnostics) != len(core.Diagnostics) {
		t.Errorf("page shows %d diagnostics, the core finds %d (stale build? run web/build.sh)", len(res.Diagnostics), len(core.Diagnostics))
	}
	run(t, ctx, "wait for underlines and gutter markers",
		chromedp.WaitVisible(chromedp.CSS(".cm-lintRange-error")),
		chromedp.WaitVisible(chromedp.CSS(".cm-lint-marker-error")))
	errorLines := map[int]bool{}
	for _, d := range res.Diagnostics {
		if d.Severity == "error" {
			errorLines[d.Line] = true
		}
	}
	markers := eval[int](t, ctx, `document.querySelectorAll(".cm-gutter-lint .cm-lint-marker-error").length`)
	if markers != len(errorLines) || !errorLines[4] || !errorLines[5] {
		t.Errorf("%d error markers in the gutter, want one on each of the lines %v (4 and 5 among them)", markers, errorLines)
	}
	// Underlines, gutter markers and the panel's severity marks are drawn
	// by CSS in the theme's colours, with no image: Chromium loads each SVG
	// image as a document of its own (CodeMirror's defaults), which held the
	// first diagnostics' frame ~90 ms on a cold start.
	type drawn struct{ Background, Content, Decoration, Color, Want string }
	for _, c := range []struct{ sel, colour string }{
		{".cm-lintRange-error", "--error"},
		{".cm-lint-marker-error", "--error"},
		{"#problems .jk-error .jk-sev", "--error"},
	} {
		got := eval[drawn](t, ctx, `(() => {
			const el = document.querySelector(`+mustJSON(c.sel)+`), cs = getComputedStyle(el);
			const probe = document.createElement("span");
			probe.style.color = "var(`+c.colour+`)";
			document.body.append(probe);
			const want = getComputedStyle(probe).color;
			probe.remove();
			return {background: cs.backgroundImage, content: cs.content, decoration: cs.textDecorationStyle,
				color: el.matches(".cm-lintRange") ? cs.textDecorationColor : cs.backgroundColor, want};
		})()`)
		if got.Background != "none" || strings.Contains(got.Content, "url(") || got.Color != got.Want {
			t.Errorf("%s is drawn with background-image %q, content %q, colour %q; want no image and the theme's %s (%s)", c.sel, got.Background, got.Content, got.Color, c.colour, got.Want)
		}
		if c.sel == ".cm-lintRange-error" && got.Decoration != "wavy" {
			t.Errorf("%s: text-decoration-style %q, want a wavy underline", c.sel, got.Decoration)
		}
	}
	// The problems panel links each rule to its documentation.
	href := eval[string](t, ctx, `document.querySelector('#problems a.jk-rule').href`)
	if !strings.Contains(href, "docs/rules.md#json-") {
		t.Errorf("rule link = %q, want a link into docs/rules.md", href)
	}
	screenshot(t, ctx, "broken-job")

	// Keyboard: Tab to the first problem, Enter jumps to it.
	// Focus in one step in the page: the panel may redraw its rows between
	// a node lookup and a separate focus command.
	run(t, ctx, "jump from the problems panel",
		js(`document.querySelector("#problems .jk-problem-jump").focus()`),
		pressEnter())
	head := eval[int](t, ctx, `jobkitEditor.view.state.selection.main.from`)
	if head != res.Diagnostics[0].From {
		t.Errorf("after Enter on the first problem the cursor is at %d, want %d", head, res.Diagnostics[0].From)
	}
	if !eval[bool](t, ctx, `jobkitEditor.view.hasFocus`) {
		t.Errorf("the editor does not have focus after jumping to a problem")
	}
}

func itoa(n int) string { return fmtInt(n) }

// TestKeyboardOnly drives the editor without a mouse: Tab into the editor,
// F8 to the first problem, Ctrl+. to fix it, Esc then Tab to leave.
func TestKeyboardOnly(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	res := setText(t, ctx, brokenJob)
	first := res.Diagnostics[0]
	if first.Rule != "json-missing-comma" {
		t.Fatalf("first diagnostic is %s, want json-missing-comma", first.Rule)
	}
	run(t, ctx, "blur", js(`document.activeElement.blur()`))
	inEditor := `document.activeElement && document.activeElement.classList.contains("cm-content")`
	tabs := 0
	for ; tabs < 30 && !eval[bool](t, ctx, inEditor); tabs++ {
		run(t, ctx, "Tab", chromedp.KeyEvent(kb.Tab))
	}
	if !eval[bool](t, ctx, inEditor) {
		t.Fatalf("30 Tabs never reached the editor")
	}
	run(t, ctx, "cursor to the top, F8",
		js(`jobkitEditor.view.dispatch({selection: {anchor: 0}})`),
		chromedp.KeyEvent(kb.F8))
	if at := eval[int](t, ctx, `jobkitEditor.view.state.selection.main.from`); at != first.From {
		t.Errorf("F8 moved the cursor to %d, want the first problem at %d", at, first.From)
	}
	run(t, ctx, "Ctrl+.", chromedp.KeyEvent(".", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	run(t, ctx, "wait for the fix", poll(`jobkitEditor.view.state.doc.toString().includes('"container",')`, chromedp.WithPollingTimeout(10*time.Second)))
	after := linted(t, ctx)
	for _, d := range after.Diagnostics {
		if d.Rule == "json-missing-comma" {
			t.Errorf("json-missing-comma still reported after Ctrl+.: %+v", d)
		}
	}
	run(t, ctx, "Esc, Tab", chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent(kb.Tab))
	if eval[bool](t, ctx, inEditor) {
		t.Errorf("Esc then Tab did not leave the editor")
	}
	if tag := eval[string](t, ctx, `document.activeElement.tagName + "." + document.activeElement.className`); !strings.HasPrefix(tag, "BUTTON") && !strings.HasPrefix(tag, "A") {
		t.Errorf("after leaving the editor the focus is on %s, want the next control", tag)
	}
}
