package resource

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockEntry takes the cross-process lock of one cache entry, so that two
// runners needing the same resource download it once: the second waits and
// then finds the complete entry. The kernel drops the lock when its holder
// dies, so a killed download never blocks the cache, and the holder removes
// the file when done, so the cache holds no lock files. Waiting ends with ctx.
func lockEntry(ctx context.Context, path string) (unlock func(), err error) {
	wait := 10 * time.Millisecond
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("lock cache entry: %w", err)
		}
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			// The holder before us removes the file when it is done: a lock
			// on a removed file is no lock, so check we hold the current one.
			if sameFile(f, path) {
				return func() { os.Remove(path); f.Close() }, nil
			}
			f.Close()
			continue
		}
		f.Close()
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("lock cache entry: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for another runner to download it: %w", context.Cause(ctx))
		case <-time.After(wait):
		}
		wait = min(2*wait, 500*time.Millisecond)
	}
}

func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}
