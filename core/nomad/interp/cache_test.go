package interp

import (
	"fmt"
	"testing"
)

// TestParseCache checks that a cached parse gives the same answer as the
// first one, for templates and for errors, and that the cache stays bounded.
func TestParseCache(t *testing.T) {
	for _, s := range []string{"a ${NOMAD_PORT_http} b", "${upper(env[\"A\"])}", "${", "${ node.unique.id ", "${1 +}"} {
		t1, err1 := Parse(s)
		t2, err2 := Parse(s)
		if fmt.Sprint(err1) != fmt.Sprint(err2) {
			t.Errorf("%q: error %v, then %v", s, err1, err2)
		}
		fresh, errFresh := parse(s)
		if fmt.Sprint(err1) != fmt.Sprint(errFresh) {
			t.Errorf("%q: cached error %v, uncached %v", s, err1, errFresh)
		}
		if err1 != nil {
			if e1, e2 := err1.(*Error), errFresh.(*Error); e1.Offset != e2.Offset {
				t.Errorf("%q: cached offset %d, uncached %d", s, e1.Offset, e2.Offset)
			}
			continue
		}
		if t1 != t2 {
			t.Errorf("%q: second parse was not served from the cache", s)
		}
		if got, want := len(t1.Vars())+len(t1.Calls()), len(fresh.Vars())+len(fresh.Calls()); got != want {
			t.Errorf("%q: cached template has %d vars and calls, uncached %d", s, got, want)
		}
	}
	for i := range cacheEntries + 10 {
		Parse(fmt.Sprintf("${NOMAD_META_k%d}", i))
	}
	cache.mu.Lock()
	n := len(cache.m)
	cache.mu.Unlock()
	if n > cacheEntries {
		t.Errorf("cache holds %d entries, more than %d", n, cacheEntries)
	}
}
