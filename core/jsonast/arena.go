package jsonast

// Arena keeps the memory of parsed trees for the next parse. A program that
// parses documents one after another (jobkit lint over a directory) scans
// each into the nodes the previous tree no longer needs instead of new
// memory: a tree is about ten times its text, and on a thousand files fresh
// memory and its collection were a fifth of the run's CPU time.
//
// A Document parsed by an Arena is valid until that Arena parses again: its
// nodes are then reused. Its strings stay valid. An Arena is not safe for
// concurrent use; the zero Arena is ready to use.
type Arena struct {
	nodes       slabs[Node]
	members     slabs[Member]
	memberLists slabs[*Member]
	itemLists   slabs[*Node]
}

// arenaKeepSlabs bounds the slabs of each kind an Arena keeps after a
// parse (128 nodes of 136 bytes each: 8 MB of nodes): the memory of one huge
// document is given back rather than held for the small ones after it.
const arenaKeepSlabs = 512

// Parse is Parse, into the Arena's memory.
func (a *Arena) Parse(text []byte) *Document {
	a.nodes.rewind()
	a.members.rewind()
	a.memberLists.rewind()
	a.itemLists.rewind()
	p := newParser(text)
	p.nodes, p.members, p.memberLists, p.itemLists = &a.nodes, &a.members, &a.memberLists, &a.itemLists
	p.parseDocument()
	if max(len(a.nodes.kept), len(a.members.kept), len(a.memberLists.kept), len(a.itemLists.kept)) > arenaKeepSlabs {
		*a = Arena{}
	}
	return p.doc
}

// slabs hands out slabs of T, reusing those of earlier parses when kept.
type slabs[T any] struct {
	keep bool  // false for a one-off parse: nothing is kept
	kept [][]T // every slab handed out since the first parse
	next int   // the first kept slab not handed out since rewind
}

// get returns a zeroed slab of n elements (each kind always asks for the
// same n).
func (s *slabs[T]) get(n int) []T {
	if s.next < len(s.kept) {
		slab := s.kept[s.next]
		s.next++
		clear(slab)
		return slab
	}
	slab := make([]T, n)
	if s.keep {
		s.kept = append(s.kept[:s.next], slab)
		s.next++
	}
	return slab
}

// rewind makes every kept slab available again and keeps slabs from now on.
func (s *slabs[T]) rewind() {
	s.keep, s.next = true, 0
}
