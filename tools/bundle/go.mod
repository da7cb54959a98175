// The editor's build tool is its own module so that esbuild and brotli stay
// out of the product's dependency graph (web/build.sh runs it with go -C).
module github.com/jobkit-dev/jobkit/tools/bundle

go 1.26.0

require (
	github.com/andybalholm/brotli v1.2.8
	github.com/evanw/esbuild v0.28.2
)

require golang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8 // indirect
