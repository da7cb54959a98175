package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/runner/plan"
	"github.com/jobkit-dev/jobkit/runner/resource"
)

// RWDir is the folder in a run's folder that holds its private writable
// resource copies (S3 allowWrite).
const RWDir = "rw"

// DefaultCacheDir is where resources are downloaded unless --cache says
// otherwise: $XDG_CACHE_HOME/jobkit/resources (~/.cache/jobkit/resources).
func DefaultCacheDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "jobkit", "resources")
	}
	return filepath.Join(os.TempDir(), "jobkit-resources")
}

// Spec maps a job resource to a download request.
func Spec(r *nosana.Resource, s3Endpoint, hfEndpoint string) (resource.Spec, error) {
	switch {
	case r.S3 != nil:
		s := resource.S3{URL: r.S3.URL, Bucket: r.S3.Bucket, Files: r.S3.Files, AllowWrite: r.S3.AllowWrite, Endpoint: s3Endpoint}
		for _, b := range r.S3.Buckets {
			s.Buckets = append(s.Buckets, resource.S3Bucket{URL: b.URL, Files: b.Files})
		}
		if r.S3.IAM != nil {
			s.Region, s.AccessKeyID, s.SecretAccessKey = r.S3.IAM.Region, r.S3.IAM.AccessKeyID, r.S3.IAM.SecretAccessKey
		}
		return s, nil
	case r.HF != nil:
		return resource.HF{Repo: r.HF.Repo, Revision: r.HF.Revision, Files: r.HF.Files, Token: r.HF.AccessToken, Endpoint: hfEndpoint}, nil
	case r.Ollama != nil:
		return resource.Ollama{Model: r.Ollama.Model}, nil
	}
	return nil, fmt.Errorf("resource of type %q cannot be downloaded", r.Type)
}

// fetchResources downloads the step's resources into the host cache (each
// once per run); the container mounts them at their targets.
func (e *Engine) fetchResources(ctx context.Context, step *plan.Step) error {
	for _, m := range step.Mounts {
		if m.Resource == nil {
			continue
		}
		if _, done := e.mounts.Load(m.Resource); done {
			continue
		}
		spec, err := Spec(m.Resource, e.Opts.S3Endpoint, e.Opts.HFEndpoint)
		if err != nil {
			return &InfraError{Msg: fmt.Sprintf("op %s: %v", step.OpID, err)}
		}
		cache := &resource.Cache{Dir: e.cacheDir()}
		if e.Opts.RunDir != "" {
			cache.RWDir = filepath.Join(e.Opts.RunDir, RWDir)
		}
		var prog resource.Progress
		if e.Opts.Terminal {
			prog = resource.NewBar(lockedWriter{e.con})
		} else {
			prog = resource.NewLines(lockedWriter{e.con}, 2*time.Second)
		}
		res, err := cache.Fetch(ctx, spec, prog)
		if err != nil {
			return &InfraError{Msg: fmt.Sprintf("op %s: resource for %s: %s", step.OpID, m.Target, e.con.mask.Mask(err.Error()))}
		}
		e.con.logf("op %s: resource %s ready (%d files, %s)", step.OpID, m.Target, res.Files, fetched(res))
		e.mounts.Store(m.Resource, res.Dir)
		e.relMu.Lock()
		e.released = append(e.released, func() { _ = cache.Release(res) })
		e.relMu.Unlock()
	}
	return nil
}

func fetched(r resource.Result) string {
	if r.Cached {
		return "from the cache"
	}
	return fmt.Sprintf("%d bytes downloaded", r.Bytes)
}

func (e *Engine) cacheDir() string {
	if e.Opts.CacheDir != "" {
		return e.Opts.CacheDir
	}
	return DefaultCacheDir()
}

// resourceDir is the host directory of a downloaded resource ("" if none).
func (e *Engine) resourceDir(m plan.Mount) string {
	if v, ok := e.mounts.Load(m.Resource); ok {
		return v.(string)
	}
	return ""
}

// lockedWriter writes progress through the console lock, masked.
type lockedWriter struct{ c *console }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	s := w.c.mask.Mask(string(p))
	_, err := strings.NewReader(s).WriteTo(w.c.err)
	return len(p), err
}
