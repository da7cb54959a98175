package bridge

import (
	"fmt"

	"github.com/jobkit-dev/jobkit/core/intel"
)

func init() {
	methods["fixAll"] = fixAllMethod
	methods["format"] = formatMethod
	methods["outline"] = outlineMethod
	methods["complete"] = completeMethod
}

// FixAllResult is the text after applying every safe fix.
type FixAllResult struct {
	Text    string `json:"text"`
	Applied int    `json:"applied"`
}

func fixAllMethod(r request) (any, error) {
	var p DocParams
	opts, err := decodeDoc(r, &p)
	if err != nil {
		return nil, err
	}
	fixed, n := intel.FixAll([]byte(p.Text), opts)
	return FixAllResult{Text: string(fixed), Applied: n}, nil
}

// FormatResult is the formatted document.
type FormatResult struct {
	Text string `json:"text"`
}

func formatMethod(r request) (any, error) {
	var p DocParams
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	out, err := intel.Format([]byte(p.Text))
	if err != nil {
		return nil, fmt.Errorf("cannot format: %w", err)
	}
	return FormatResult{Text: string(out)}, nil
}

// OutlineResult is the document's symbol tree.
type OutlineResult struct {
	Symbols []Symbol `json:"symbols"`
}

// Symbol is an intel.Symbol in UTF-16 offsets: From/To span the whole
// entry, SelFrom/SelTo the name to jump to.
type Symbol struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Detail   string   `json:"detail,omitempty"`
	From     int      `json:"from"`
	To       int      `json:"to"`
	SelFrom  int      `json:"selFrom"`
	SelTo    int      `json:"selTo"`
	Children []Symbol `json:"children,omitempty"`
}

func outlineMethod(r request) (any, error) {
	var p DocParams
	opts, err := decodeDoc(r, &p)
	if err != nil {
		return nil, err
	}
	text := []byte(p.Text)
	o := newOffsets(text)
	return OutlineResult{Symbols: convertSymbols(o, intel.Outline(text, opts))}, nil
}

func convertSymbols(o *offsets, syms []intel.Symbol) []Symbol {
	out := make([]Symbol, 0, len(syms))
	for _, s := range syms {
		r, sel := o.span(s.Range), o.span(s.SelectionRange)
		out = append(out, Symbol{
			Name: s.Name, Kind: s.Kind, Detail: s.Detail,
			From: r.From, To: r.To, SelFrom: sel.From, SelTo: sel.To,
			Children: convertSymbols(o, s.Children),
		})
	}
	return out
}

// PositionParams is DocParams plus the cursor, a UTF-16 offset.
type PositionParams struct {
	DocParams
	Offset int `json:"offset"`
}

// CompleteResult lists completion proposals.
type CompleteResult struct {
	Items []Item `json:"items"`
}

// Item is an intel.Item with its edit in UTF-16 offsets. Insert may hold
// snippet placeholders (${1:x}, $1, $0) when Snippet is set.
type Item struct {
	Label         string `json:"label"`
	Kind          string `json:"kind"`
	Detail        string `json:"detail,omitempty"`
	Documentation string `json:"documentation,omitempty"`
	Edit
	Snippet  bool   `json:"snippet"`
	SortText string `json:"sortText,omitempty"`
}

func completeMethod(r request) (any, error) {
	var p PositionParams
	opts, err := decodeDoc(r, &p)
	if err != nil {
		return nil, err
	}
	text := []byte(p.Text)
	o := newOffsets(text)
	items := intel.Complete(text, o.toByte(p.Offset), opts)
	out := CompleteResult{Items: make([]Item, 0, len(items))}
	for _, it := range items {
		out.Items = append(out.Items, Item{
			Label: it.Label, Kind: it.Kind, Detail: it.Detail, Documentation: it.Documentation,
			Edit: o.edit(it.Edit), Snippet: it.Snippet, SortText: it.SortText,
		})
	}
	return out, nil
}
