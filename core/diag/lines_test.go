package diag

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// naive is the obvious column computation the fast paths must agree with.
func naive(text []byte, off int) Position {
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if text[i] == '\n' || text[i] == '\r' && (i+1 >= len(text) || text[i+1] != '\n') {
			line, start = line+1, i+1
		}
	}
	col, col16 := 1, 1
	for i := start; i < off; {
		r, size := utf8.DecodeRune(text[i:])
		i += size
		col++
		col16++
		if r >= 0x10000 {
			col16++
		}
	}
	return Position{Offset: off, Line: line, Column: col, UTF16Column: col16}
}

func TestPositionMatchesNaive(t *testing.T) {
	for _, text := range []string{
		"", "abc", "a\nb\r\nc\rd", "é😀x\n😀\n", `{"k": "😀", "a": 1}` + "\n" + `{"b": "é"}`, strings.Repeat("x😀", 50),
	} {
		l := NewLines([]byte(text))
		// Forwards, backwards and repeated lookups exercise the cache.
		var offs []int
		for off := 0; off <= len(text); off++ {
			if off == len(text) || utf8.RuneStart(text[off]) {
				offs = append(offs, off)
			}
		}
		for _, seq := range [][]int{offs, reverse(offs), append(offs, offs...)} {
			for _, off := range seq {
				if got, want := l.Position(off), naive([]byte(text), off); got != want {
					t.Fatalf("%q offset %d: got %+v want %+v", text, off, got, want)
				}
			}
		}
	}
}

// TestIndexesAgree holds the "\n"-only index to the general one on texts
// without "\r": the same line starts and the same non-ASCII lines, with
// non-ASCII bytes at either end of a line and of an eight-byte word.
func TestIndexesAgree(t *testing.T) {
	for _, text := range []string{
		"", "\n", "\n\n", "a", "a\n", "\na", "é", "é\n", "\né", "abcdefgé\nabcdefgh\néabcdefgh",
		strings.Repeat("abcdefg\n", 9) + "x😀", strings.Repeat("x", 64) + "é" + strings.Repeat("y", 7),
		"{\n  \"k\": \"v\"\n}\n", "\xff\n\x80abcdefghij\n",
	} {
		fast, slow := &Lines{text: []byte(text)}, &Lines{text: []byte(text)}
		fast.build()
		slow.buildAnyBreaks()
		if !reflect.DeepEqual(fast.starts, slow.starts) || !reflect.DeepEqual(fast.nonASCII, slow.nonASCII) {
			t.Errorf("%q: starts %v non-ASCII %v; the general index has %v %v", text, fast.starts, fast.nonASCII, slow.starts, slow.nonASCII)
		}
	}
}

// FuzzPosition compares every position in a text with the naive count.
func FuzzPosition(f *testing.F) {
	for _, s := range []string{"", "a\nb\r\nc\rd", "é😀x\n😀\n", strings.Repeat("abcdefgé\n", 4)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		if len(text) > 4096 {
			return
		}
		l := NewLines(text)
		for off := 0; off <= len(text); off++ {
			if off < len(text) && !utf8.RuneStart(text[off]) {
				continue
			}
			if got, want := l.Position(off), naive(text, off); got != want {
				t.Fatalf("%q offset %d: got %+v want %+v", text, off, got, want)
			}
		}
	})
}

func reverse(a []int) []int {
	b := make([]int, len(a))
	for i, v := range a {
		b[len(a)-1-i] = v
	}
	return b
}

// BenchmarkPositionLongLine looks up positions on a 1 MB one-line document,
// the shape of minified JSON, where a per-lookup line scan would be quadratic.
func BenchmarkPositionLongLine(b *testing.B) {
	for _, name := range []string{"ascii", "non-ascii"} {
		text := []byte(strings.Repeat(`{"id": "op", "v": 1},`, 50000))
		if name == "non-ascii" {
			text = append([]byte("é"), text...)
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				l := NewLines(text)
				for off := 0; off < len(text); off += 350 {
					l.Position(off)
				}
			}
		})
	}
}
