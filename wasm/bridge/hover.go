package bridge

import "github.com/jobkit-dev/jobkit/core/intel"

func init() { methods["hover"] = hoverMethod }

// HoverResult is what hovering shows: Markdown over a UTF-16 span.
type HoverResult struct {
	Span
	Markdown string `json:"markdown"`
}

// hoverMethod answers null when there is nothing to say at the offset.
func hoverMethod(r request) (any, error) {
	var p PositionParams
	opts, err := decodeDoc(r, &p)
	if err != nil {
		return nil, err
	}
	text := []byte(p.Text)
	o := newOffsets(text)
	h := intel.Hover(text, o.toByte(p.Offset), opts)
	if h == nil {
		return nil, nil
	}
	return HoverResult{Span: o.span(h.Range), Markdown: h.Markdown}, nil
}
