package resource

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Two runner processes sharing the cache need the same resource: one
// downloads, the other waits for the lock and finds the complete entry.
// The second process is this test binary run again (TestFetchChildProcess).
func TestFetchSharedCacheAcrossProcesses(t *testing.T) {
	f := newFlakyS3(t, map[string][]byte{"a.bin": randomBytes(t, 300_000)})
	gotGet := make(chan struct{}, 8)
	hook := func() {
		gotGet <- struct{}{}
		time.Sleep(300 * time.Millisecond) // keep the download in flight while the other process asks
	}
	f.onGet.Store(&hook)
	dir := t.TempDir()
	child := exec.Command(os.Args[0], "-test.run=^TestFetchChildProcess$", "-test.v")
	child.Env = append(os.Environ(), "JOBKIT_FETCH_URL="+f.spec().URL, "JOBKIT_FETCH_CACHE="+dir)
	var out strings.Builder
	child.Stdout, child.Stderr = &out, &out
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	// The child is downloading: fetch the same key here meanwhile.
	select {
	case <-gotGet:
	case <-time.After(time.Minute):
		t.Fatalf("the child process never downloaded:\n%s", out.String())
	}
	res, err := (&Cache{Dir: dir}).Fetch(context.Background(), f.spec(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Wait(); err != nil {
		t.Fatalf("child: %v\n%s", err, out.String())
	}
	if !res.Cached || f.gets.Load() != 1 || !strings.Contains(out.String(), "child downloaded") {
		t.Errorf("cached=%v, %d object GETs; want one download, by the child\n%s", res.Cached, f.gets.Load(), out.String())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("the cache holds %s after both fetches", e.Name())
		}
	}
}

// TestFetchChildProcess is the second process of the test above.
func TestFetchChildProcess(t *testing.T) {
	url, dir := os.Getenv("JOBKIT_FETCH_URL"), os.Getenv("JOBKIT_FETCH_CACHE")
	if url == "" {
		t.Skip("run by TestFetchSharedCacheAcrossProcesses")
	}
	res, err := (&Cache{Dir: dir}).Fetch(context.Background(), S3{URL: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Cached {
		t.Log("child downloaded")
	}
}

// A download whose known size does not fit on the disk is refused before a
// byte is downloaded.
func TestFetchRefusesWhatDoesNotFit(t *testing.T) {
	f := newFlakyS3(t, map[string][]byte{"a.bin": randomBytes(t, 5000)})
	old := freeBytes
	freeBytes = func(string) (int64, error) { return 1000, nil }
	defer func() { freeBytes = old }()
	dir := t.TempDir()
	_, err := (&Cache{Dir: dir}).Fetch(context.Background(), f.spec(), nil)
	if !errors.Is(err, ErrNoSpace) || !strings.Contains(err.Error(), "the files take 5.0 kB") {
		t.Errorf("err = %v, want ErrNoSpace with the sizes", err)
	}
	if f.gets.Load() != 0 {
		t.Errorf("%d object GETs before refusing", f.gets.Load())
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*")); len(m) != 0 {
		t.Errorf("left %v", m)
	}
}

// The entry lock waits for its holder and gives up with the context.
func TestLockEntryWaitsAndCancels(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".lock-x")
	unlock, err := lockEntry(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := lockEntry(ctx, path); err == nil || !strings.Contains(err.Error(), "waiting for another runner") {
		t.Errorf("second lock while held: %v", err)
	}
	got := make(chan error, 1)
	go func() {
		u, err := lockEntry(context.Background(), path)
		if err == nil {
			u()
		}
		got <- err
	}()
	unlock()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the waiter never got the lock")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("lock file left: %v", err)
	}
}
