package engine

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/jobkit-dev/jobkit/runner/plan"
	"github.com/jobkit-dev/jobkit/runner/results"
)

// console serialises everything the run prints and masks secrets.
type console struct {
	mu   sync.Mutex
	out  io.Writer // op logs
	err  io.Writer // runner messages
	mask *plan.Masker
	pad  int // op id column width
}

func (c *console) logf(format string, a ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.err, "%s\n", c.mask.Mask(fmt.Sprintf(format, a...)))
}

func (c *console) opLine(op, line string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.out, "%-*s | %s\n", c.pad, op, line)
}

// lineWriter splits a stream into lines, prints them with the op prefix and
// keeps them for the report and the results.
type lineWriter struct {
	c    *console
	st   *opRun
	typ  string
	buf  []byte
	mask *plan.Masker
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.emit(string(bytes.TrimRight(w.buf[:i], "\r")))
		w.buf = w.buf[i+1:]
	}
	if len(w.buf) > 64<<10 { // a very long line without a newline
		w.emit(string(w.buf))
		w.buf = w.buf[:0]
	}
	return len(p), nil
}

// Flush emits a last line without a newline.
func (w *lineWriter) Flush() {
	if len(w.buf) > 0 {
		w.emit(string(w.buf))
		w.buf = w.buf[:0]
	}
}

func (w *lineWriter) emit(line string) {
	line = w.mask.Mask(line)
	w.st.addLog(results.Line{Type: w.typ, Log: line, Time: time.Now()})
	w.c.opLine(w.st.step.OpID, line)
}
