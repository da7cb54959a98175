package nomadjob

import (
	"fmt"
	"io"
	"strings"
)

// Print writes the plan for people (runner --plan): every allocation and
// the container each task becomes, in lifecycle order. Secrets are masked
// by the caller (runner --plan masks Plan.Secrets).
func Print(w io.Writer, p *Plan) error {
	var b strings.Builder
	fmt.Fprintf(&b, "run %s: Nomad job %q (%s), %d allocation(s)\n", p.RunID, p.JobID, p.Type, len(p.Allocs))
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	for _, a := range p.Allocs {
		fmt.Fprintf(&b, "\nallocation %s (%s), id %s\n", a.Name, a.Path, a.ID)
		switch a.Network {
		case "bridge":
			fmt.Fprintf(&b, "  network: bridge, shared by the tasks (container %s)\n", a.Infra)
		case "host":
			fmt.Fprintf(&b, "  network: host\n")
		}
		for _, port := range a.Ports {
			kind := "dynamic"
			if port.Static {
				kind = "static"
			}
			to := ""
			if port.To > 0 {
				to = fmt.Sprintf(" → container port %d", port.To)
			}
			fmt.Fprintf(&b, "  port %s (%s): 127.0.0.1:%d%s\n", port.Label, kind, port.Host, to)
		}
		for _, phase := range []string{HookPrestart, "", HookPoststart, HookPoststop} {
			for _, t := range a.Tasks {
				if t.Hook != phase {
					continue
				}
				printTask(&b, t)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func printTask(b *strings.Builder, t *Task) {
	hook := "main"
	if t.Hook != "" {
		hook = t.Hook
		if t.Sidecar {
			hook += " sidecar"
		}
	}
	if t.Leader {
		hook += ", leader"
	}
	fmt.Fprintf(b, "  task %s (%s) [%s] container %s\n", t.Name, t.Path, hook, t.Container)
	img := t.Image
	if t.SourceImage != t.Image {
		img += " (for " + t.SourceImage + ")"
	}
	if t.Auth != nil {
		img += fmt.Sprintf(", pulled as %s", t.Auth.Username)
	}
	fmt.Fprintf(b, "    image: %s, pull %s\n", img, t.Pull)
	if t.Entrypoint != nil {
		fmt.Fprintf(b, "    entrypoint: %q\n", t.Entrypoint)
	}
	if t.Cmd != nil {
		fmt.Fprintf(b, "    command: %q\n", t.Cmd)
	}
	if t.WorkDir != "" {
		fmt.Fprintf(b, "    work_dir: %s\n", t.WorkDir)
	}
	res := fmt.Sprintf("cpu shares %d, memory %d MB", t.CPUShares, t.MemoryMB)
	if t.MemoryResMB > 0 {
		res += fmt.Sprintf(" (soft %d MB)", t.MemoryResMB)
	}
	if t.NanoCPUs > 0 {
		res += fmt.Sprintf(", %d CPUs", t.NanoCPUs/1e9)
	}
	switch {
	case t.GPU != nil && len(t.GPU.DeviceIDs) > 0:
		res += ", GPUs " + strings.Join(t.GPU.DeviceIDs, ",")
	case t.GPU != nil && t.GPU.Count < 0:
		res += ", all GPUs"
	case t.GPU != nil:
		res += fmt.Sprintf(", %d GPU(s)", t.GPU.Count)
	case t.GPUDropped:
		res += ", no GPU (--no-gpu)"
	}
	for _, r := range t.GPUMemory {
		res += ", GPU " + r.String()
	}
	fmt.Fprintf(b, "    resources: %s\n", res)
	if t.NetworkMode != "" {
		fmt.Fprintf(b, "    network: %s\n", t.NetworkMode)
	}
	for _, p := range t.Publish {
		fmt.Fprintf(b, "    publishes %s: 127.0.0.1:%d → %d\n", p.Label, p.Host, p.To)
	}
	for _, m := range t.Mounts {
		ro := ""
		if m.ReadOnly {
			ro = " (read-only)"
		}
		src := m.Source
		if m.Type == "tmpfs" {
			src = "tmpfs"
		}
		fmt.Fprintf(b, "    mount %s → %s%s\n", src, m.Target, ro)
	}
	fmt.Fprintf(b, "    restart: %d attempts in %s, delay %s, mode %s; kill %s after %s\n",
		t.Restart.Attempts, t.Restart.Interval, t.Restart.Delay, t.Restart.Mode, t.KillSignal, t.KillTimeout)
	client := 0
	for _, kv := range t.Env {
		if strings.HasPrefix(kv, "NOMAD_") {
			client++
			continue
		}
		fmt.Fprintf(b, "    env %s\n", kv)
	}
	fmt.Fprintf(b, "    env: %d NOMAD_* variables of the allocation and task\n", client)
}
