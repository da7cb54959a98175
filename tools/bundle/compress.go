package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/andybalholm/brotli"
)

// brotliQuality is the quality of the .br copies (-brotli).
var brotliQuality = brotli.BestCompression

// compressible lists the extensions worth precompressing.
var compressible = map[string]bool{".html": true, ".js": true, ".css": true, ".wasm": true, ".json": true, ".svg": true}

// precompress replaces every compressible file in dir by its compressed
// copies: name.gz always (internal/webui inflates it for a client that
// accepts no encoding) and name.br when it is smaller than the .gz. Only the
// copies are embedded, which keeps the jobkit binary small. It returns one
// size line per file.
func precompress(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !compressible[filepath.Ext(name)] {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		gz, br, err := compress(raw)
		if err != nil {
			return nil, fmt.Errorf("compress %s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".gz"), gz, 0o644); err != nil {
			return nil, err
		}
		if len(br) < len(gz) {
			if err := os.WriteFile(filepath.Join(dir, name+".br"), br, 0o644); err != nil {
				return nil, err
			}
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return nil, err
		}
		lines = append(lines, fmt.Sprintf("%-30s raw %9d  gzip %9d  brotli %9d", name, len(raw), len(gz), len(br)))
	}
	sort.Strings(lines)
	return lines, nil
}

func compress(raw []byte) (gz, br []byte, err error) {
	var g bytes.Buffer
	zw, err := gzip.NewWriterLevel(&g, gzip.BestCompression)
	if err != nil {
		return nil, nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	bw := brotli.NewWriterLevel(&b, brotliQuality)
	if _, err := bw.Write(raw); err != nil {
		return nil, nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, nil, err
	}
	return g.Bytes(), b.Bytes(), nil
}
