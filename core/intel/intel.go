// Package intel is jobkit's editor intelligence: completion, hover,
// formatting, the outline and fix application. It works on the same tolerant
// scan as the linter, so it keeps working on half-typed documents, and it
// answers in byte offsets into the UTF-8 text (each Range also carries lines,
// columns and UTF-16 columns for editors). Nothing here panics on any input.
//
// Entry points (the wasm bridge and the CLI call these):
//
//	Complete(text, offset, opts) []Item      keys, values, references, snippets
//	Hover(text, offset, opts) *HoverInfo     docs, types, durations, cron runs, effective values, literal targets
//	Format(text) ([]byte, error)             2-space indent, key order kept
//	Outline(text, opts) []Symbol             ops, or the job's task groups and tasks
//	ApplyEdits(text, edits) ([]byte, error)  non-overlapping edits by byte offset
//	FixAll(text, opts) ([]byte, int)         every safe fix, re-linting until stable
//	Fixes(text, diagnostic) []diag.Fix       fixes intel adds to a diagnostic
//
// How it works: a tolerant scan of the text up to the cursor (cursor.go) says
// where the cursor is (key or value, the object path, inside a string, a
// %%…%% literal or a ${…} interpolation, the word typed and the range an item
// replaces). The format's schema (core/schema for Nosana, the Nomad catalogue
// of core/nomad/jobschema) is read into one description of the place
// (place.go, place_nomad.go); completion adds what only the document knows
// (refs.go, interp.go) and jobkit's snippets (snippets.go).
package intel

import "github.com/jobkit-dev/jobkit/core/diag"

// Item kinds.
const (
	KindProperty  = "property"
	KindValue     = "value"
	KindSnippet   = "snippet"
	KindReference = "reference"
	KindKeyword   = "keyword"
)

// Item is one completion proposal.
type Item struct {
	Label         string `json:"label"`
	Kind          string `json:"kind"` // property|value|snippet|reference|keyword
	Detail        string `json:"detail,omitempty"`
	Documentation string `json:"documentation,omitempty"` // Markdown
	// Edit replaces the partial word at the cursor. When Snippet is set,
	// NewText may hold snippet placeholders ${1:x}, $1 and $0.
	Edit     diag.TextEdit `json:"edit"`
	Snippet  bool          `json:"snippet"`
	SortText string        `json:"sortText"`
}

// HoverInfo is what hovering over a key or value shows.
type HoverInfo struct {
	Range    diag.Range `json:"range"`
	Markdown string     `json:"markdown"`
}

// Symbol is one entry of the document outline.
type Symbol struct {
	Name           string     `json:"name"`
	Kind           string     `json:"kind"`
	Detail         string     `json:"detail"`
	Range          diag.Range `json:"range"`
	SelectionRange diag.Range `json:"selectionRange"`
	Children       []Symbol   `json:"children,omitempty"`
}
