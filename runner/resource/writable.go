package resource

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// rwDir is where private writable copies live, inside the cache directory.
const rwDir = "rw"

// writable gives an S3 resource with AllowWrite its own copy of the cached
// files, so that a job writing into its resource can neither corrupt the
// shared cache nor see what an earlier job wrote. (Nosana's node instead
// mounts one shared volume read-write for every job; jobkit trades disk space
// for runs that do not depend on each other.)
func (c *Cache) writable(spec Spec, res Result) (Result, error) {
	if !allowsWrite(spec) {
		return res, nil
	}
	base, err := c.rwBase()
	if err != nil {
		return Result{}, fmt.Errorf("writable copy: %w", err)
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return Result{}, fmt.Errorf("writable copy: %w", err)
	}
	dst, err := os.MkdirTemp(base, filepath.Base(res.Dir)+"-")
	if err != nil {
		return Result{}, fmt.Errorf("writable copy: %w", err)
	}
	if err := copyTree(res.Dir, dst); err != nil {
		os.RemoveAll(dst)
		return Result{}, fmt.Errorf("writable copy of %s: %w", res.Dir, err)
	}
	res.Dir = dst
	return res, nil
}

// rwBase is the absolute directory of the private writable copies.
func (c *Cache) rwBase() (string, error) {
	if c.RWDir != "" {
		return filepath.Abs(c.RWDir)
	}
	root, err := filepath.Abs(c.Dir)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, rwDir), nil
}

func allowsWrite(spec Spec) bool {
	s, ok := spec.(S3) // Fetch passes specs by value
	return ok && s.AllowWrite
}

// Release removes a private writable copy made by Fetch (AllowWrite). For any
// other result it does nothing: cache entries are shared.
func (c *Cache) Release(res Result) error {
	base, err := c.rwBase()
	if err != nil {
		return err
	}
	base += string(filepath.Separator)
	if !strings.HasPrefix(filepath.Clean(res.Dir), base) {
		return nil
	}
	return os.RemoveAll(res.Dir)
}

// copyTree copies the regular files and directories under src into dst.
func copyTree(src, dst string) error {
	if err := os.Chmod(dst, 0o755); err != nil {
		return err
	}
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil || rel == "." {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.Mkdir(target, 0o755)
		case d.Type().IsRegular():
			return copyFile(p, target)
		}
		return nil // the cache holds nothing else
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
