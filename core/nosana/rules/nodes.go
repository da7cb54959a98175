package rules

// Small readers of jsonast values the rules share.

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// containsLiteral reports whether s holds a %%…%% literal, which the node
// replaces before running the op; such values are not checked.
func containsLiteral(s string) bool { return strings.Contains(s, "%%") }

// isSpreadMarker reports whether n is a {"__spread__": …} collection marker.
func isSpreadMarker(n *jsonast.Node) bool { return n.Is(jsonast.Object) && n.Has("__spread__") }

// arrayItems returns the items of an array node (nil for anything else).
func arrayItems(n *jsonast.Node) []*jsonast.Node {
	if n.Is(jsonast.Array) {
		return n.Items
	}
	return nil
}

// objectMembers returns the members of an object node (nil for anything else).
func objectMembers(n *jsonast.Node) []*jsonast.Member {
	if n.Is(jsonast.Object) {
		return n.Members
	}
	return nil
}

// trueValue reports whether n is the JSON literal true.
func trueValue(n *jsonast.Node) bool {
	b, ok := n.BoolValue()
	return ok && b
}

// nodeText returns the text of a node as written.
func nodeText(doc *jsonast.Document, n *jsonast.Node) string {
	if n == nil || n.Start < 0 || n.End > len(doc.Text) || n.Start > n.End {
		return ""
	}
	return string(doc.Text[n.Start:n.End])
}

// closedStr returns the value of a string node whose closing quote is
// present. A string the scanner had to cut short (half-typed text) holds
// whatever followed it on the line, so rules do not judge it.
func closedStr(n *jsonast.Node) (string, bool) {
	if isClosedStr(n) {
		return n.Str, true
	}
	return "", false
}

// isClosedStr reports whether n is a string node with its closing quote.
func isClosedStr(n *jsonast.Node) bool { return n.Is(jsonast.String) && n.Closed }
