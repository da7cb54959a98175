package resource

import (
	"strings"
	"testing"
	"time"
)

// clock returns a fake time source advancing by step on each call.
func clock(step time.Duration) func() time.Time {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(step)
		return t
	}
}

func progressRun() []Update {
	r := "hf:acme/tiny@main"
	return []Update{
		{Resource: r, Phase: Started, Files: 2, Total: 3_000_000, FileSize: -1},
		{Resource: r, Phase: Downloading, File: "model.bin", FileBytes: 1_000_000, FileSize: 2_500_000, Bytes: 1_000_000, Total: 3_000_000, Files: 2},
		{Resource: r, Phase: Retrying, File: "model.bin", FileSize: -1, Bytes: 0, Total: 3_000_000, Files: 2},
		{Resource: r, Phase: FileDone, File: "model.bin", FileBytes: 2_500_000, FileSize: 2_500_000, Bytes: 2_500_000, Total: 3_000_000, FilesDone: 1, Files: 2},
		{Resource: r, Phase: FileDone, File: "config.json", FileBytes: 500_000, FileSize: 500_000, Bytes: 3_000_000, Total: 3_000_000, FilesDone: 2, Files: 2},
		{Resource: r, Phase: Done, FileSize: -1, Bytes: 3_000_000, Total: 3_000_000, FilesDone: 2, Files: 2},
		{Resource: r, Phase: Cached, FileSize: -1, Files: 2, FilesDone: 2},
	}
}

func TestLinesPrinter(t *testing.T) {
	var out strings.Builder
	p := &lines{w: &out, every: 0, now: clock(time.Second)}
	for _, u := range progressRun() {
		p.Update(u)
	}
	want := `hf:acme/tiny@main: downloading 2 files (3.0 MB)
hf:acme/tiny@main: model.bin 1.0 MB/2.5 MB (40%)
hf:acme/tiny@main: model.bin failed, retrying
hf:acme/tiny@main: model.bin 2.5 MB done (1/2)
hf:acme/tiny@main: config.json 500.0 kB done (2/2)
hf:acme/tiny@main: done, 2 files, 3.0 MB in 2s, 1.5 MB/s
hf:acme/tiny@main: cached (2 files)
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestBarPrinter(t *testing.T) {
	var out strings.Builder
	p := &bar{w: &out, now: clock(time.Second)}
	for _, u := range progressRun()[:6] {
		p.Update(u)
	}
	frames := strings.Split(out.String(), "\r")
	if len(frames) != 7 || frames[0] != "" {
		t.Fatalf("want 6 redrawn frames, got %q", out.String())
	}
	for i, want := range []string{
		"hf:acme/tiny@main [--------------------]   0% 0 B/3.0 MB 0/2 files",
		"hf:acme/tiny@main [######--------------]  33% 1.0 MB/3.0 MB 500.0 kB/s 0/2 files",
		"hf:acme/tiny@main [--------------------]   0% 0 B/3.0 MB 0/2 files",
		"hf:acme/tiny@main [################----]  83% 2.5 MB/3.0 MB 625.0 kB/s 1/2 files",
		"hf:acme/tiny@main [####################] 100% 3.0 MB/3.0 MB 600.0 kB/s 2/2 files",
		"hf:acme/tiny@main [####################] 100% 3.0 MB/3.0 MB 500.0 kB/s 2/2 files",
	} {
		got := strings.TrimRight(frames[i+1], " \n")
		if got != want {
			t.Errorf("frame %d = %q\nwant      %q", i, got, want)
		}
	}
	// A shorter frame blanks the rest of the longer one before it.
	if !strings.HasPrefix(frames[3], "hf:acme/tiny@main [--------------------]   0% 0 B/3.0 MB 0/2 files         ") {
		t.Errorf("frame 2 does not blank the previous, longer line: %q", frames[3])
	}
	if !strings.HasSuffix(out.String(), "\n") {
		t.Error("the bar does not end its line when done")
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 1_234_567: "1.2 MB", 5_000_000_000: "5.0 GB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
