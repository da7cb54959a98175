package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/jobschema"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
)

// walkFields calls fn for every member of the job that the catalogue knows,
// with its field, descending into blocks, lists of blocks and maps of blocks.
func walkFields(job *jsonast.Node, fn func(m *jsonast.Member, f *jobschema.Field, blk *jobschema.Block)) {
	walkBlock(job, jobschema.JobBlock(), fn, 0)
}

func walkBlock(n *jsonast.Node, b *jobschema.Block, fn func(*jsonast.Member, *jobschema.Field, *jobschema.Block), depth int) {
	if !n.Is(jsonast.Object) || depth > 64 {
		return
	}
	for i, m := range n.Members {
		f := b.Field(m.Key)
		if f == nil || m.Value == nil || !readByNomad(n.Members, i) {
			continue // unknown keys and overridden duplicates are not read by Nomad
		}
		fn(m, f, b)
		walkValue(m.Value, f.Type, fn, depth+1)
	}
}

func walkValue(n *jsonast.Node, t *jobschema.Type, fn func(*jsonast.Member, *jobschema.Field, *jobschema.Block), depth int) {
	switch t.Kind {
	case jobschema.KindBlock:
		walkBlock(n, t.Block, fn, depth)
	case jobschema.KindList:
		for _, it := range view.Items(n) {
			walkValue(it, t.Elem, fn, depth+1)
		}
	case jobschema.KindMap:
		if t.Elem != nil && t.Elem.Kind == jobschema.KindBlock && n.Is(jsonast.Object) {
			for _, m := range n.Members {
				if m.Value != nil {
					walkValue(m.Value, t.Elem, fn, depth+1)
				}
			}
		}
	}
}

// readByNomad reports whether members[i] is the member Nomad's decoder reads
// for its key (what view.Member returns for it): no later member matches the
// key case-insensitively, and the value is not null.
func readByNomad(members []*jsonast.Member, i int) bool {
	m := members[i]
	if m.Value == nil || m.Value.Kind == jsonast.Null || m.Value.Kind == jsonast.Invalid {
		return false
	}
	for _, later := range members[i+1:] {
		if strings.EqualFold(later.Key, m.Key) {
			return false
		}
	}
	return true
}
