package bridge

import (
	"unicode/utf8"

	"github.com/jobkit-dev/jobkit/core/diag"
)

// offsets converts between UTF-8 byte offsets (the core) and UTF-16 code-unit
// offsets (JavaScript) for one text. Pure-ASCII text, the common case, needs
// no table; otherwise a prefix table is built once so that converting many
// diagnostics stays linear in the text.
type offsets struct {
	text  []byte
	ascii bool
	u16   []int32 // u16[i] = UTF-16 offset of byte offset i (len(text)+1 entries)
}

func newOffsets(text []byte) *offsets {
	o := &offsets{text: text, ascii: true}
	for _, c := range text {
		if c >= utf8.RuneSelf {
			o.ascii = false
			break
		}
	}
	return o
}

// toUTF16 converts a byte offset. An offset inside a multi-byte character
// maps to the character's start; offsets are clamped to the text.
func (o *offsets) toUTF16(off int) int {
	off = max(0, min(off, len(o.text)))
	if o.ascii {
		return off
	}
	if o.u16 == nil {
		o.u16 = make([]int32, len(o.text)+1)
		n := int32(0)
		for i := 0; i < len(o.text); {
			r, size := utf8.DecodeRune(o.text[i:])
			for k := 0; k < size; k++ {
				o.u16[i+k] = n
			}
			i += size
			if r >= 0x10000 {
				n += 2
			} else {
				n++
			}
		}
		o.u16[len(o.text)] = n
	}
	return int(o.u16[off])
}

// toByte converts a UTF-16 offset from the editor into a byte offset.
func (o *offsets) toByte(u16 int) int {
	if u16 <= 0 {
		return 0
	}
	if o.ascii {
		return min(u16, len(o.text))
	}
	return diag.OffsetUTF16(o.text, u16)
}

// Span is a UTF-16 range [From, To) of the editor's document.
type Span struct {
	From int `json:"from"`
	To   int `json:"to"`
}

func (o *offsets) span(r diag.Range) Span {
	return Span{From: o.toUTF16(r.Start.Offset), To: o.toUTF16(r.End.Offset)}
}

// Edit is a diag.TextEdit in UTF-16 offsets.
type Edit struct {
	Span
	Insert string `json:"insert"`
}

func (o *offsets) edit(e diag.TextEdit) Edit {
	return Edit{Span: o.span(e.Range), Insert: e.NewText}
}
