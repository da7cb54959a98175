package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"syscall"
	"time"

	"github.com/jobkit-dev/jobkit/runner/plan"
)

// console serialises everything the run prints and masks secrets. A closed
// stdout (`runner job.json | head`) does not stop the run: op output then
// goes to the log files only, and the run ends and cleans up as usual.
type console struct {
	mu        sync.Mutex
	out       io.Writer // op logs
	err       io.Writer // runner messages
	mask      *plan.Masker
	pad       int    // op id column width
	outClosed bool   // stdout gave EPIPE (or another error): stop writing to it
	logsAt    string // where the full logs are, for the closed-stdout message
}

func (c *console) logf(format string, a ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.err, "%s\n", c.mask.Mask(fmt.Sprintf(format, a...)))
}

// writeOut writes op lines already prefixed and masked.
func (c *console) writeOut(p []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.outClosed || len(p) == 0 {
		return
	}
	if _, err := c.out.Write(p); err != nil {
		c.outClosed = true
		where := "the op log files"
		if c.logsAt != "" {
			where = c.logsAt
		}
		why := err.Error()
		if errors.Is(err, syscall.EPIPE) {
			why = "the reader closed it"
		}
		fmt.Fprintf(c.err, "runner: stdout is closed (%s); the run goes on, op output is in %s\n", why, where)
	}
}

// prefix appends "<op padded> | " to b.
func (c *console) prefix(b []byte, op string) []byte {
	b = append(b, op...)
	for i := len(op); i < c.pad; i++ {
		b = append(b, ' ')
	}
	return append(b, " | "...)
}

// lineWriter splits a stream into lines and sends each to the terminal (one
// write per chunk), the op's log file and report, and its results.
type lineWriter struct {
	c    *console
	st   *opRun
	typ  string
	buf  []byte // an incomplete last line
	out  []byte // terminal bytes of the current chunk
	mask *plan.Masker
}

// maxLine splits a very long line without a newline.
const maxLine = 64 << 10

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	w.out = w.out[:0]
	now := time.Now()
	start := 0
	for {
		i := bytes.IndexByte(w.buf[start:], '\n')
		if i < 0 {
			break
		}
		w.emit(bytes.TrimRight(w.buf[start:start+i], "\r"), now)
		start += i + 1
	}
	rest := copy(w.buf, w.buf[start:])
	w.buf = w.buf[:rest]
	if len(w.buf) > maxLine {
		w.emit(w.buf, now)
		w.buf = w.buf[:0]
	}
	if cap(w.buf) > 4*maxLine && len(w.buf) < maxLine { // give back a burst's buffer
		w.buf = append([]byte(nil), w.buf...)
	}
	w.c.writeOut(w.out)
	return len(p), nil
}

// Flush emits a last line without a newline.
func (w *lineWriter) Flush() {
	if len(w.buf) > 0 {
		w.out = w.out[:0]
		w.emit(w.buf, time.Now())
		w.buf = w.buf[:0]
		w.c.writeOut(w.out)
	}
}

func (w *lineWriter) emit(raw []byte, t time.Time) {
	masked := raw
	if !w.mask.Empty() {
		masked = []byte(w.mask.Mask(string(raw)))
	}
	w.st.log.add(w.typ, raw, masked, t)
	w.out = w.c.prefix(w.out, w.st.step.OpID)
	w.out = append(w.out, masked...)
	w.out = append(w.out, '\n')
}
