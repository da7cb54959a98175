package interp

import "sync"

// Most interpolations repeat: every group of a job names the same ports and
// variables, and an editor lints the same document on every keystroke. The
// cache keeps the parse of each distinct string, up to a bound.
const (
	cacheEntries = 4096 // distinct strings kept; the cache is emptied when full
	cacheMaxLen  = 4096 // longer strings are parsed every time
)

type result struct {
	tpl *Template
	err error
}

type parseCache struct {
	mu sync.Mutex
	m  map[string]result
}

var cache parseCache

func (c *parseCache) get(s string) (result, bool) {
	if len(s) > cacheMaxLen {
		return result{}, false
	}
	c.mu.Lock()
	r, ok := c.m[s]
	c.mu.Unlock()
	return r, ok
}

func (c *parseCache) put(s string, t *Template, err error) {
	if len(s) > cacheMaxLen {
		return
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= cacheEntries {
		c.m = make(map[string]result)
	}
	c.m[s] = result{tpl: t, err: err}
	c.mu.Unlock()
}
