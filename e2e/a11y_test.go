package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeViolation is one rule axe-core reports as violated, with the elements.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// axeSerious injects axe-core (the npm devDependency, node_modules/axe-core)
// and returns the serious and critical violations on the page as it is.
func axeSerious(tb testing.TB, ctx context.Context) []axeViolation {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot, "node_modules", "axe-core", "axe.min.js"))
	need(tb, err == nil, "node_modules/axe-core is missing (run npm ci)")
	if !eval[bool](tb, ctx, `typeof window.axe === "object"`) {
		run(tb, ctx, "inject axe-core", js(string(src)))
	}
	out := eval[string](tb, ctx, `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`)
	var all []axeViolation
	if err := json.Unmarshal([]byte(out), &all); err != nil {
		tb.Fatalf("decode axe results: %v", err)
	}
	var bad []axeViolation
	for _, v := range all {
		if v.Impact == "serious" || v.Impact == "critical" {
			bad = append(bad, v)
		}
	}
	return bad
}

func reportAxe(tb testing.TB, state string, bad []axeViolation) {
	tb.Helper()
	for _, v := range bad {
		var where []string
		for _, n := range v.Nodes {
			b, _ := json.Marshal(n.Target)
			where = append(where, string(b))
		}
		tb.Errorf("%s: axe %s (%s): %s at %s", state, v.ID, v.Impact, v.Help, strings.Join(where, ", "))
	}
}

// TestAccessibility runs axe-core on the page in the states people see: the
// first visit in light and dark, with problems, with the completion list
// open, the keyboard fix menu open, and on a phone. None may have a serious
// or critical violation.
func TestAccessibility(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 120*time.Second)
	open(t, ctx, url)
	reportAxe(t, "first visit, light", axeSerious(t, ctx))
	run(t, ctx, "dark", darkMode(true))
	reportAxe(t, "first visit, dark", axeSerious(t, ctx))
	run(t, ctx, "light", darkMode(false))

	setText(t, ctx, twoFixJob)
	reportAxe(t, "with problems", axeSerious(t, ctx))

	at := strings.Index(twoFixJob, `"gpus"`) + 2
	run(t, ctx, "open the fix menu",
		js(`jobkitEditor.view.dispatch({selection: {anchor: `+itoa(at)+`}})`),
		chromedp.KeyEvent(".", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS(".jk-menu .jk-menu-item")))
	reportAxe(t, "fix menu open", axeSerious(t, ctx))

	text := "{\n  \"version\": \"0.1\",\n  \"type\": \"container\",\n  \"ops\": [\n    {\"id\": \"a\", \"type\": \"container/run\", \"args\": {\"image\": \"ubuntu:22.04\", \"\"}}\n  ]\n}\n"
	setText(t, ctx, text)
	run(t, ctx, "open completion",
		js(`jobkitEditor.view.dispatch({selection: {anchor: `+itoa(strings.Index(text, `""}}`)+1)+`}})`),
		chromedp.KeyEvent(" ", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS(".cm-tooltip-autocomplete li")))
	reportAxe(t, "completion open", axeSerious(t, ctx))

	run(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	open(t, ctx, url)
	reportAxe(t, "phone", axeSerious(t, ctx))
}

// TestPhone: on a 390×844 phone the toolbar is one compact row, and a tap in
// the editor does not scroll the page or the editor sideways.
func TestPhone(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	run(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	open(t, ctx, url)
	if h := eval[float64](t, ctx, `document.querySelector(".bar").getBoundingClientRect().height`); h > 60 {
		t.Errorf("toolbar is %.0f px tall on a phone, want at most 60", h)
	}
	run(t, ctx, "tap the end of a long line", chromedp.Func(func(c context.Context, tg *chromedp.Target) error {
		xy := eval[[]float64](t, c, `(() => { const v = jobkitEditor.view, l = v.state.doc.line(3); const r = v.coordsAtPos(l.to, -1) || v.coordsAtPos(l.from, 1); return [Math.min(r.left, innerWidth - 10), (r.top + r.bottom) / 2]; })()`)
		return chromedp.Do(c, chromedp.TapXY(xy[0], xy[1]))
	}))
	run(t, ctx, "let the tap settle", poll(`jobkitEditor.view.hasFocus`, chromedp.WithPollingTimeout(10*time.Second)))
	sideways := eval[[]float64](t, ctx, `[document.scrollingElement.scrollLeft, jobkitEditor.view.scrollDOM.scrollLeft, document.documentElement.scrollWidth - innerWidth]`)
	if sideways[0] != 0 || sideways[1] != 0 || sideways[2] > 0 {
		t.Errorf("after a tap: page scrollLeft %v, editor scrollLeft %v, page wider than the screen by %v px; want 0, 0, 0", sideways[0], sideways[1], sideways[2])
	}
	screenshot(t, ctx, "phone")
}
