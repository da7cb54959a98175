package resource

import (
	"errors"
	"fmt"
	"syscall"
)

// ErrNoSpace is wrapped by the error of a download that would not fit.
var ErrNoSpace = errors.New("not enough free disk space")

// freeBytes is the space an unprivileged process may still use under dir
// (a variable so tests can pretend a disk is full).
var freeBytes = func(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}

// checkSpace refuses a download whose known size does not fit in the free
// space of the cache's file system, before a byte is downloaded: failing
// after an hour of downloading, with a half-full disk, helps nobody.
func (d *downloader) checkSpace(need int64) error {
	if need <= 0 {
		return nil
	}
	free, err := freeBytes(d.root.Name())
	if err != nil {
		return nil // unknown: the download itself will tell
	}
	if need > free {
		return fmt.Errorf("%w: the files take %s and %s has %s free; free some space or use --cache on a larger disk", ErrNoSpace, humanBytes(need), d.root.Name(), humanBytes(free))
	}
	return nil
}
