package diag

import (
	"bytes"
	"encoding/binary"
	"sort"
	"sync"
	"unicode/utf8"
)

// Lines converts byte offsets into line/column positions. Build it once per
// text; each lookup is a binary search over line starts plus a scan of one line.
type Lines struct {
	text []byte
	// The index is built on the first lookup: most documents linted in bulk
	// are clean and never need a position.
	once   sync.Once
	starts []int // byte offset of the first byte of each line
	// nonASCII marks lines holding a byte >= 0x80; on the others a column is
	// a byte distance, so a lookup costs O(1) even on a 1 MB one-line file.
	nonASCII map[int]bool
	// last remembers the previous lookup on a non-ASCII line, so a run of
	// lookups in text order on a long minified line stays linear overall.
	last struct{ line, off, col, col16 int }
}

// NewLines indexes text. "\n", "\r\n" and a lone "\r" all end a line.
func NewLines(text []byte) *Lines { return &Lines{text: text} }

// index builds the line starts once.
func (l *Lines) index() { l.once.Do(l.build) }

func (l *Lines) build() {
	if bytes.IndexByte(l.text, '\r') >= 0 {
		l.buildAnyBreaks()
		return
	}
	// Only "\n" ends lines (the common case): jump from one to the next
	// with IndexByte and test each line for non-ASCII bytes eight at a
	// time. A lint of 20 KB spent a tenth of its time in the byte-by-byte
	// loop below.
	text := l.text
	starts := make([]int, 1, 1+len(text)/32)
	var nonASCII map[int]bool
	for start := 0; ; {
		end := len(text)
		if j := bytes.IndexByte(text[start:], '\n'); j >= 0 {
			end = start + j
		}
		if !isASCII(text[start:end]) {
			if nonASCII == nil {
				nonASCII = map[int]bool{}
			}
			nonASCII[len(starts)] = true
		}
		if end == len(text) {
			break
		}
		start = end + 1
		starts = append(starts, start)
	}
	l.starts, l.nonASCII = starts, nonASCII
}

// buildAnyBreaks indexes text where "\r\n" or a lone "\r" may end lines.
func (l *Lines) buildAnyBreaks() {
	text := l.text
	starts := make([]int, 1, 1+len(text)/32)
	var nonASCII map[int]bool
	for i := 0; i < len(text); i++ {
		if text[i] >= 0x80 {
			if nonASCII == nil {
				nonASCII = map[int]bool{}
			}
			nonASCII[len(starts)] = true
			continue
		}
		switch text[i] {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		}
	}
	l.starts, l.nonASCII = starts, nonASCII
}

// isASCII reports whether b holds no byte >= 0x80.
func isASCII(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// Text returns the indexed text.
func (l *Lines) Text() []byte { return l.text }

// LineCount is the number of lines in the text (at least 1).
func (l *Lines) LineCount() int {
	l.index()
	return len(l.starts)
}

// LineStart returns the byte offset where 1-based line n starts.
func (l *Lines) LineStart(n int) int {
	l.index()
	if n < 1 {
		return 0
	}
	if n > len(l.starts) {
		return len(l.text)
	}
	return l.starts[n-1]
}

// LineEnd returns the byte offset of the end of 1-based line n, excluding the
// line break.
func (l *Lines) LineEnd(n int) int {
	l.index()
	end := len(l.text)
	if n < len(l.starts) {
		end = l.starts[n]
	}
	for end > l.LineStart(n) && (l.text[end-1] == '\n' || l.text[end-1] == '\r') {
		end--
	}
	return end
}

// Position returns the position of a byte offset. Offsets outside the text are
// clamped; an offset inside a multi-byte character is moved to its start.
func (l *Lines) Position(off int) Position {
	if off < 0 {
		off = 0
	}
	if off > len(l.text) {
		off = len(l.text)
	}
	for off > 0 && off < len(l.text) && !utf8.RuneStart(l.text[off]) {
		off--
	}
	l.index()
	line := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) // first start after off
	start := l.starts[line-1]
	if !l.nonASCII[line] {
		return Position{Offset: off, Line: line, Column: off - start + 1, UTF16Column: off - start + 1}
	}
	col, col16 := 1, 1
	if l.last.line == line && l.last.off <= off && l.last.off > start {
		start, col, col16 = l.last.off, l.last.col, l.last.col16
	}
	defer func() { l.last.line, l.last.off, l.last.col, l.last.col16 = line, off, col, col16 }()
	for i := start; i < off; {
		r, size := utf8.DecodeRune(l.text[i:])
		i += size
		col++
		if r >= 0x10000 {
			col16 += 2
		} else {
			col16++
		}
	}
	return Position{Offset: off, Line: line, Column: col, UTF16Column: col16}
}

// Range returns the range of the byte span [start, end).
func (l *Lines) Range(start, end int) Range {
	if end < start {
		end = start
	}
	return Range{Start: l.Position(start), End: l.Position(end)}
}

// Offset converts a 1-based line and code-point column back into a byte offset.
func (l *Lines) Offset(line, col int) int {
	off := l.LineStart(line)
	end := l.LineEnd(line)
	for c := 1; c < col && off < end; c++ {
		_, size := utf8.DecodeRune(l.text[off:])
		off += size
	}
	return off
}

// OffsetUTF16 converts a 0-based UTF-16 code unit offset (what browser editors
// use) into a byte offset.
func OffsetUTF16(text []byte, u16 int) int {
	i, n := 0, 0
	for i < len(text) && n < u16 {
		r, size := utf8.DecodeRune(text[i:])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return i
}

// UTF16Offset converts a byte offset into a 0-based UTF-16 code unit offset.
func UTF16Offset(text []byte, off int) int {
	if off > len(text) {
		off = len(text)
	}
	n := 0
	for i := 0; i < off; {
		r, size := utf8.DecodeRune(text[i:])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return n
}
