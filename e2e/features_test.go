package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/intel"
	"github.com/jobkit-dev/jobkit/internal/share"
)

// hoverPos returns viewport coordinates of the middle of the character at
// pos, once the layout has settled: the same rectangle in two animation
// frames in a row (highlighting and lint decorations re-render lines late,
// which moves characters). It aims between the left edge of the character
// (coordsAtPos(pos, 1)) and its right edge (coordsAtPos(pos+1, -1)), never
// at a zero-width caret rectangle whose edge may belong to a neighbour.
func hoverPos(tb testing.TB, c context.Context, pos int) (x, y float64) {
	tb.Helper()
	xy := eval[[]float64](tb, c, `(async () => {
		const v = jobkitEditor.view, frame = () => new Promise((r) => { requestAnimationFrame(r); setTimeout(r, 50); });
		const rect = () => {
			const a = v.coordsAtPos(`+itoa(pos)+`, 1), b = v.coordsAtPos(`+itoa(pos+1)+`, -1);
			if (!a || !b) return null;
			return [(a.left + b.right) / 2, (a.top + a.bottom) / 2];
		};
		let last = null;
		for (let i = 0; i < 100; i++) {
			await frame();
			const r = rect();
			if (r && last && r[0] === last[0] && r[1] === last[1]) return r;
			last = r;
		}
		return last;
	})()`)
	if len(xy) != 2 {
		tb.Fatalf("character %d is not on screen", pos)
	}
	return xy[0], xy[1]
}

// hoverUntil rests the mouse on the character at pos until sel is visible.
// CodeMirror shows a hover tooltip once per mouse rest; if the page was busy
// (or re-rendered the line) at that moment the tooltip never comes, so each
// try gets its own short timeout and moves the mouse away and back.
func hoverUntil(tb testing.TB, ctx context.Context, pos int, sel string) {
	tb.Helper()
	var err error
	for try := 0; try < 6; try++ {
		x, y := hoverPos(tb, ctx, pos)
		err = step(ctx, 4*time.Second,
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y+200),
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y),
			chromedp.WaitVisible(chromedp.CSS(sel)))
		if err == nil {
			return
		}
		if ctx.Err() != nil {
			break
		}
	}
	tb.Fatalf("hover character %d: %s never showed: %v", pos, sel, err)
}

// TestQuickFix hovers an underlined trailing comma, clicks the fix button
// in the tooltip and checks that the comma and its diagnostic are gone.
func TestQuickFix(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	before := setText(t, ctx, brokenJob)
	comma := -1
	for _, d := range before.Diagnostics {
		if d.Rule == "json-trailing-comma" && d.Line == 5 {
			comma = d.From
		}
	}
	if comma < 0 {
		t.Fatalf("no trailing-comma diagnostic on line 5: %+v", before.Diagnostics)
	}
	hoverUntil(t, ctx, comma, ".cm-tooltip-lint .cm-diagnosticAction")
	label := eval[string](t, ctx, `[...document.querySelectorAll(".cm-tooltip-lint .cm-diagnosticAction")].map(b => b.textContent).join("|")`)
	if !strings.Contains(label, "Remove the comma") {
		t.Fatalf("fix buttons in the tooltip: %q, want one that removes the comma", label)
	}
	screenshot(t, ctx, "quick-fix-tooltip")
	run(t, ctx, "click the fix", js(`[...document.querySelectorAll(".cm-tooltip-lint .cm-diagnosticAction")].find(b => b.textContent.includes("Remove the comma")).click()`))
	after := linted(t, ctx)
	want := strings.Replace(brokenJob, "true,}}", "true}}", 1)
	if got := docText(t, ctx); got != want {
		t.Fatalf("after the fix the job is %q, want %q", got, want)
	}
	for _, d := range after.Diagnostics {
		if d.Rule == "json-trailing-comma" && d.Line == 5 {
			t.Errorf("the trailing-comma diagnostic is still there: %+v", d)
		}
	}
	if len(after.Diagnostics) != len(before.Diagnostics)-1 {
		t.Errorf("%d diagnostics after the fix, want %d", len(after.Diagnostics), len(before.Diagnostics)-1)
	}
}

// TestCompletion types inside a half-written key and accepts the proposal:
// the snippet lands with its placeholder selected as a tab stop.
func TestCompletion(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	text := "{\n  \"version\": \"0.1\",\n  \"type\": \"container\",\n  \"ops\": [\n    {\"id\": \"a\", \"type\": \"container/run\", \"args\": {\"image\": \"ubuntu:22.04\", \"gp\"}}\n  ]\n}\n"
	setText(t, ctx, text)
	cursor := strings.Index(text, `"gp"`) + 3
	run(t, ctx, "type u after gp",
		js(`jobkitEditor.view.dispatch({selection: {anchor: `+itoa(cursor)+`}})`),
		chromedp.KeyEvent("u"),
		chromedp.WaitVisible(chromedp.CSS(".cm-tooltip-autocomplete li[aria-selected]")))
	first := eval[string](t, ctx, `document.querySelector(".cm-tooltip-autocomplete li[aria-selected] .cm-completionLabel").textContent`)
	if first != "gpu" {
		t.Fatalf("first proposal = %q, want gpu", first)
	}
	run(t, ctx, "wait for the docs panel", chromedp.WaitVisible(chromedp.CSS(".cm-completionInfo")))
	info := eval[string](t, ctx, `document.querySelector(".cm-completionInfo").textContent`)
	if !strings.Contains(strings.ToLower(info), "gpu") {
		t.Errorf("completion docs = %q, want the gpu field's documentation", info)
	}
	screenshot(t, ctx, "completion")
	// CodeMirror ignores Enter for 75 ms after the popup opens (its
	// interactionDelay, against accidental picks); no page state shows when
	// that time is over, so wait it out.
	run(t, ctx, "accept", chromedp.Sleep(150*time.Millisecond), pressEnter())
	got := docText(t, ctx)
	if !strings.Contains(got, `"gpu": true}}`) {
		t.Fatalf("after accepting: %q, want the gpu snippet inserted", got)
	}
	sel := eval[string](t, ctx, `(() => { const s = jobkitEditor.view.state.selection.main; return jobkitEditor.view.state.sliceDoc(s.from, s.to); })()`)
	if sel != "true" {
		t.Errorf("after the snippet the selection is %q, want its placeholder \"true\"", sel)
	}
	res := linted(t, ctx)
	if want := core.Lint([]byte(got), core.Options{}); len(res.Diagnostics) != len(want.Diagnostics) {
		t.Errorf("after completion the page shows %d diagnostics, core %d (stale build? run web/build.sh)", len(res.Diagnostics), len(want.Diagnostics))
	}
}

// TestFormat formats with the button and with Shift+Alt+F, and checks the
// outline.
func TestFormat(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	ugly := `{"version":"0.1","type":"container","ops":[{"id":"🚀","type":"container/run","args":{"image":"ubuntu:22.04"}}]}`
	want, err := intel.Format([]byte(ugly))
	if err != nil {
		t.Fatal(err)
	}
	if string(want) == ugly {
		t.Fatal("test input is already formatted")
	}
	changed := poll(`jobkitEditor.view.state.doc.toString() !== `+mustJSON(ugly), chromedp.WithPollingTimeout(10*time.Second))
	setText(t, ctx, ugly)
	run(t, ctx, "click Format", chromedp.Click(chromedp.CSS("#btn-format")), changed)
	if got := docText(t, ctx); got != string(want) {
		t.Fatalf("Format button gives %q, want %q", got, want)
	}
	run(t, ctx, "reset, then Shift+Alt+F",
		chromedp.Click(chromedp.CSS(".cm-content")),
		js(`jobkitEditor.view.dispatch({changes: {from: 0, to: jobkitEditor.view.state.doc.length, insert: `+mustJSON(ugly)+`}})`),
		chromedp.KeyEvent("F", chromedp.KeyModifiers(chromedp.ModifierAlt, chromedp.ModifierShift)),
		changed)
	if got := docText(t, ctx); got != string(want) {
		t.Fatalf("Shift+Alt+F gives %q, want %q", got, want)
	}
	run(t, ctx, "outline", poll(`jobkitEditor.outlineDoc === jobkitEditor.view.state.doc`))
	names := eval[string](t, ctx, `[...document.querySelectorAll("#outline .jk-symbol")].map(e => e.textContent).join("|")`)
	if !strings.Contains(names, "🚀") {
		t.Errorf("outline = %q, want the op 🚀 in it", names)
	}
	screenshot(t, ctx, "formatted")
}

// shareText exercises the share format: non-ASCII, tabs, escapes, a long
// repeated run that deflate compresses. (No CR: CodeMirror keeps lines
// split on \n, so a CRLF file is shared with LF line ends.)
const shareText = "{\n\t\"name\": \"été 🚀 \\u00e9\",\n  \"ops\": [" + `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"` + "]\n}\n"

// TestShareLink: the Share button's link decodes in Go to the same text,
// opens in a fresh browser to the same text, and a link made by Go opens in
// the browser too.
func TestShareLink(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	setText(t, ctx, shareText)
	run(t, ctx, "share", chromedp.Click(chromedp.CSS("#btn-share")),
		poll(`document.getElementById("share-link").value.includes("#2")`))
	link := eval[string](t, ctx, `document.getElementById("share-link").value`)
	if !strings.HasPrefix(link, url+"#2") {
		t.Fatalf("share link %q does not start with %q", link, url+"#2")
	}
	got, err := share.Decode(link)
	if err != nil {
		t.Fatalf("Go cannot decode the browser's link: %v", err)
	}
	if string(got) != shareText {
		t.Fatalf("Go decodes %q, want %q", got, shareText)
	}
	// Keep the link: internal/share/testdata pins one made this way.
	dir := filepath.Join(repoRoot, "build", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		os.WriteFile(filepath.Join(dir, "share-link.txt"), []byte(link+"\n"), 0o644)
	}
	screenshot(t, ctx, "share")

	other := browser(t, 60*time.Second) // a new profile: nothing in localStorage
	open(t, other, link)
	if got := docText(t, other); got != shareText {
		t.Fatalf("opening the link shows %q, want %q", got, shareText)
	}
	goText := "{\"from\": \"Go ✓\"}\n"
	open(t, other, url+share.Encode([]byte(goText)))
	if got := docText(t, other); got != goText {
		t.Fatalf("opening a link made by share.Encode shows %q, want %q", got, goText)
	}
}

// TestReloadKeepsState: the job and the format choice survive a reload.
func TestReloadKeepsState(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	text := `{"Job": {"ID": "keep-me", "TaskGroups": []}}`
	setText(t, ctx, text)
	run(t, ctx, "choose Nosana", js(`document.getElementById("format").value = "nosana"; document.getElementById("format").dispatchEvent(new Event("change"))`))
	res := linted(t, ctx)
	if res.Format != "nosana" || res.Detected != "nomad" {
		t.Errorf("forced Nosana: format %q, detected %q", res.Format, res.Detected)
	}
	run(t, ctx, "reload", js(`dispatchEvent(new Event("pagehide"))`))
	open(t, ctx, url)
	if got := docText(t, ctx); got != text {
		t.Fatalf("after reload: %q, want %q", got, text)
	}
	if f := eval[string](t, ctx, `document.getElementById("format").value`); f != "nosana" {
		t.Errorf("after reload the format switch is %q, want nosana", f)
	}
}

// TestSameOriginOnly: everything the page loads comes from the jobkit
// server, so it works without any network beyond localhost.
func TestSameOriginOnly(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	names := eval[[]string](t, ctx, `performance.getEntriesByType("resource").map(e => e.name)`)
	if len(names) < 3 {
		t.Fatalf("only %d resources seen: %v", len(names), names)
	}
	for _, n := range names {
		if !strings.HasPrefix(n, url) && !strings.HasPrefix(n, "data:") && !strings.HasPrefix(n, "blob:") {
			t.Errorf("the page loads %s from outside the jobkit server", n)
		}
	}
}

// TestHover shows the field's documentation when the mouse rests on a key.
func TestHover(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	text := "{\n  \"version\": \"0.1\",\n  \"type\": \"container\",\n  \"ops\": [\n    {\"id\": \"a\", \"type\": \"container/run\", \"args\": {\"image\": \"ubuntu:22.04\", \"gpu\": true}}\n  ]\n}\n"
	setText(t, ctx, text)
	at := strings.Index(text, `"gpu"`) + 2
	want := intel.Hover([]byte(text), at, core.Options{})
	if want == nil {
		t.Fatal("intel has no hover for gpu")
	}
	hoverUntil(t, ctx, at, ".cm-tooltip-hover .jk-hover")
	got := eval[string](t, ctx, `document.querySelector(".cm-tooltip-hover .jk-hover").textContent`)
	// The Markdown is rendered, so compare words, not markup.
	firstWords := strings.Fields(strings.NewReplacer("`", "", "*", "", "#", "").Replace(want.Markdown))
	if len(firstWords) > 4 {
		firstWords = firstWords[:4]
	}
	if !strings.Contains(got, strings.Join(firstWords, " ")) {
		t.Errorf("hover shows %q, want the docs starting %q", got, strings.Join(firstWords, " "))
	}
	screenshot(t, ctx, "hover")
}

// TestExamplesMenu lists the welcome job and every examples/*.json, and
// opening one shows that file.
func TestExamplesMenu(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot, "examples", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	n := eval[int](t, ctx, `document.querySelectorAll("#examples option[value]:not([value=''])").length`)
	if n != 1+len(files) {
		t.Fatalf("examples menu has %d entries, want the welcome job + %d examples (rebuild with web/build.sh?)", n, len(files))
	}
	if len(files) == 0 {
		return
	}
	last := files[len(files)-1]
	want, err := os.ReadFile(last)
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "pick the last example", js(`const s = document.getElementById("examples"); s.value = "`+itoa(len(files))+`"; s.dispatchEvent(new Event("change"))`))
	if got := docText(t, ctx); got != string(want) {
		t.Fatalf("picking %s shows %.80q", filepath.Base(last), got)
	}
	if name := eval[string](t, ctx, `document.getElementById("filename").value`); name != filepath.Base(last) {
		t.Errorf("download name = %q, want %q", name, filepath.Base(last))
	}
	res := linted(t, ctx)
	if want := core.Lint(want, core.Options{}); res.Detected != string(want.Detected) {
		t.Errorf("detected %q, core says %q", res.Detected, want.Detected)
	}
}

// TestOpenFile loads a job through the Open… button's file input.
func TestOpenFile(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	path := filepath.Join(t.TempDir(), "my-job.json")
	text := "{\"Job\": {\"ID\": \"from-disk ✓\", \"TaskGroups\": []}}\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "choose the file",
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path}),
		poll(`jobkitEditor.view.state.doc.toString().includes("from-disk")`, chromedp.WithPollingTimeout(10*time.Second)))
	if got := docText(t, ctx); got != text {
		t.Errorf("opened file shows %q, want %q", got, text)
	}
	if name := eval[string](t, ctx, `document.getElementById("filename").value`); name != "my-job.json" {
		t.Errorf("download name = %q, want my-job.json", name)
	}
	if res := linted(t, ctx); res.Detected != "nomad" {
		t.Errorf("detected %q, want nomad", res.Detected)
	}
}

// TestDamagedShareLink says what is wrong instead of breaking the page.
func TestDamagedShareLink(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url+"#1AAAA_not-deflate")
	notice := eval[string](t, ctx, `document.getElementById("notice").textContent`)
	if !strings.Contains(notice, "damaged") {
		t.Errorf("notice = %q, want it to say the link is damaged", notice)
	}
	welcome, err := os.ReadFile(filepath.Join(repoRoot, "web", "welcome.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := docText(t, ctx); got != string(welcome) {
		t.Errorf("after a damaged link the editor shows %.60q, want the welcome job", got)
	}
}
