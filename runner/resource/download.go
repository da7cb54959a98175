package resource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// parallel is how many files of one resource download at the same time.
const parallel = 4

// attempts is how often a file is tried when the network or the server fails
// in a way that may pass (connection errors, 5xx, 429).
const attempts = 3

// stallTimeout ends an attempt that receives no data for that long (it is
// then retried).
var stallTimeout = 60 * time.Second

var errStalled = errors.New("stalled connection")

// retryDelay is the pause before the second attempt; it doubles after that.
var retryDelay = 500 * time.Millisecond

// expect is what a downloaded file must match. Zero values mean unknown.
type expect struct {
	size    int64  // -1: unknown
	sha256  string // lowercase hex
	gitSHA1 string // git blob id: sha1("blob <size>\x00" + content)
	md5     string // lowercase hex
}

// file is one download: name is the slash-separated path inside the resource.
type file struct {
	name   string
	want   expect
	newReq func(ctx context.Context) (*http.Request, error)
	// check turns a non-2xx response into an error for people and may add to
	// want what the response headers say (first is the first response of a
	// redirect chain, resp the last one).
	check func(first http.Header, resp *http.Response, want *expect) error
}

// downloader writes files into one directory and reports progress.
type downloader struct {
	client *http.Client
	root   *os.Root
	rep    *reporter
	bytes  atomic.Int64
}

type firstRespKey struct{}

func newDownloader(base *http.Client, dir string, rep *reporter) (*downloader, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	cl := *base
	orig := base.CheckRedirect
	cl.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return fmt.Errorf("refusing redirect from https to %s", req.URL.Redacted())
		}
		// Credentials stay with the host they were given for (Go itself
		// still forwards them to subdomains).
		if req.URL.Host != via[0].URL.Host {
			req.Header.Del("Authorization")
		}
		if rec, ok := req.Context().Value(firstRespKey{}).(*http.Header); ok && *rec == nil && req.Response != nil {
			*rec = req.Response.Header
		}
		if orig != nil {
			return orig(req, via)
		}
		return nil
	}
	return &downloader{client: &cl, root: root, rep: rep}, nil
}

func (d *downloader) close()       { d.root.Close() }
func (d *downloader) total() int64 { return d.bytes.Load() }

// do sends req and returns the response with the headers of the first
// response in its redirect chain.
func (d *downloader) do(req *http.Request) (*http.Response, http.Header, error) {
	var first http.Header
	req = req.WithContext(context.WithValue(req.Context(), firstRespKey{}, &first))
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	if first == nil {
		first = resp.Header
	}
	return resp, first, nil
}

// run downloads files, parallel at a time, and stops at the first error.
func (d *downloader) run(ctx context.Context, files []file) error {
	if err := checkLayout(files); err != nil {
		return err
	}
	var total, known int64
	for _, f := range files {
		if f.want.size > 0 {
			known += f.want.size
		}
		if f.want.size < 0 || total < 0 {
			total = -1
			continue
		}
		total += f.want.size
	}
	if err := d.checkSpace(known); err != nil {
		return err
	}
	d.rep.start(len(files), total)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan file)
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	for range min(parallel, len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				if err := d.fetchFile(ctx, f); err != nil {
					once.Do(func() { firstErr = err; cancel() })
				}
			}
		}()
	}
feed:
	for _, f := range files {
		select {
		case jobs <- f:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// fetchFile downloads one file, retrying failures that may pass.
func (d *downloader) fetchFile(ctx context.Context, f file) error {
	delay := retryDelay
	for try := 1; ; try++ {
		n, err := d.attempt(ctx, f)
		if err == nil {
			d.bytes.Add(n)
			d.rep.fileDone(f.name, n)
			return nil
		}
		var t *transient
		if !errors.As(err, &t) || try == attempts || ctx.Err() != nil {
			return err
		}
		d.rep.fileRetry(f.name, n)
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return ctx.Err()
		}
		delay *= 2
	}
}

// transient marks an error worth another attempt.
type transient struct{ err error }

func (t *transient) Error() string { return t.err.Error() }
func (t *transient) Unwrap() error { return t.err }

// attempt downloads f once; it returns the bytes written so far.
func (d *downloader) attempt(parent context.Context, f file) (int64, error) {
	// The watchdog ends an attempt that receives nothing for stallTimeout.
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	watchdog := time.AfterFunc(stallTimeout, func() { cancel(errStalled) })
	defer watchdog.Stop()
	failed := func(n int64, err error) (int64, error) {
		if parent.Err() != nil {
			return n, parent.Err()
		}
		if context.Cause(ctx) == errStalled {
			err = fmt.Errorf("no data for %s: %w", stallTimeout, errStalled)
		}
		return n, &transient{fmt.Errorf("%s: %w", f.name, err)}
	}

	req, err := f.newReq(ctx)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept-Encoding", "identity") // sizes and hashes are of the stored bytes
	resp, first, err := d.do(req)
	if err != nil {
		return failed(0, err)
	}
	defer resp.Body.Close()
	want := f.want
	if err := f.check(first, resp, &want); err != nil {
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			return 0, &transient{err}
		}
		return 0, err
	}
	if want.size < 0 && resp.ContentLength >= 0 {
		want.size = resp.ContentLength
	}

	if dir := path.Dir(f.name); dir != "." {
		if err := d.root.MkdirAll(dir, 0o755); err != nil {
			return 0, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	out, err := d.root.OpenFile(f.name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", f.name, err)
	}
	defer out.Close()

	in := &watchedReader{r: resp.Body, watchdog: watchdog, rep: d.rep, name: f.name, size: want.size}
	var body io.Reader = in
	if want.size >= 0 {
		body = io.LimitReader(body, want.size+1) // one more shows a too long body
	}
	sums := newSums(want)
	n, werr, rerr := copyHashed(out, body, sums.hashes())
	if werr != nil {
		return n, fmt.Errorf("write %s: %w", f.name, werr)
	}
	if rerr != nil {
		return failed(n, fmt.Errorf("interrupted after %d bytes: %w", n, rerr))
	}
	if err := out.Close(); err != nil {
		return n, fmt.Errorf("%s: %w", f.name, err)
	}
	if want.size >= 0 && n != want.size {
		return n, &transient{fmt.Errorf("%s: got %d bytes, the server announced %d", f.name, n, want.size)}
	}
	if err := sums.verify(want); err != nil {
		return n, fmt.Errorf("%s: %w", f.name, err)
	}
	return n, nil
}

// checkLayout refuses names that escape the resource directory, and sets of
// names that cannot all be files (the same name twice, or "a" and "a/b").
func checkLayout(files []file) error {
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		if err := safeName(f.name); err != nil {
			return err
		}
		if seen[f.name] {
			return fmt.Errorf("two files would be written to %q", f.name)
		}
		seen[f.name] = true
	}
	for _, f := range files {
		for dir := path.Dir(f.name); dir != "."; dir = path.Dir(dir) {
			if seen[dir] {
				return fmt.Errorf("%q is both a file and the directory of %q", dir, f.name)
			}
		}
	}
	return nil
}

// statusError is the generic text for an unexpected HTTP status.
func statusError(what string, resp *http.Response) error {
	return fmt.Errorf("%s: server answered %s", what, resp.Status)
}

// contentLength reads a size header, -1 when missing or malformed.
func contentLength(h http.Header, name string) int64 {
	v := h.Get(name)
	if v == "" {
		return -1
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}
