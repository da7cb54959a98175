package engine

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/jobkit-dev/jobkit/runner/results"
)

// DefaultReportLines is how many lines the report keeps at the start and at
// the end of each op's log; the full log is in the op's log file.
const DefaultReportLines = 200

// opLog is where an op's output goes besides the terminal: a file in the
// run's folder (masked, complete), the report (masked, the first and last
// lines and a count) and the results extractor (unmasked, line by line, so
// that values passed to later ops are the real ones). Its memory does not
// grow with the output.
type opLog struct {
	mu    sync.Mutex
	keep  int
	head  []Log
	tail  []tailLine // ring of the last keep lines after head
	next  int        // next ring slot
	total int
	ext   *results.Extractor

	path string
	file *os.File
	w    *bufio.Writer
	err  error // first write error of the file
}

type tailLine struct {
	typ  string
	line []byte
	ts   int64
}

var unsafeFileChars = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// newOpLog opens the op's log file in dir ("" keeps no file).
func newOpLog(dir, opID string, index, keep int) (*opLog, error) {
	l := &opLog{keep: keep}
	if dir == "" {
		return l, nil
	}
	name := fmt.Sprintf("%02d-%s.log", index, unsafeFileChars.ReplaceAllString(opID, "_"))
	l.path = filepath.Join(dir, name)
	f, err := os.Create(l.path)
	if err != nil {
		return nil, fmt.Errorf("op %s log file: %w", opID, err)
	}
	l.file, l.w = f, bufio.NewWriterSize(f, 64<<10)
	return l, nil
}

// setExtractor starts extracting results (when the op's resolved form is known).
func (l *opLog) setExtractor(x *results.Extractor) {
	l.mu.Lock()
	l.ext = x
	l.mu.Unlock()
}

// add records one line: raw feeds the results, masked is what is kept.
func (l *opLog) add(typ string, raw, masked []byte, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ext.Add(typ, raw)
	l.total++
	if l.w != nil && l.err == nil {
		if _, err := l.w.Write(masked); err == nil {
			l.err = l.w.WriteByte('\n')
		} else {
			l.err = err
		}
	}
	ts := ms(t)
	if len(l.head) < l.keep {
		l.head = append(l.head, Log{Type: typ, Log: string(masked), Timestamp: ts})
		return
	}
	if l.keep <= 0 {
		return
	}
	if len(l.tail) < l.keep {
		l.tail = append(l.tail, tailLine{typ: typ, line: append([]byte(nil), masked...), ts: ts})
		return
	}
	s := &l.tail[l.next]
	s.typ, s.line, s.ts = typ, append(s.line[:0], masked...), ts
	l.next = (l.next + 1) % l.keep
}

// results are the op's results so far.
func (l *opLog) results() (map[string]results.Value, map[string]int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ext.Values(), l.ext.Dropped()
}

// finish closes the file and fills the op's report entry.
func (l *opLog) finish(s *OpState) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	logs := make([]Log, 0, len(l.head)+len(l.tail))
	logs = append(logs, l.head...)
	n := len(l.tail)
	for i := 0; i < n; i++ {
		t := l.tail[(l.next+i)%n]
		logs = append(logs, Log{Type: t.typ, Log: string(t.line), Timestamp: t.ts})
	}
	s.Logs = logs
	s.LogLines = l.total
	s.LogsOmitted = l.total - len(logs)
	s.LogFile = l.path
	if l.file == nil {
		return nil
	}
	if l.err == nil {
		l.err = l.w.Flush()
	}
	cerr := l.file.Close()
	l.file, l.w = nil, nil
	if l.err != nil {
		return fmt.Errorf("log file %s: %w", l.path, l.err)
	}
	return cerr
}
