package resource

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// NewBar returns a Progress that draws one self-overwriting line per resource
// on a terminal:
//
//	hf:org/model@main [#########-----------]  45% 1.2 GB/2.7 GB 35.1 MB/s 3/7 files
func NewBar(w io.Writer) Progress { return &bar{w: w, now: time.Now} }

type bar struct {
	w     io.Writer
	now   func() time.Time
	start time.Time
	width int // length of the last drawn line, to blank it
}

const barCells = 20

func (b *bar) Update(u Update) {
	switch u.Phase {
	case Started:
		b.start = b.now()
		b.draw(u)
	case Downloading, FileDone, Retrying:
		b.draw(u)
	case Done:
		b.draw(u)
		fmt.Fprintf(b.w, "\n")
		b.width = 0
	case Cached:
		fmt.Fprintf(b.w, "%s: cached (%d files)\n", u.Resource, u.Files)
	case Failed:
		if b.width > 0 {
			fmt.Fprintf(b.w, "\n")
		}
		fmt.Fprintf(b.w, "%s: failed\n", u.Resource)
		b.width = 0
	}
}

func (b *bar) draw(u Update) {
	var s strings.Builder
	s.WriteString(u.Resource)
	if u.Total > 0 {
		frac := min(float64(u.Bytes)/float64(u.Total), 1)
		full := int(frac * barCells)
		fmt.Fprintf(&s, " [%s%s] %3.0f%% %s/%s", strings.Repeat("#", full), strings.Repeat("-", barCells-full), frac*100, humanBytes(u.Bytes), humanBytes(u.Total))
	} else {
		fmt.Fprintf(&s, " %s", humanBytes(u.Bytes))
	}
	if el := b.now().Sub(b.start); el > 0 && u.Bytes > 0 {
		fmt.Fprintf(&s, " %s/s", humanBytes(int64(float64(u.Bytes)/el.Seconds())))
	}
	fmt.Fprintf(&s, " %d/%d files", u.FilesDone, u.Files)
	line := s.String()
	pad := ""
	if n := b.width - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	b.width = len(line)
	fmt.Fprintf(b.w, "\r%s%s", line, pad)
}

// NewLines returns a Progress that writes plain lines, for logs and
// non-terminals: one when the download starts, one per finished file, one at
// most every `every` for a file in progress, and one at the end.
func NewLines(w io.Writer, every time.Duration) Progress {
	return &lines{w: w, every: every, now: time.Now}
}

type lines struct {
	w     io.Writer
	every time.Duration
	now   func() time.Time
	start time.Time
	last  time.Time
}

func (l *lines) Update(u Update) {
	switch u.Phase {
	case Started:
		l.start = l.now()
		l.last = l.start
		size := "size unknown"
		if u.Total >= 0 {
			size = humanBytes(u.Total)
		}
		fmt.Fprintf(l.w, "%s: downloading %d files (%s)\n", u.Resource, u.Files, size)
	case Downloading:
		if now := l.now(); now.Sub(l.last) >= l.every {
			l.last = now
			fmt.Fprintf(l.w, "%s: %s %s\n", u.Resource, u.File, fraction(u.FileBytes, u.FileSize))
		}
	case FileDone:
		fmt.Fprintf(l.w, "%s: %s %s done (%d/%d)\n", u.Resource, u.File, humanBytes(u.FileBytes), u.FilesDone, u.Files)
	case Retrying:
		fmt.Fprintf(l.w, "%s: %s failed, retrying\n", u.Resource, u.File)
	case Done:
		el := l.now().Sub(l.start)
		rate := ""
		if s := el.Seconds(); s > 0 {
			rate = fmt.Sprintf(", %s/s", humanBytes(int64(float64(u.Bytes)/s)))
		}
		fmt.Fprintf(l.w, "%s: done, %d files, %s in %s%s\n", u.Resource, u.FilesDone, humanBytes(u.Bytes), el.Round(time.Millisecond), rate)
	case Cached:
		fmt.Fprintf(l.w, "%s: cached (%d files)\n", u.Resource, u.Files)
	case Failed:
		fmt.Fprintf(l.w, "%s: failed\n", u.Resource)
	}
}

func fraction(done, size int64) string {
	if size <= 0 {
		return humanBytes(done)
	}
	return fmt.Sprintf("%s/%s (%.0f%%)", humanBytes(done), humanBytes(size), float64(done)*100/float64(size))
}

// humanBytes formats n with a decimal unit: 999 B, 1.2 kB, 3.4 GB.
func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
