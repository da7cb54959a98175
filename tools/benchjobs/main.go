// Command benchjobs writes a deterministic set of Nosana job files for the
// side-by-side bench against the official validator (scripts/bench-validator.sh):
// -n files whose sizes spread evenly from -min to -max bytes, pretty-printed
// as people write them, every -faulty'th one with mistakes both validators
// reject. The jobs are generated here, never copied from a corpus.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

func main() {
	n := flag.Int("n", 1000, "number of files")
	minSize := flag.Int("min", 1<<10, "smallest file, in bytes")
	maxSize := flag.Int("max", 60<<10, "largest file, in bytes")
	faulty := flag.Int("faulty", 10, "every faulty'th file has mistakes (0: none)")
	out := flag.String("out", "", "directory to write into (created)")
	flag.Parse()
	if *out == "" || *n < 1 || *minSize < 512 || *maxSize < *minSize {
		flag.Usage()
		os.Exit(2)
	}
	if err := write(*out, *n, *minSize, *maxSize, *faulty); err != nil {
		fmt.Fprintln(os.Stderr, "benchjobs:", err)
		os.Exit(1)
	}
}

func write(dir string, n, minSize, maxSize, faulty int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	// A fixed seed: every run benches the same files.
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		size := minSize
		if n > 1 {
			size += (maxSize - minSize) * i / (n - 1)
		}
		text, err := job(r, size, faulty > 0 && i%faulty == faulty-1)
		if err != nil {
			return err
		}
		name := filepath.Join(dir, fmt.Sprintf("job-%04d.json", i))
		if err := os.WriteFile(name, text, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}

type obj = map[string]any

var images = []string{"ubuntu:22.04", "docker.io/library/python:3.12-slim", "ghcr.io/example/trainer:1.4.2", "nvidia/cuda:12.4.1-runtime-ubuntu22.04"}

// job builds one job of about size bytes: ops are added until the indented
// JSON reaches the size.
func job(r *rand.Rand, size int, faults bool) ([]byte, error) {
	doc := obj{
		"version": "0.1",
		"type":    "container",
		"meta": obj{"trigger": "cli", "description": "generated for the jobkit validator bench",
			"system_requirements": obj{"required_vram": 16}},
		"global": obj{"env": obj{"LC_ALL": "C"}, "variables": obj{"EPOCHS": "3"}},
	}
	var ops []any
	for i := 0; ; i++ {
		ops = append(ops, op(r, i, faults && i == 1))
		doc["ops"] = ops
		text, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("encode job: %w", err)
		}
		if len(text) >= size-700 || i > 10000 {
			return append(text, '\n'), nil
		}
	}
}

func op(r *rand.Rand, i int, faulty bool) obj {
	id := fmt.Sprintf("step-%d", i)
	args := obj{
		"image": images[r.IntN(len(images))],
		"cmd":   []any{"python", "train.py", "--epochs", "%%global.variables.EPOCHS%%", "--seed", fmt.Sprint(r.IntN(1000))},
		"env":   obj{"STEP": fmt.Sprint(i), "MODE": "train", "BATCH": fmt.Sprint(8 << r.IntN(4))},
		"expose": []any{obj{"port": 10000 + i, "health_checks": []any{obj{
			"type": "http", "path": "/health", "method": "GET", "expected_status": 200, "continuous": true,
		}}}},
		"work_dir": "/workspace",
	}
	if r.IntN(3) == 0 {
		args["gpu"] = true
	}
	o := obj{
		"id":        id,
		"type":      "container/run",
		"args":      args,
		"results":   obj{"loss": "loss=[0-9.]+"},
		"execution": obj{"group": fmt.Sprintf("stage-%d", i/4)},
	}
	if faulty {
		// A misspelt key (so no image) and a port out of range: both
		// validators reject the job.
		args["imagee"] = args["image"]
		delete(args, "image")
		args["expose"] = []any{obj{"port": 70000}}
	}
	return o
}
