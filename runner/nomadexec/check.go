package nomadexec

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
	"github.com/hashicorp/nomad/api"

	"github.com/jobkit-dev/jobkit/runner/nomadjob"
)

// Check statuses, as Consul and Nomad name them.
const (
	checkPassing  = "passing"
	checkWarning  = "warning"
	checkCritical = "critical"
)

// CheckState is the last result of a service check (in the report).
type CheckState struct {
	Service string `json:"Service"`
	Check   string `json:"Check"`
	Status  string `json:"Status"`
	Output  string `json:"Output,omitempty"`
}

// execer is the part of the Docker API script checks use (*client.Client has it).
type execer interface {
	ContainerExecCreate(ctx context.Context, id string, options container.ExecOptions) (container.ExecCreateResponse, error)
	ContainerExecAttach(ctx context.Context, execID string, config container.ExecAttachOptions) (types.HijackedResponse, error)
	ContainerExecInspect(ctx context.Context, execID string) (container.ExecInspect, error)
}

// runChecks runs every check of the allocation at its interval until ctx
// ends, prints status changes, and restarts a task as check_restart says.
func (ar *allocRun) runChecks(ctx context.Context) {
	for i := range ar.al.Checks {
		c := &ar.al.Checks[i]
		st := &CheckState{Service: c.Service, Check: c.Name, Status: checkCritical}
		ar.r.mu.Lock()
		ar.st.Checks = append(ar.st.Checks, st)
		ar.r.mu.Unlock()
		ar.checks.Add(1)
		go func() {
			defer ar.checks.Done()
			ar.checkLoop(ctx, c, st)
		}()
	}
}

func (ar *allocRun) checkLoop(ctx context.Context, c *nomadjob.Check, st *CheckState) {
	var task *taskRun
	for _, t := range ar.tasks {
		if t.t.Name == c.Task {
			task = t
		}
	}
	last, failures := "", 0
	tick := time.NewTimer(0)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		tick.Reset(c.Interval)
		status, out := ar.runCheck(ctx, c, task)
		if ctx.Err() != nil {
			return
		}
		ar.r.mu.Lock()
		st.Status, st.Output = status, out
		ar.r.mu.Unlock()
		if status != last {
			msg := fmt.Sprintf("%s: service %q check %q (%s): %s", ar.al.Name, c.Service, c.Name, c.Type, status)
			if status != checkPassing && out != "" {
				msg += ": " + out
			}
			ar.r.parts.Logf("%s", msg)
			last = status
		}
		if c.Restart == nil || task == nil {
			continue
		}
		healthy := status == checkPassing || (status == checkWarning && c.Restart.IgnoreWarnings)
		if healthy || time.Since(task.lastStart()) < c.Restart.Grace {
			failures = 0
			continue
		}
		failures++
		if failures >= c.Restart.Limit {
			failures = 0
			task.restartFor(fmt.Sprintf("healthcheck: check %q unhealthy", c.Name))
		}
	}
}

// runCheck runs one check with its timeout.
func (ar *allocRun) runCheck(ctx context.Context, c *nomadjob.Check, task *taskRun) (status, output string) {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	switch c.Type {
	case "tcp":
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", fmt.Sprintf("127.0.0.1:%d", c.Port.Host))
		if err != nil {
			return checkCritical, err.Error()
		}
		conn.Close()
		return checkPassing, ""
	case "http":
		return httpCheck(ctx, c)
	case "script":
		if task == nil || task.containerID() == "" {
			return checkCritical, "task not running"
		}
		return ar.scriptCheck(ctx, c, task.containerID())
	}
	return checkCritical, "unsupported check type " + c.Type
}

// httpCheck passes on 2xx, warns on 429 and is critical otherwise (Consul's rule).
func httpCheck(ctx context.Context, c *nomadjob.Check) (string, string) {
	method := c.Method
	if method == "" {
		method = http.MethodGet
	}
	path := c.HTTPPath
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	var body io.Reader
	if c.Body != "" {
		body = strings.NewReader(c.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, fmt.Sprintf("http://127.0.0.1:%d%s", c.Port.Host, path), body)
	if err != nil {
		return checkCritical, err.Error()
	}
	for k, vs := range c.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return checkCritical, err.Error()
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	out := fmt.Sprintf("HTTP %s %s: %s", method, path, resp.Status)
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return checkPassing, out
	case resp.StatusCode == http.StatusTooManyRequests:
		return checkWarning, out
	}
	return checkCritical, out
}

// scriptCheck runs the command in the task's container: exit 0 passes,
// 1 warns, anything else is critical (Nomad's rule).
func (ar *allocRun) scriptCheck(ctx context.Context, c *nomadjob.Check, id string) (string, string) {
	ex, ok := ar.r.D.(execer)
	if !ok {
		return checkCritical, "this Docker client cannot exec"
	}
	created, err := ex.ContainerExecCreate(ctx, id, container.ExecOptions{Cmd: append([]string{c.Command}, c.Args...), AttachStdout: true, AttachStderr: true})
	if err != nil {
		return checkCritical, err.Error()
	}
	att, err := ex.ContainerExecAttach(ctx, created.ID, container.ExecAttachOptions{})
	if err != nil {
		return checkCritical, err.Error()
	}
	stop := context.AfterFunc(ctx, att.Close) // a hung script ends with its timeout
	var out bytes.Buffer
	_, _ = stdcopy.StdCopy(&out, &out, io.LimitReader(att.Reader, 4<<10))
	stop()
	att.Close()
	info, err := ex.ContainerExecInspect(ctx, created.ID)
	if err != nil {
		return checkCritical, err.Error()
	}
	text := strings.TrimSpace(out.String())
	switch info.ExitCode {
	case 0:
		return checkPassing, text
	case 1:
		return checkWarning, text
	}
	return checkCritical, fmt.Sprintf("exit code %d: %s", info.ExitCode, text)
}

// restartFor restarts the task's container (check_restart): the exit that
// follows is restarted within the task's restart policy.
func (tr *taskRun) restartFor(reason string) {
	tr.killMu.Lock()
	if tr.killWhy != "" || !tr.running {
		tr.killMu.Unlock()
		return
	}
	tr.restartWhy = reason
	tr.killMu.Unlock()
	tr.event(api.TaskRestartSignal, reason, func(e *api.TaskEvent) { e.RestartReason = reason })
	tr.stopContainer(false)
}
