package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/intel"
)

// grant gives the tab's browser context a permission (clipboard-read…) on
// the page's origin.
func grant(name, origin string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission:       &cdpbrowser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true},
			Setting:          cdpbrowser.PermissionSettingGranted,
			Origin:           strings.TrimSuffix(origin, "/"),
			BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
		})
		return err
	})
}

// TestDownload saves the job with the Download button under the name in
// the file name box, byte for byte.
func TestDownload(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	text := "{\"Job\": {\"ID\": \"down ✓\", \"TaskGroups\": []}}\n"
	setText(t, ctx, text)
	dir := t.TempDir()
	run(t, ctx, "allow downloads", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior:         cdpbrowser.SetDownloadBehaviorBehaviorAllow,
			DownloadPath:     dir,
			BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
		})
		return err
	}))
	run(t, ctx, "name the file, click Download",
		js(`document.getElementById("filename").value = "saved-job.json"`),
		chromedp.Click(chromedp.CSS("#btn-download")),
		poll(`jobkitEditor.downloads === 1`, chromedp.WithPollingTimeout(10*time.Second)))
	path := filepath.Join(dir, "saved-job.json")
	var got []byte
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if err == nil && len(b) == len(text) {
			got = b
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dir)
			t.Fatalf("no complete %s after 20 s (read: %v; directory holds %v)", path, err, entries)
		}
		time.Sleep(50 * time.Millisecond) // the file appears outside the page: poll the disk
	}
	if string(got) != text {
		t.Errorf("downloaded %q, want %q", got, text)
	}
}

// TestCopy puts the job on the clipboard with the Copy button and says so.
func TestCopy(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	text := "{\"Job\": {\"ID\": \"copy ✓\", \"TaskGroups\": []}}\n"
	setText(t, ctx, text)
	run(t, ctx, "allow the clipboard", grant("clipboard-read", url), grant("clipboard-write", url))
	run(t, ctx, "click Copy", chromedp.Click(chromedp.CSS("#btn-copy")),
		poll(`!document.getElementById("notice").hidden`, chromedp.WithPollingTimeout(10*time.Second)))
	if n := eval[string](t, ctx, `document.getElementById("notice").textContent`); n != "Job copied." {
		t.Fatalf("notice after Copy = %q, want \"Job copied.\"", n)
	}
	run(t, ctx, "focus the page", chromedp.Click(chromedp.CSS(".cm-content")))
	if got := eval[string](t, ctx, `navigator.clipboard.readText()`); got != text {
		t.Errorf("clipboard holds %q, want the job %q", got, text)
	}
}

// fixableJob has two problems with safe fixes (a trailing comma, a missing
// comma) and one without.
const fixableJob = `{
  "version": "0.1",
  "type": "container"
  "ops": [
    {"id": "a", "type": "container/run", "args": {"image": "ubuntu:22.04", "gpu": true,}}
  ]
}
`

// TestFixAll applies every safe fix with the button: the page ends with
// what the core's FixAll gives, and says how many it applied.
func TestFixAll(t *testing.T) {
	url := serve(t)
	ctx := browser(t, 60*time.Second)
	open(t, ctx, url)
	want, applied := intel.FixAll([]byte(fixableJob), core.Options{})
	if applied < 2 {
		t.Fatalf("the core applies %d fixes to the test job, want at least 2", applied)
	}
	setText(t, ctx, fixableJob)
	run(t, ctx, "click Fix all", chromedp.Click(chromedp.CSS("#btn-fixall")),
		poll(`jobkitEditor.view.state.doc.toString() !== `+mustJSON(fixableJob), chromedp.WithPollingTimeout(10*time.Second)))
	if got := docText(t, ctx); got != string(want) {
		t.Fatalf("after Fix all the job is %q, want %q", got, want)
	}
	if n := eval[string](t, ctx, `document.getElementById("notice").textContent`); !strings.Contains(n, "Applied "+itoa(applied)+" fixes") {
		t.Errorf("notice = %q, want it to say %d fixes were applied", n, applied)
	}
	res := linted(t, ctx)
	for _, d := range res.Diagnostics {
		if d.Rule == "json-trailing-comma" || d.Rule == "json-missing-comma" {
			t.Errorf("%s still reported after Fix all", d.Rule)
		}
	}
	// Undo brings the job back in one step.
	run(t, ctx, "undo", chromedp.Click(chromedp.CSS(".cm-content")), chromedp.KeyEvent("z", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	if got := docText(t, ctx); got != fixableJob {
		t.Errorf("after Ctrl+Z the job is %q, want the original", got)
	}
}
