// Command bundle builds the browser editor into one directory that
// internal/webui embeds: it bundles web/ from node_modules with esbuild (used
// as a Go library, so the build needs no Node once `npm ci` has fetched the
// sources), with the toolchain's wasm_exec.js inside the worker; copies
// index.html and the wasm core (as jobkit.<hash>.wasm); and replaces every
// text file by its .gz and .br copies (internal/webui serves those and
// inflates the .gz for the rare client that accepts neither encoding).
//
//	go -C tools/bundle run . -root "$PWD" [-wasm build/wasm/jobkit.wasm] [-out internal/webui/dist]
//
// It is a module of its own, so that esbuild and brotli are not in jobkit's
// dependency graph.
//
// web/build.sh runs the whole build (wasm, npm ci, bundle) and skips steps
// that are up to date.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	root := flag.String("root", ".", "repository root")
	wasm := flag.String("wasm", "build/wasm/jobkit.wasm", "the core built with GOOS=js GOARCH=wasm")
	out := flag.String("out", "internal/webui/dist", "output directory (emptied first, except README.md)")
	goroot := flag.String("goroot", "", "GOROOT whose wasm_exec.js matches the wasm (default: `go env GOROOT`)")
	flag.IntVar(&brotliQuality, "brotli", brotliQuality, "brotli quality 0-11 for the .br copies (11: smallest; 9: ~14% bigger wasm, 20x faster)")
	flag.Parse()
	if err := run(*root, *wasm, *out, *goroot, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
}

func run(root, wasm, out, goroot string, stdout io.Writer) error {
	if !filepath.IsAbs(wasm) {
		wasm = filepath.Join(root, wasm)
	}
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	if goroot == "" {
		b, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			return fmt.Errorf("find GOROOT (pass -goroot): %w", err)
		}
		goroot = strings.TrimSpace(string(b))
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "@codemirror", "view")); err != nil {
		return fmt.Errorf("node_modules is missing or incomplete: run `npm ci` first")
	}
	if err := clean(out); err != nil {
		return err
	}
	examples, err := loadExamples(root)
	if err != nil {
		return err
	}
	core, err := os.ReadFile(wasm)
	if err != nil {
		return fmt.Errorf("read the wasm core: %w", err)
	}
	// The core gets a content-hashed name, which internal/webui serves as
	// immutable: a returning browser then uses its cached copy (and the
	// compiled code it keeps with it) without asking the server first.
	// boot.js (which compiles it on the page) and the worker (which
	// compiles it when the page did not) learn the name at bundle time.
	coreName := hashedName("jobkit", ".wasm", core)
	if err := os.WriteFile(filepath.Join(out, coreName), core, 0o644); err != nil {
		return err
	}
	execJS, err := wasmExecJS(goroot)
	if err != nil {
		return err
	}
	if err := bundle(root, out, examples, coreName, execJS); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(root, "index.html"), filepath.Join(out, "index.html")); err != nil {
		return err
	}
	sizes, err := precompress(out)
	if err != nil {
		return err
	}
	for _, s := range sizes {
		fmt.Fprintln(stdout, s)
	}
	return nil
}

// clean empties dir but keeps README.md, the placeholder that lets
// internal/webui embed the directory on a clean clone.
func clean(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == "README.md" {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// wasmExecJS finds the JavaScript support file of the Go toolchain that
// built the wasm: lib/wasm since Go 1.24, misc/wasm before.
func wasmExecJS(goroot string) (string, error) {
	for _, dir := range []string{"lib/wasm", "misc/wasm"} {
		p := filepath.Join(goroot, dir, "wasm_exec.js")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no wasm_exec.js under %s/lib/wasm or %s/misc/wasm", goroot, goroot)
}

// hashedName names content by its SHA-256: base.<16 hex digits>ext, the
// form internal/webui serves as immutable.
func hashedName(base, ext string, content []byte) string {
	sum := sha256.Sum256(content)
	return base + "." + hex.EncodeToString(sum[:8]) + ext
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return fmt.Errorf("copy %s: %w", from, err)
	}
	return os.WriteFile(to, b, 0o644)
}
