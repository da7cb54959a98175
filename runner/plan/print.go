package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/jobkit-dev/jobkit/core/nosana"
)

// Print writes the plan for people. Secret values are masked.
func Print(w io.Writer, p *Plan) error {
	m := NewMasker(p.Secrets)
	var b strings.Builder
	fmt.Fprintf(&b, "run %s: network %s (made when ops can reach each other; a lone op uses the default bridge), label %s=%s\n", p.RunID, p.Network, LabelRun, p.RunID)
	if p.NeedsGPU {
		fmt.Fprintf(&b, "gpu: required")
		if p.RequiredVRAM > 0 {
			fmt.Fprintf(&b, ", at least %g GB VRAM", p.RequiredVRAM)
		}
		b.WriteString(" (checked before anything starts)\n")
	}
	if len(p.Volumes) > 0 {
		fmt.Fprintf(&b, "volumes: %s\n", strings.Join(p.Volumes, ", "))
	}
	for gi, g := range p.Groups {
		fmt.Fprintf(&b, "\ngroup %d/%d %q", gi+1, len(p.Groups), g.Name)
		if len(g.Steps) > 1 {
			b.WriteString(" (ops start together)")
		}
		b.WriteString("\n")
		for _, s := range g.Steps {
			printStep(&b, s)
		}
	}
	for _, warn := range p.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", warn)
	}
	_, err := io.WriteString(w, m.Mask(b.String()))
	return err
}

func printStep(b *strings.Builder, s *Step) {
	row := func(k, format string, a ...any) { fmt.Fprintf(b, "    %-10s %s\n", k, fmt.Sprintf(format, a...)) }
	if s.Type == nosana.TypeCreateVolume {
		fmt.Fprintf(b, "  op %s (create-volume)\n", s.OpID)
		row("volume", "%s", s.Volume)
		return
	}
	fmt.Fprintf(b, "  op %s (container/run): container %s\n", s.OpID, s.Container)
	img := s.Image
	if s.SourceImage != s.Image {
		img = s.SourceImage + " → " + s.Image
	}
	auth := ""
	if s.Auth != nil {
		auth = ", with registry credentials of " + s.Auth.Username
	}
	row("image", "%s (pull %s%s)", img, s.Pull, auth)
	row("entrypoint", "%s", argv(s.Entrypoint, "the image's"))
	row("cmd", "%s", argv(s.Cmd, "the image's"))
	if s.WorkDir != "" {
		row("work_dir", "%s", s.WorkDir)
	}
	row("env", "%s", strings.Join(maskEnv(s.Env), " "))
	row("network", "aliases %s", strings.Join(s.Aliases, ", "))
	for _, mt := range s.Mounts {
		row("mount", "%s → %s (%s)", mountSource(mt), mt.Target, map[bool]string{true: "read-only", false: "read-write"}[mt.ReadOnly])
	}
	for _, p := range s.Ports {
		checks := ""
		for _, hc := range p.HealthChecks {
			checks += "; health " + describeCheck(hc)
		}
		row("port", "%d/%s on 127.0.0.1:%d (or a free port if taken)%s", p.Port, p.Type, p.Port, checks)
	}
	switch {
	case s.GPU != nil:
		row("gpu", "%s", describeGPU(*s.GPU))
	case s.GPUDropped:
		row("gpu", "none (--no-gpu)")
	}
	if len(s.DependsOn) > 0 {
		stop := ""
		if s.StopIfDependentStops {
			stop = "; stops when one of them stops"
		}
		row("after", "%s is ready%s", strings.Join(s.DependsOn, ", "), stop)
	}
	if s.Restart.Policy != "" && s.Restart.Policy != "no" {
		tries := ""
		if s.Restart.RestartTries > 0 {
			tries = fmt.Sprintf(", at most %d restarts", s.Restart.RestartTries)
		}
		row("restart", "%s%s", s.Restart.Policy, tries)
	}
	if s.Literals {
		row("literals", "%%%%…%%%% values are resolved when the op starts")
	}
}

func argv(a []string, none string) string {
	if a == nil {
		return "(" + none + ")"
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(a)
	return strings.TrimSpace(b.String())
}

func maskEnv(env []string) []string {
	out := make([]string, len(env))
	for i, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if SecretName(k) && v != "" {
			v = "****"
		}
		out[i] = k + "=" + v
	}
	return out
}

// redactURL drops the user:pass@ part of a URL, however short the keys
// (the masker leaves values under 4 characters alone).
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = nil
	return strings.Replace(u.String(), "://", "://****@", 1)
}

func mountSource(m Mount) string {
	if m.Volume != "" {
		return "volume " + m.Volume
	}
	r := m.Resource
	switch {
	case r.S3 != nil:
		src := redactURL(r.S3.URL)
		if r.S3.Bucket != "" {
			src = r.S3.Bucket
		}
		for _, bk := range r.S3.Buckets {
			src += " " + redactURL(bk.URL)
		}
		return "S3 " + strings.TrimSpace(src) + files(r.S3.Files)
	case r.HF != nil:
		rev := r.HF.Revision
		if rev == "" {
			rev = "main"
		}
		return "HF " + r.HF.Repo + "@" + rev + files(r.HF.Files)
	case r.Ollama != nil:
		return "Ollama " + r.Ollama.Model
	}
	return "resource"
}

func files(f []string) string {
	if len(f) == 0 {
		return ""
	}
	return " [" + strings.Join(f, ", ") + "]"
}

func describeCheck(hc nosana.HealthCheck) string {
	if hc.Type == "websocket" {
		return fmt.Sprintf("websocket expects %q", hc.ExpectedResponse) + continuous(hc)
	}
	return fmt.Sprintf("http %s %s → %d", hc.Method, hc.Path, hc.ExpectedStatus) + continuous(hc)
}

func continuous(hc nosana.HealthCheck) string {
	if hc.Continuous {
		return " (continuous)"
	}
	return ""
}

func describeGPU(g GPURequest) string {
	switch {
	case len(g.DeviceIDs) > 0:
		return "devices " + strings.Join(g.DeviceIDs, ",")
	case g.Count < 0:
		return "all GPUs"
	}
	return fmt.Sprintf("%d GPU(s)", g.Count)
}
