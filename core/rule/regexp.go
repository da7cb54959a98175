package rule

import (
	"regexp"
	"sync"
)

// Regexp returns a function that compiles expr on its first call and then
// returns the same *regexp.Regexp. Rules keep their regexps this way instead
// of compiling them into package variables: the wasm core runs every package
// initialisation before the editor's first lint can start.
func Regexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
