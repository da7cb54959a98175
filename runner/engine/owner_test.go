package engine

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"

	"github.com/jobkit-dev/jobkit/runner/plan"
)

// deadPID is the pid of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatalf("run true to get a dead pid: %v", err)
	}
	return cmd.Process.Pid
}

func TestOwnerDead(t *testing.T) {
	host, _ := os.Hostname()
	runs := t.TempDir()
	held, err := LockRun(runs, "held")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Unlock()
	freed, err := LockRun(runs, "freed")
	if err != nil {
		t.Fatal(err)
	}
	freed.Unlock()
	me, gone := strconv.Itoa(os.Getpid()), strconv.Itoa(deadPID(t))
	labels := func(h, pid, lock string) map[string]string {
		l := map[string]string{plan.LabelRun: "r", LabelHost: h, LabelPID: pid}
		if lock != "" {
			l[LabelLock] = lock
		}
		return l
	}
	tests := []struct {
		name   string
		labels map[string]string
		dead   bool
	}{
		{"no owner labels (older runner, or by hand)", map[string]string{plan.LabelRun: "r"}, false},
		{"another host", labels("elsewhere", gone, ""), false},
		{"live pid, no lock", labels(host, me, ""), false},
		{"dead pid, no lock", labels(host, gone, ""), true},
		{"lock held, even if the pid looks dead", labels(host, gone, held.Path), false},
		{"lock free, even if the pid was reused", labels(host, me, filepath.Join(runs, "freed", "lock")), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ownerDead(tc.labels, host); got != tc.dead {
				t.Errorf("ownerDead = %v, want %v", got, tc.dead)
			}
		})
	}
}

// A second lock on a live run id is refused; once released it is free.
func TestLockRun(t *testing.T) {
	runs := t.TempDir()
	l, err := LockRun(runs, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockRun(runs, "r1"); err == nil || !strings.Contains(err.Error(), "run id in use: run r1 is running (pid ") {
		t.Errorf("second lock: %v", err)
	}
	l.Unlock()
	l2, err := LockRun(runs, "r1")
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	l2.Unlock()
	for _, bad := range []string{"", "a/b", "../x", "-x", strings.Repeat("a", 64)} {
		if _, err := LockRun(runs, bad); err == nil {
			t.Errorf("run id %q accepted", bad)
		}
	}
}

type emptyDaemon struct{ Daemon }

func (emptyDaemon) ContainerList(context.Context, container.ListOptions) ([]container.Summary, error) {
	return nil, nil
}
func (emptyDaemon) NetworkList(context.Context, network.ListOptions) ([]network.Summary, error) {
	return nil, nil
}
func (emptyDaemon) VolumeList(context.Context, volume.ListOptions) (volume.ListResponse, error) {
	return volume.ListResponse{}, nil
}

// The private allowWrite copies of a dead run are found and removed; those
// of a live run are not.
func TestDeadRunCopies(t *testing.T) {
	runs := t.TempDir()
	live, err := LockRun(runs, "live")
	if err != nil {
		t.Fatal(err)
	}
	defer live.Unlock()
	dead, err := LockRun(runs, "dead")
	if err != nil {
		t.Fatal(err)
	}
	dead.Unlock()
	for _, d := range []string{live.Dir, dead.Dir} {
		if err := os.MkdirAll(filepath.Join(d, RWDir, "s3-key-123"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	orphans, err := FindOrphans(context.Background(), emptyDaemon{}, runs)
	if err != nil {
		t.Fatal(err)
	}
	if len(orphans) != 1 || orphans[0].Kind != "folder" || orphans[0].RunID != "dead" {
		t.Fatalf("orphans = %v", orphans)
	}
	if _, err := RemoveOrphans(context.Background(), emptyDaemon{}, orphans); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dead.Dir, RWDir)); !os.IsNotExist(err) {
		t.Errorf("the dead run's copies are still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(live.Dir, RWDir, "s3-key-123")); err != nil {
		t.Errorf("the live run's copy was removed: %v", err)
	}
}
