package engine

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/jobkit-dev/jobkit/runner/plan"
)

// Labels that say who made a container, network or volume, so that what a
// dead runner left (SIGKILL, OOM kill) can be found and removed later
// without touching what a live runner uses.
const (
	LabelPID      = "dev.jobkit.pid"      // the runner's process id
	LabelHost     = "dev.jobkit.host"     // the runner's host name
	LabelLock     = "dev.jobkit.lock"     // the run's lock file; held while the run lives
	LabelInstance = "dev.jobkit.instance" // random per runner process: cleanup removes only its own
)

// Owner identifies the runner process that makes a run's objects.
type Owner struct {
	RunID    string
	PID      int
	Host     string
	Lock     string // path of the run's lock file ("" without a run folder)
	Instance string
}

// NewOwner describes this process as the owner of runID.
func NewOwner(runID, lockPath string) Owner {
	host, _ := os.Hostname()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return Owner{RunID: runID, PID: os.Getpid(), Host: host, Lock: lockPath, Instance: hex.EncodeToString(b)}
}

// Labels are the labels every object of the run carries.
func (o Owner) Labels() map[string]string {
	l := map[string]string{plan.LabelRun: o.RunID, LabelPID: strconv.Itoa(o.PID), LabelHost: o.Host, LabelInstance: o.Instance}
	if o.Lock != "" {
		l[LabelLock] = o.Lock
	}
	return l
}

// withOwner adds the owner labels to an object's own labels.
func (e *Engine) withOwner(labels map[string]string) map[string]string {
	out := map[string]string{plan.LabelRun: e.Plan.RunID}
	if e.Opts.Owner.RunID != "" {
		for k, v := range e.Opts.Owner.Labels() {
			out[k] = v
		}
	}
	for k, v := range labels {
		out[k] = v
	}
	return out
}

// runIDPattern is what Docker accepts as a container and network name
// prefix, kept short enough for RUNID-<index> and RUNID-<volume>.
var runIDPattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$`)

// CheckRunID rejects a run id Docker would refuse as a name, or that would
// name a folder outside the runs directory.
func CheckRunID(id string) error {
	if !runIDPattern.MatchString(id) {
		return fmt.Errorf("--run-id %q: use 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit", id)
	}
	return nil
}

// DefaultRunsDir is where each run gets its folder (logs, lock, private
// resource copies): $XDG_STATE_HOME/jobkit/runs, else ~/.cache/jobkit/runs.
func DefaultRunsDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "jobkit", "runs")
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "jobkit", "runs")
	}
	return filepath.Join(os.TempDir(), "jobkit-runs")
}

// RunLock is the lock in a run's folder, held for as long as the run lives.
// The kernel drops it when the process dies, however it dies, which is what
// tells a dead run from a live one.
type RunLock struct {
	Dir  string // the run's folder
	Path string // the lock file
	f    *os.File
}

// ErrRunInUse is returned by LockRun when another live runner holds the run id.
var ErrRunInUse = errors.New("run id in use")

const lockName = "lock"

// LockRun makes the run's folder under runsDir and takes its lock. It fails
// with ErrRunInUse when another runner holds it.
func LockRun(runsDir, runID string) (*RunLock, error) {
	if err := CheckRunID(runID); err != nil {
		return nil, err
	}
	dir := filepath.Join(runsDir, runID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("run folder: %w", err)
	}
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("run lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: run %s is running (%s); choose another --run-id", ErrRunInUse, runID, strings.TrimSpace(string(holder)))
		}
		return nil, fmt.Errorf("run lock %s: %w", path, err)
	}
	host, _ := os.Hostname()
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(fmt.Sprintf("pid %d on %s\n", os.Getpid(), host)), 0)
	return &RunLock{Dir: dir, Path: path, f: f}, nil
}

// Unlock releases the lock (the folder and its logs stay).
func (l *RunLock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// lockFree reports whether nobody holds the lock at path: the run that made
// it is dead. A missing file counts as free.
func lockFree(path string) bool {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return errors.Is(err, os.ErrNotExist)
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return false
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return true
}

// pidAlive reports whether a process with pid exists on this host.
func pidAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// ownerDead decides from an object's labels whether the runner that made it
// is gone. Objects of other hosts, and objects without owner labels (made
// by an older runner, or by hand), are never considered dead.
func ownerDead(labels map[string]string, host string) bool {
	if labels[plan.LabelRun] == "" || labels[LabelHost] != host {
		return false
	}
	pid, err := strconv.Atoi(labels[LabelPID])
	if err != nil {
		return false
	}
	if lock := labels[LabelLock]; lock != "" {
		// The lock is exact even when the pid was reused.
		if _, statErr := os.Stat(lock); statErr == nil {
			return lockFree(lock)
		}
	}
	return !pidAlive(pid)
}
