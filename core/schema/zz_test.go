package schema

import (
	"testing"
	"time"

	"github.com/jobkit-dev/jobkit/core/jsonast"
)

func TestZZValidCost(t *testing.T) {
	s := mustNosana(t)
	text, _ := genJob(20<<10, false)
	doc := jsonast.Parse(text)
	best := [2]time.Duration{1 << 62, 1 << 62}
	for r := 0; r < 200; r++ {
		t0 := time.Now()
		for i := 0; i < 20; i++ {
			s.precheck(s.root, doc.Root, 0)
		}
		t1 := time.Now()
		for i := 0; i < 20; i++ {
			s.splitViolations(&locator{root: doc.Root}, s.root, doc.Root)
		}
		t2 := time.Now()
		best[0] = min(best[0], t1.Sub(t0)/20)
		best[1] = min(best[1], t2.Sub(t1)/20)
	}
	t.Logf("precheck %v split %v", best[0], best[1])
}

func BenchmarkZZSplitValid(b *testing.B) {
	s := mustNosana(b)
	text, _ := genJob(1<<20, false)
	doc := jsonast.Parse(text)
	b.Run("precheck", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s.precheck(s.root, doc.Root, 0)
		}
	})
	b.Run("split", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s.splitViolations(&locator{root: doc.Root}, s.root, doc.Root)
		}
	})
}
