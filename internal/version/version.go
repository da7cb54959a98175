// Package version holds jobkit's one version string. The Makefile stamps it
// once, at link time, into every binary it builds (jobkit, runner and the
// editor's wasm) with
//
//	-ldflags '-X github.com/jobkit-dev/jobkit/internal/version.Version=v1.2.3'
//
// and `jobkit version`, `runner --version`, SARIF output (tool.driver.version)
// and the editor's footer (the wasm bridge's "version" call) all print it.
package version

// Version is "dev" in a plain `go build`; the Makefile sets it from
// `git describe --tags --always --dirty`.
var Version = "dev"
