package rules

import (
	"math"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

// exposedPort is one port entry of args.expose with its place in the text.
type exposedPort struct {
	Entry    *jsonast.Node // the number or the {port…} object
	PortNode *jsonast.Node // the number node (Entry itself for a bare number)
}

// exposedPorts lists the numeric port entries of args.expose: a bare number,
// a single object, or the numbers and objects of an array. Literals, spread
// markers and ranges are skipped.
func exposedPorts(args *jsonast.Node) []exposedPort {
	e := args.Get("expose")
	var entries []*jsonast.Node
	if e.Is(jsonast.Array) {
		entries = e.Items
	} else if e != nil {
		entries = []*jsonast.Node{e}
	}
	var out []exposedPort
	for _, n := range entries {
		switch {
		case n.Is(jsonast.Number):
			out = append(out, exposedPort{Entry: n, PortNode: n})
		case n.Is(jsonast.Object) && n.Get("port").Is(jsonast.Number):
			out = append(out, exposedPort{Entry: n, PortNode: n.Get("port")})
		}
	}
	return out
}

// validPort returns the port number of a number node when it is an integer
// from 1 to 65535 (JSON numbers such as 8e3 count by their value, as in
// JavaScript).
func validPort(n *jsonast.Node) (int, bool) {
	f, ok := n.Float()
	if !ok || f != math.Trunc(f) || f < 1 || f > 65535 {
		return 0, false
	}
	return int(f), true
}
