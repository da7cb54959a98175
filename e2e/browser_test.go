// Package e2e drives the browser editor in a real headless Chromium through
// chromedp, against the page served by internal/webui on 127.0.0.1.
//
// It needs the editor built into internal/webui/dist (`web/build.sh`, run by
// `make build`) and a Chromium on PATH (`apt-get install -y chromium`).
// Without either the tests skip, unless CI=true, where they fail.
// Screenshots land in build/screenshots/.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/jobkit-dev/jobkit/internal/webui"
)

// repoRoot is the repository root, seen from this package's directory.
const repoRoot = ".."

// need fails under CI and skips otherwise: browser tests must run in CI.
func need(tb testing.TB, ok bool, what string) {
	tb.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s (required when CI=true)", what)
	}
	tb.Skipf("%s; skipping (set CI=true to make this a failure)", what)
}

func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// serve starts the editor's HTTP handler on a free 127.0.0.1 port. With
// JOBKIT_E2E_DIST set it serves that directory (a dist/ built from another
// commit, for before/after benchmarks) instead of the embedded build.
func serve(tb testing.TB) string {
	tb.Helper()
	h := webui.Handler()
	if dir := os.Getenv("JOBKIT_E2E_DIST"); dir != "" {
		h = webui.NewHandler(os.DirFS(dir))
	} else {
		need(tb, webui.Built(), "the editor is not built into internal/webui/dist (run web/build.sh)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return webui.URL(ln.Addr())
}

// The browser is started once for the package; each test gets its own tab
// in its own browser context (fresh cookies and localStorage, as a new
// profile would have).
var (
	browserOnce   sync.Once
	browserRoot   context.Context
	browserErr    error
	browserCancel = func() {}
)

func TestMain(m *testing.M) {
	code := m.Run()
	browserCancel()
	os.Exit(code)
}

// browserOptions are the flags of every headless Chromium the tests start
// (BenchmarkFirstDiagnostics starts one per fresh profile), with dir as its
// profile.
func browserOptions(exe, dir string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 800),
	)
}

func startBrowser(tb testing.TB, exe, dir string) {
	ctx, cancel, err := startChromium(tb, exe, dir)
	browserCancel = func() {
		cancel()
		os.RemoveAll(dir)
	}
	browserRoot, browserErr = ctx, err
}

// startChromium starts a headless Chromium with dir as its profile and
// returns the context of its first tab, in which the browser lives, and
// the cancel that stops it. Now and then (about one start in sixty on
// these machines) Chromium exits before its DevTools endpoint is up, with
// nothing in its log but the usual warnings: the start is then tried again
// with the profile emptied, three times in all, and each failure logged.
func startChromium(tb testing.TB, exe, dir string) (context.Context, func(), error) {
	tb.Helper()
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), browserOptions(exe, dir)...)
		ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithErrorf(func(string, ...any) {}))
		cancel := func() {
			cancelCtx()
			cancelAlloc()
		}
		if err = chromedp.Do(ctx); err == nil {
			return ctx, cancel, nil
		}
		cancel()
		tb.Logf("start chromium (attempt %d of 3): %v", attempt, err)
		os.RemoveAll(dir)
		if e := os.MkdirAll(dir, 0o700); e != nil {
			return nil, func() {}, e
		}
	}
	return nil, func() {}, err
}

// browser returns a new tab in a fresh browser context of the shared
// headless Chromium; its actions fail after timeout.
func browser(tb testing.TB, timeout time.Duration) context.Context {
	tb.Helper()
	exe := findChromium()
	need(tb, exe != "", "no chromium on PATH (apt-get install -y chromium)")
	browserOnce.Do(func() {
		dir, err := os.MkdirTemp("", "jobkit-e2e-profile-")
		if err != nil {
			browserErr = err
			return
		}
		startBrowser(tb, exe, dir)
	})
	if browserErr != nil {
		tb.Fatalf("start chromium: %v", browserErr)
	}
	// The timeouts the tests name are what a quiet machine needs; on a
	// 2-vCPU machine shared with builds (load 20+) a cold start alone takes
	// 40 s. Each step has its own, shorter timeout, so a hang still shows
	// where it happened.
	ctx, cancel := newTab(tb, 3*timeout)
	tb.Cleanup(cancel)
	return ctx
}

// newTab opens a tab in a fresh browser context of the running browser;
// cancel closes it (benchmarks that open many close each when done).
func newTab(tb testing.TB, timeout time.Duration) (context.Context, func()) {
	tb.Helper()
	tab, cancelTab := chromedp.NewContext(browserRoot, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(tab); err != nil {
		cancelTab()
		tb.Fatalf("open a tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(tab, timeout)
	cancel := func() {
		cancelTimeout()
		cancelTab()
	}
	run(tb, ctx, "set the window size", chromedp.EmulateViewport(1280, 660))
	return ctx, cancel
}

// run runs chromedp actions and fails the test on error.
func run(tb testing.TB, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

// step runs chromedp actions with their own timeout (within the test's),
// so one stuck wait cannot use up the whole test's time; it returns the
// error for the caller to retry or report.
func step(ctx context.Context, timeout time.Duration, actions ...chromedp.Action[chromedp.Void]) error {
	c, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return chromedp.Do(c, actions...)
}

// poll waits until a JavaScript expression is truthy. It evaluates every
// 50 ms rather than on animation frames (chromedp's default): a tab that
// the browser counts as hidden gets no frames, and the wait never ends.
func poll(expr string, opts ...chromedp.PollOption) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, append([]chromedp.PollOption{chromedp.WithPollingInterval(50 * time.Millisecond)}, opts...)...)
}

// eval evaluates a JavaScript expression (awaiting a promise) and decodes
// its value.
func eval[T any](tb testing.TB, ctx context.Context, js string) T {
	tb.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.Fatalf("evaluate %s: %v", firstLine(js), err)
	}
	return v
}

// js runs a JavaScript statement whose value does not matter.
func js(script string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](script+";undefined", chromedp.EvalAwaitPromise)
}

// insertText types text as one input event, like a paste or an IME commit.
func insertText(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}

// open loads the editor and waits until the core has linted the document.
// If that does not happen it fails with what the page shows, so that a
// slow machine and a broken page can be told apart.
func open(tb testing.TB, ctx context.Context, url string) {
	tb.Helper()
	run(tb, ctx, "open "+url, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(".cm-content")))
	err := step(ctx, 90*time.Second, poll(`window.jobkitEditor && jobkitEditor.lints > 0 && !document.getElementById("version").textContent.startsWith("loading")`))
	if err != nil {
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({lints: window.jobkitEditor?.lints, version: document.getElementById("version")?.textContent, notice: document.getElementById("notice")?.textContent, problems: document.getElementById("problems")?.textContent.slice(0, 200), t: performance.now()})`))
		tb.Fatalf("open %s: no lint shown: %v; page state %s", url, err, state)
	}
}

// setText replaces the document the way a user pasting or typing would:
// select everything, then insert the text through the browser's input
// pipeline (Input.insertText), and waits for the lint of the new text.
func setText(tb testing.TB, ctx context.Context, text string) lintResult {
	tb.Helper()
	run(tb, ctx, "focus the editor",
		chromedp.Click(chromedp.CSS(".cm-content")),
		js(`jobkitEditor.view.dispatch({selection: {anchor: 0, head: jobkitEditor.view.state.doc.length}})`),
		insertText(text),
	)
	if got := docText(tb, ctx); got != text {
		tb.Fatalf("editor holds %q after typing, want %q", got, text)
	}
	return linted(tb, ctx)
}

// docText returns the editor's document.
func docText(tb testing.TB, ctx context.Context) string {
	tb.Helper()
	return eval[string](tb, ctx, `jobkitEditor.view.state.doc.toString()`)
}

// lintResult mirrors the page's view of a lint (bridge.LintResult).
type lintResult struct {
	Format      string `json:"format"`
	Detected    string `json:"detected"`
	Diagnostics []struct {
		From, To, Line, Column  int
		Severity, Rule, Message string
		Fixes                   []struct {
			Title string
			Safe  bool
		}
	} `json:"diagnostics"`
	Counts [3]int `json:"counts"`
}

// linted waits for the lint of the current document and returns it.
func linted(tb testing.TB, ctx context.Context) lintResult {
	tb.Helper()
	s := eval[string](tb, ctx, `jobkitEditor.whenLinted().then(r => JSON.stringify(r))`)
	var res lintResult
	if err := json.Unmarshal([]byte(s), &res); err != nil {
		tb.Fatalf("decode lint result: %v", err)
	}
	return res
}

// screenshot saves a PNG of the viewport under build/screenshots/.
func screenshot(tb testing.TB, ctx context.Context, name string) {
	tb.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.Fatalf("screenshot: %v", err)
	}
	dir := filepath.Join(repoRoot, "build", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("screenshot: %s", path)
}

// darkMode makes the page see prefers-color-scheme: dark.
func darkMode(dark bool) chromedp.Action[chromedp.Void] {
	v := "light"
	if dark {
		v = "dark"
	}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}},
		})
		return err
	})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return string(b)
}

func fmtInt(n int) string { return fmt.Sprint(n) }

// pressEnter presses Enter once. chromedp.KeyEvent("\r") also sends a char
// event, which types a newline even when the page handled the key (for
// example when it accepted a completion).
func pressEnter() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
			p := input.DispatchKeyEventParams{Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
			if typ == input.DispatchKeyEventTypeKeyDown {
				p.Text = "\r"
			}
			if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, p); err != nil {
				return err
			}
		}
		return nil
	})
}
