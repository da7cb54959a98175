package intel

import (
	"strings"
	"testing"
	"time"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
)

func hoverAt(t *testing.T, s string) ([]byte, *HoverInfo) {
	t.Helper()
	text, off := marked(t, s)
	h := Hover(text, off, core.Options{})
	if h != nil {
		checkEdit(t, text, diag.TextEdit{Range: h.Range})
	}
	return text, h
}

func TestHover(t *testing.T) {
	fixed := time.Date(2026, 3, 2, 10, 7, 0, 0, time.UTC) // a Monday
	now = func() time.Time { return fixed }
	defer func() { now = time.Now }()

	const nosana = `{"version":"0.1","type":"container","global":{"gpu":true,"entrypoint":["/bin/bash","-c"]},"ops":[`
	tests := []struct {
		name, text string
		covers     string   // the hovered range's text
		want       []string // substrings of the Markdown
	}{
		{"nosana key doc", `{"ops":[{"type":"container/run","args":{"im|age":"x"}}]}`, `"image"`,
			[]string{"**image**", "a string", "image"}},
		{"nosana key without op type", `{"ops":[{"args":{"gp|u":true}}]}`, `"gpu"`, []string{"**gpu**", "true or false", "GPU"}},
		{"effective gpu from global", nosana + `{"id":"a","type":"container/run","args":{"image":"x","gpu":fa|lse}}]}`, "false",
			[]string{"Effective value: `true`", "global.gpu"}},
		{"effective work_dir", nosana + `{"id":"a","type":"container/run","args":{"image":"x","cmd":["ls"],"work_dir":"/w|"}}]}`, `"/w"`,
			[]string{"Effective value: `/w`"}},
		{"effective entrypoint", `{"version":"0.1","type":"container","global":{"entrypoint":["/bin/ba|sh","-c"]},"ops":[{"id":"a","type":"container/run","args":{"image":"x"}},{"id":"b","type":"container/run","args":{"image":"x","entrypoint":"/bin/sh -c"}}]}`,
			`"/bin/bash"`, []string{"- `a`: `[\"/bin/bash\", \"-c\"]` (from `global.entrypoint`)", "- `b`: `[\"/bin/sh -c\"]`", "not split on spaces"}},
		{"string cmd", nosana + `{"id":"a","type":"container/run","args":{"image":"x","cmd":"echo |hi"}}]}`, `"echo hi"`,
			[]string{`["/bin/sh", "-c", "echo hi"]`}},
		{"literal target result", nosana + `{"id":"a","type":"container/run","args":{"image":"x"},"results":{"loss":"loss=(\\d+)"}},` +
			`{"id":"b","type":"container/run","args":{"image":"x","cmd":["echo","x %%ops.a.res|ults.loss%%"]}}]}`, `%%ops.a.results.loss%%`,
			[]string{"op `a`", "ops[0]", "loss=(\\d+)"}},
		{"literal to a missing op", nosana + `{"id":"b","type":"container/run","args":{"image":"x","cmd":["%%ops.zz.h|ost%%"]}}]}`, `%%ops.zz.host%%`,
			[]string{"no op has id `zz`"}},
		{"literal global variable", `{"version":"0.1","type":"container","global":{"variables":{"K":"v1"}},"ops":[{"id":"b","type":"container/run","args":{"image":"x","env":{"A":"%%global.variables.|K%%"}}}]}`,
			`%%global.variables.K%%`, []string{"`v1`"}},
		{"depends_on target", `{"ops":[{"id":"a","type":"container/run","args":{"image":"nginx"}},{"id":"b","execution":{"depends_on":["|a"]}}]}`, `"a"`,
			[]string{"Waits for op `a` (ops[0], container/run nginx)"}},
		{"depends_on unknown", `{"ops":[{"id":"b","execution":{"depends_on":["zz|"]}}]}`, `"zz"`, []string{"No op has id `zz`"}},
		{"nomad duration value", `{"Job":{"ID":"x","TaskGroups":[{"RestartPolicy":{"Delay":30|0000000000}}]}}`, "300000000000",
			[]string{"**5m**"}},
		{"nomad duration key", `{"Job":{"ID":"x","TaskGroups":[{"RestartPolicy":{"De|lay":90000000000}}]}}`, `"Delay"`,
			[]string{"**Delay**", "nanoseconds", "**1m30s**"}},
		{"nomad seconds for nanoseconds", `{"Job":{"ID":"x","Update":{"MinHealthyTime":3|0}}}`, "30",
			[]string{"under a millisecond", "30000000000"}},
		{"nomad cron", `{"Job":{"ID":"x","Type":"batch","Periodic":{"Spec":"*/15 * * |* *"}}}`, `"*/15 * * * *"`,
			[]string{"Next runs (UTC)", "2026-03-02 10:15:00", "2026-03-02 10:30:00", "2026-03-02 10:45:00"}},
		{"nomad cron in a time zone", `{"Job":{"ID":"x","Type":"batch","Periodic":{"Spec":"0 9 * * *","TimeZone":"UTC","Specs":["30 8 * * 1|"]}}}`, `"30 8 * * 1"`,
			[]string{"2026-03-09 08:30:00"}},
		{"nomad bad cron", `{"Job":{"ID":"x","Periodic":{"Spec":"* * |*"}}}`, `"* * *"`, []string{"Invalid cron spec"}},
		{"nomad enum value doc", `{"Job":{"ID":"x","Ty|pe":"batch"}}`, `"Type"`, []string{"**Type**", "a string"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, h := hoverAt(t, tt.text)
			if tt.want == nil {
				return
			}
			if h == nil {
				t.Fatalf("no hover")
			}
			if got := string(text[h.Range.Start.Offset:h.Range.End.Offset]); got != tt.covers {
				t.Errorf("range covers %q, want %q", got, tt.covers)
			}
			for _, w := range tt.want {
				if !strings.Contains(h.Markdown, w) {
					t.Errorf("hover lacks %q:\n%s", w, h.Markdown)
				}
			}
		})
	}
}

func TestHoverGlobalFallback(t *testing.T) {
	_, h := hoverAt(t, `{"version":"0.1","type":"container","global":{"gpu":tr|ue},"ops":[{"id":"a","type":"container/run","args":{"image":"x"}},{"id":"v","type":"container/create-volume","args":{"name":"d"}}]}`)
	if h == nil || !strings.Contains(h.Markdown, "- `a`: `true`") || strings.Contains(h.Markdown, "`v`") {
		t.Errorf("want the effective gpu of run ops only, got %+v", h)
	}
}

func TestHoverNothing(t *testing.T) {
	for _, s := range []string{`|`, `{"ops": [|]}`, `{|}`, `{"a": 1} |`, `{"unknown-thing": |1}`} {
		if _, h := hoverAt(t, s); h != nil {
			t.Errorf("%s: got %+v, want nothing", s, h)
		}
	}
}
