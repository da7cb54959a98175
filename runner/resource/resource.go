// Package resource downloads a job's resources (S3 objects, Hugging Face
// repositories, Ollama models) natively into a content-addressed cache on the
// host, so the runner can bind-mount the result at the resource's target.
//
// Every download is verified (size and, where the server publishes one, a
// hash), lands in a temporary directory next to the cache entry and is renamed
// into place only when complete. A second Fetch of the same request therefore
// downloads nothing. Credentials are never part of a cache key, an error, a
// progress update or a log line.
//
// Cache layout under Cache.Dir:
//
//	<key>/            a complete resource (immutable, shared by every job)
//	.tmp-<key>-<rand>/ a download in progress (removed when it fails)
//	.lock-<key>       held by the process downloading <key>; others wait
//	rw/<key>-<rand>/  a private writable copy for an S3 resource with
//	                  AllowWrite (removed by Cache.Release); under
//	                  Cache.RWDir instead when that is set
//
// A mutable revision (an HF branch such as main, an Ollama tag, an S3 prefix)
// is cached as requested: remove <key>/ to fetch it again.
package resource

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Spec is one resource request. Key is its content address: a hash of the
// type, location, revision and file list, never of credentials.
type Spec interface{ Key() string }

// Cache is a directory of downloaded resources, one subdirectory per key.
type Cache struct {
	// Dir is the cache root, created when missing.
	Dir string
	// Client is the HTTP client to use; nil means a default client.
	Client *http.Client
	// RWDir is where private writable copies go (default Dir/rw). The runner
	// puts them in the run's folder, so that the copies of a run that died
	// are found and removed with it.
	RWDir string
}

// Result describes a fetched resource.
type Result struct {
	// Dir holds the resource's files; mount it at the resource's target.
	Dir string
	// Bytes is what this call downloaded (0 on a cache hit).
	Bytes int64
	// Files is the number of files in Dir.
	Files int
	// Cached is true when nothing had to be downloaded.
	Cached bool
}

// fetcher is implemented by every Spec type this package knows how to fetch.
// fetch downloads into dir (an empty directory opened as a root) and reports
// through dl.
type fetcher interface {
	Spec
	label() string
	secrets() []string
	fetch(ctx context.Context, dl *downloader) error
}

// keyLocks serialises fetches of the same key inside one process, so two
// operations needing the same model do not download it twice.
var keyLocks sync.Map // key → *sync.Mutex

// Fetch makes spec available under c.Dir and returns where. A cache hit costs
// no network request. An S3 spec with AllowWrite gets a private writable copy
// of the cached files (see S3.AllowWrite); release it with Release.
func (c *Cache) Fetch(ctx context.Context, spec Spec, progress Progress) (res Result, err error) {
	f, err := asFetcher(spec)
	if err != nil {
		return Result{}, err
	}
	spec = f
	defer func() {
		if err != nil {
			err = scrub(err, f.secrets())
		}
	}()
	if c.Dir == "" {
		return Result{}, errors.New("resource: cache directory not set")
	}
	root, err := filepath.Abs(c.Dir) // Result.Dir is bind-mounted: make it absolute
	if err != nil {
		return Result{}, fmt.Errorf("resource: cache directory: %w", err)
	}
	key := spec.Key()
	rep := newReporter(progress, f.label())

	mu, _ := keyLocks.LoadOrStore(filepath.Join(root, key), &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()

	if err := os.MkdirAll(root, 0o755); err != nil {
		return Result{}, fmt.Errorf("download %s: create cache directory: %w", f.label(), err)
	}
	// Other runner processes sharing the cache wait here while one downloads.
	unlock, err := lockEntry(ctx, filepath.Join(root, ".lock-"+key))
	if err != nil {
		return Result{}, fmt.Errorf("download %s: %w", f.label(), err)
	}
	defer unlock()

	final := filepath.Join(root, key)
	if n, ok := countFiles(final); ok {
		rep.cached(n)
		res = Result{Dir: final, Files: n, Cached: true}
		return c.writable(spec, res)
	}
	tmp, err := os.MkdirTemp(root, ".tmp-"+key+"-")
	if err != nil {
		return Result{}, fmt.Errorf("download %s: %w", f.label(), err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed

	dl, err := newDownloader(c.client(), tmp, rep)
	if err != nil {
		return Result{}, fmt.Errorf("download %s: %w", f.label(), err)
	}
	err = f.fetch(ctx, dl)
	dl.close()
	if err != nil {
		rep.failed(err)
		return Result{}, fmt.Errorf("download %s: %w", f.label(), err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes it 0700
		return Result{}, fmt.Errorf("download %s: %w", f.label(), err)
	}
	if err := os.Rename(tmp, final); err != nil {
		// Another process finished the same key first: use its copy.
		if n, ok := countFiles(final); ok {
			rep.done()
			return c.writable(spec, Result{Dir: final, Bytes: dl.total(), Files: n})
		}
		return Result{}, fmt.Errorf("download %s: move into cache: %w", f.label(), err)
	}
	rep.done()
	n, _ := countFiles(final)
	return c.writable(spec, Result{Dir: final, Bytes: dl.total(), Files: n})
}

// asFetcher accepts the spec types of this package, as values or non-nil
// pointers.
func asFetcher(spec Spec) (fetcher, error) {
	switch s := spec.(type) {
	case S3:
		return s, nil
	case HF:
		return s, nil
	case Ollama:
		return s, nil
	case HTTP:
		return s, nil
	case *S3:
		if s != nil {
			return *s, nil
		}
	case *HF:
		if s != nil {
			return *s, nil
		}
	case *Ollama:
		if s != nil {
			return *s, nil
		}
	}
	return nil, fmt.Errorf("resource: unsupported resource %T", spec)
}

func (c *Cache) client() *http.Client {
	if c.Client != nil {
		return c.Client
	}
	return http.DefaultClient
}

// countFiles reports whether dir exists as a directory and how many regular
// files it holds.
func countFiles(dir string) (int, bool) {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return 0, false
	}
	n := 0
	_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n, true
}

// scrub removes every secret from err's text. The result still unwraps to
// err for errors.Is/As.
func scrub(err error, secrets []string) error {
	msg := err.Error()
	changed := false
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
			changed = true
		}
	}
	if !changed {
		return err
	}
	return &scrubbed{msg: msg, err: err}
}

type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }
