package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// example is one entry of the page's Examples menu.
type example struct {
	Name string `json:"name"`
	File string `json:"file"`
	Text string `json:"text"`
}

// loadExamples returns the welcome job (web/welcome.json, what a first
// visitor sees) followed by every examples/*.json, sorted by name.
func loadExamples(root string) ([]example, error) {
	welcome, err := os.ReadFile(filepath.Join(root, "web", "welcome.json"))
	if err != nil {
		return nil, fmt.Errorf("read the welcome job: %w", err)
	}
	out := []example{{Name: "Welcome: a Jupyter job", File: "job.json", Text: string(welcome)}}
	files, err := filepath.Glob(filepath.Join(root, "examples", "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read example: %w", err)
		}
		out = append(out, example{Name: exampleName(filepath.Base(f)), File: filepath.Base(f), Text: string(b)})
	}
	return out, nil
}

// exampleName turns "nosana-stable-diffusion.json" into
// "nosana stable diffusion".
func exampleName(file string) string {
	name := strings.TrimSuffix(file, filepath.Ext(file))
	return strings.NewReplacer("-", " ", "_", " ").Replace(name)
}

// examplesModule is the JavaScript module served for `import … from
// "jobkit:examples"`.
func examplesModule(examples []example) (string, error) {
	b, err := json.Marshal(examples)
	if err != nil {
		return "", err
	}
	return "export default " + string(b) + ";\n", nil
}

func examplesPlugin(examples []example) api.Plugin {
	return api.Plugin{
		Name: "jobkit-examples",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `^jobkit:examples$`}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				return api.OnResolveResult{Path: "examples", Namespace: "jobkit"}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "jobkit"}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				js, err := examplesModule(examples)
				return api.OnLoadResult{Contents: &js, Loader: api.LoaderJS}, err
			})
		},
	}
}

// wasmExecPlugin resolves `import "jobkit:wasm_exec"` (web/worker.js) to
// the toolchain's wasm_exec.js, which defines the Go class that runs the
// core. Bundled into worker.js, it costs the worker no request of its own:
// a synchronous importScripts there held the worker's thread while the
// wasm's response waited to be handed to the compiler.
func wasmExecPlugin(execJS string) api.Plugin {
	return api.Plugin{
		Name: "jobkit-wasm-exec",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `^jobkit:wasm_exec$`}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				return api.OnResolveResult{Path: execJS}, nil
			})
		},
	}
}

// bundle builds app.js (the page, an ES module), worker.js (a classic
// worker script, with the toolchain's wasm_exec.js at execJS bundled in),
// boot.js (a classic script the page runs first, which starts the worker
// and compiles the core for it) and style.css. wasmName (the core's file
// name) becomes the JOBKIT_WASM constant of boot.js and the worker.
func bundle(root, out string, examples []example, wasmName, execJS string) error {
	common := api.BuildOptions{
		AbsWorkingDir:     mustAbs(root),
		Bundle:            true,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Target:            api.ES2020,
		Write:             true,
		LogLevel:          api.LogLevelWarning,
		LegalComments:     api.LegalCommentsEndOfFile,
	}
	builds := []struct {
		entry, outfile string
		format         api.Format
	}{
		{"web/main.js", "app.js", api.FormatESModule},
		{"web/worker.js", "worker.js", api.FormatIIFE},
		{"web/boot.js", "boot.js", api.FormatIIFE},
		{"web/style.css", "style.css", api.FormatDefault},
	}
	for _, b := range builds {
		opts := common
		opts.EntryPoints = []string{b.entry}
		opts.Outfile = filepath.Join(out, b.outfile)
		opts.Format = b.format
		opts.Plugins = []api.Plugin{examplesPlugin(examples), wasmExecPlugin(execJS)}
		opts.Define = map[string]string{"JOBKIT_WASM": strconv.Quote(wasmName)}
		res := api.Build(opts)
		if len(res.Errors) > 0 {
			msgs := api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
			return fmt.Errorf("bundle %s:\n%s", b.entry, strings.Join(msgs, ""))
		}
	}
	return nil
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}
