package resource

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
)

// Ollama is an Ollama model (Nosana `type: "Ollama"`), laid out like
// ollama's models directory so that it can be mounted at
// /root/.ollama/models:
//
//	manifests/registry.ollama.ai/library/llama3/8b
//	blobs/sha256-<hex>
//
// Model is `name[:tag]` (library model), `user/name[:tag]` or
// `host/user/name[:tag]`; the tag defaults to latest. Registry overrides
// where it is downloaded from (default https://registry.ollama.ai, or
// https://<host> for a model naming its host); the manifest path keeps the
// model's own host, which is what ollama looks for.
type Ollama struct {
	Model, Registry string
}

const ollamaHost = "registry.ollama.ai"

// ollamaRef is a parsed model name.
type ollamaRef struct {
	host, repo, tag string // repo: library/llama3 or user/model
}

func (o Ollama) ref() (ollamaRef, error) {
	name, tag := o.Model, "latest"
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name, tag = name[:i], name[i+1:]
	}
	r := ollamaRef{host: ollamaHost, tag: tag}
	segs := strings.Split(name, "/")
	if len(segs) == 3 || (len(segs) == 2 && strings.ContainsAny(segs[0], ".:")) {
		r.host, segs = segs[0], segs[1:]
	}
	if len(segs) == 1 {
		segs = []string{"library", segs[0]}
	}
	r.repo = strings.Join(segs, "/")
	for _, s := range append(segs, tag, r.host) {
		if s == "" || s == "." || s == ".." || strings.ContainsAny(s, "\\/ \x00") {
			return r, fmt.Errorf("model %q must look like name:tag or user/name:tag", o.Model)
		}
	}
	return r, nil
}

func (o Ollama) registry(r ollamaRef) string {
	if o.Registry != "" {
		return strings.TrimRight(o.Registry, "/")
	}
	return "https://" + r.host
}

// Key hashes the registry and the model reference.
func (o Ollama) Key() string {
	r, err := o.ref()
	if err != nil {
		return hashKey("ollama", "invalid", o.Model, o.Registry)
	}
	return hashKey("ollama", o.registry(r), r.host, r.repo, r.tag)
}

func (o Ollama) label() string     { return "ollama:" + o.Model }
func (o Ollama) secrets() []string { return nil }

// ollamaManifest is a registry image manifest (schema 2).
type ollamaManifest struct {
	Config ollamaLayer   `json:"config"`
	Layers []ollamaLayer `json:"layers"`
}

type ollamaLayer struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
}

func (o Ollama) fetch(ctx context.Context, dl *downloader) error {
	r, err := o.ref()
	if err != nil {
		return err
	}
	reg := o.registry(r)
	raw, m, err := o.manifest(ctx, dl, reg, r)
	if err != nil {
		return err
	}
	var files []file
	seen := map[string]bool{}
	for _, l := range append([]ollamaLayer{m.Config}, m.Layers...) {
		hexd, ok := strings.CutPrefix(l.Digest, "sha256:")
		if !ok || !isHex(hexd, 64) {
			return fmt.Errorf("manifest: layer digest %q is not sha256:<64 hex digits>", l.Digest)
		}
		if l.Size < 0 {
			return fmt.Errorf("manifest: layer %s has a negative size", l.Digest)
		}
		if seen[l.Digest] {
			continue
		}
		seen[l.Digest] = true
		files = append(files, o.blob(reg, r, l))
	}
	if err := dl.run(ctx, files); err != nil {
		return err
	}
	// The manifest goes last: ollama treats a model with a manifest as present.
	mpath := path.Join("manifests", r.host, r.repo, r.tag)
	if err := dl.root.MkdirAll(path.Dir(mpath), 0o755); err != nil {
		return err
	}
	return dl.root.WriteFile(mpath, raw, 0o644)
}

func (o Ollama) manifest(ctx context.Context, dl *downloader, reg string, r ollamaRef) ([]byte, *ollamaManifest, error) {
	u := reg + "/v2/" + r.repo + "/manifests/" + r.tag
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("manifest: %w", err)
	}
	req.Header.Set("Accept", "application/vnd.docker.distribution.manifest.v2+json")
	resp, _, err := dl.do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("manifest: %w", err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, nil, fmt.Errorf("model %s:%s not found on %s (check the name and the tag)", r.repo, r.tag, reg)
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return nil, nil, fmt.Errorf("model %s:%s: the registry %s wants authentication, which jobkit does not support for Ollama models", r.repo, r.tag, reg)
	case resp.StatusCode != http.StatusOK:
		return nil, nil, statusError("manifest", resp)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("manifest: %w", err)
	}
	var m ollamaManifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, nil, fmt.Errorf("manifest: not JSON: %w", err)
	}
	if len(m.Layers) == 0 {
		return nil, nil, fmt.Errorf("manifest of %s:%s lists no layers", r.repo, r.tag)
	}
	return raw, &m, nil
}

func (o Ollama) blob(reg string, r ollamaRef, l ollamaLayer) file {
	hexd := strings.TrimPrefix(l.Digest, "sha256:")
	u := reg + "/v2/" + r.repo + "/blobs/" + l.Digest
	return file{
		name: "blobs/sha256-" + hexd,
		want: expect{size: l.Size, sha256: hexd},
		newReq: func(ctx context.Context) (*http.Request, error) {
			return http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		},
		check: func(_ http.Header, resp *http.Response, _ *expect) error {
			if resp.StatusCode != http.StatusOK {
				return statusError("blob "+l.Digest, resp)
			}
			return nil
		},
	}
}
