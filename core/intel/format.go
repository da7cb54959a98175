package intel

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// Format pretty-prints a whole document with a 2-space indent, keeping the
// order of keys and every string and number exactly as written. Empty
// objects and lists stay on one line. It fails on text that is not valid JSON
// (duplicate keys are kept: formatting must not change what the file means).
func Format(text []byte) ([]byte, error) {
	doc := jsonast.Parse(text)
	for _, d := range doc.Syntax {
		if d.Severity == diag.Error && d.Rule != "json-duplicate-key" {
			return nil, fmt.Errorf("format: line %d: %s", d.Range.Start.Line, d.Message)
		}
	}
	if doc.Root == nil {
		return nil, fmt.Errorf("format: the document is empty")
	}
	var b bytes.Buffer
	b.Grow(len(text) + len(text)/4)
	writeNode(&b, text, doc.Root, 0)
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func writeNode(b *bytes.Buffer, text []byte, n *jsonast.Node, depth int) {
	switch n.Kind {
	case jsonast.Object:
		if len(n.Members) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, m := range n.Members {
			indent(b, depth+1)
			b.Write(text[m.KeyStart:m.KeyEnd])
			b.WriteString(": ")
			if m.Value != nil {
				writeNode(b, text, m.Value, depth+1)
			} else {
				b.WriteString("null")
			}
			if i < len(n.Members)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		indent(b, depth)
		b.WriteByte('}')
	case jsonast.Array:
		if len(n.Items) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, it := range n.Items {
			indent(b, depth+1)
			writeNode(b, text, it, depth+1)
			if i < len(n.Items)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		indent(b, depth)
		b.WriteByte(']')
	default:
		b.Write(text[n.Start:n.End])
	}
}

func indent(b *bytes.Buffer, depth int) {
	b.WriteString(strings.Repeat("  ", depth))
}
