package nomadexec

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/jobkit-dev/jobkit/runner/nomadjob"
	"github.com/jobkit-dev/jobkit/runner/resource"
)

// fetchArtifacts downloads the task's artifacts into the content-addressed
// cache (the runner's downloader, as for Nosana resources) and puts them
// where the task expects them, unpacking archives.
func (r *Runner) fetchArtifacts(ctx context.Context, t *nomadjob.Task) error {
	for _, a := range t.Artifacts {
		spec, name := artifactSpec(a, r.Opts.S3Endpoint)
		cache := &resource.Cache{Dir: r.Opts.CacheDir}
		res, err := cache.Fetch(ctx, spec, resource.NewLines(&logWriter{r: r}, 2*time.Second))
		if err != nil {
			return fmt.Errorf("%s: %s", a.Path, r.parts.Mask(err.Error()))
		}
		src := filepath.Join(res.Dir, name)
		switch {
		case a.Unarchive:
			err = unpack(src, a.Dest)
		case a.Mode == "file":
			err = copyFile(src, a.Dest)
		default:
			err = copyFile(src, filepath.Join(a.Dest, name))
		}
		if err != nil {
			return fmt.Errorf("%s: %w", a.Path, err)
		}
	}
	return nil
}

func artifactSpec(a nomadjob.Artifact, s3Endpoint string) (resource.Spec, string) {
	if a.Kind == "s3" {
		rest := strings.TrimPrefix(a.URL, "s3://")
		dir, name := path.Split(rest)
		ep := s3Endpoint
		if a.S3Host != "" {
			ep = a.S3Host
		}
		return resource.S3{URL: "s3://" + strings.TrimSuffix(dir, "/"), Files: []string{name}, Endpoint: ep,
			Region: a.S3Region, AccessKeyID: a.S3KeyID, SecretAccessKey: a.S3Secret}, name
	}
	name := resource.FileName(a.URL)
	return resource.HTTP{URL: a.URL, Name: name, SHA256: a.SHA256, MD5: a.MD5, Headers: a.Headers}, name
}

func copyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// unpack extracts a .tar, .tar.gz/.tgz or .zip into dir; entries cannot
// leave dir (os.Root refuses them).
func unpack(src, dir string) error {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	lower := strings.ToLower(src)
	if strings.HasSuffix(lower, ".zip") {
		return unzip(src, root)
	}
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	var rd io.Reader = f
	if strings.HasSuffix(lower, ".gz") || strings.HasSuffix(lower, ".tgz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("unpack %s: %w", filepath.Base(src), err)
		}
		defer gz.Close()
		rd = gz
	}
	tr := tar.NewReader(rd)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("unpack %s: %w", filepath.Base(src), err)
		}
		name := path.Clean(strings.TrimPrefix(h.Name, "/"))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := root.MkdirAll(name, 0o777); err != nil {
				return fmt.Errorf("unpack %s: %w", h.Name, err)
			}
		case tar.TypeReg:
			if err := writeEntry(root, name, tr, os.FileMode(h.Mode)&0o777); err != nil {
				return fmt.Errorf("unpack %s: %w", h.Name, err)
			}
		} // links and devices are skipped: they could point outside the allocation
	}
}

func unzip(src string, root *os.Root) error {
	z, err := zip.OpenReader(src)
	if err != nil {
		return fmt.Errorf("unpack %s: %w", filepath.Base(src), err)
	}
	defer z.Close()
	for _, f := range z.File {
		name := path.Clean(strings.TrimPrefix(f.Name, "/"))
		if f.FileInfo().IsDir() {
			if err := root.MkdirAll(name, 0o777); err != nil {
				return fmt.Errorf("unpack %s: %w", f.Name, err)
			}
			continue
		}
		if !f.Mode().IsRegular() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("unpack %s: %w", f.Name, err)
		}
		err = writeEntry(root, name, rc, f.Mode()&0o777)
		rc.Close()
		if err != nil {
			return fmt.Errorf("unpack %s: %w", f.Name, err)
		}
	}
	return nil
}

func writeEntry(root *os.Root, name string, r io.Reader, mode os.FileMode) error {
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o777); err != nil {
			return err
		}
	}
	if mode == 0 {
		mode = 0o644
	}
	out, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// logWriter turns the downloader's progress lines into runner messages.
type logWriter struct {
	r   *Runner
	buf []byte
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		if line := strings.TrimRight(string(w.buf[:i]), "\r"); line != "" {
			w.r.parts.Logf("%s", line)
		}
		w.buf = w.buf[i+1:]
	}
}
