package engine

import (
	"context"
	"io"
	"strings"

	"github.com/docker/docker/api/types/container"

	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

// Parts lends the engine's machinery to a job model other than Nosana's
// (the Nomad runner): image pulls with credentials, the GPU check, and the
// removal of private images. It runs the very code a Nosana run uses, so the
// two runners pull, check and clean up alike.
type Parts struct {
	e *Engine
}

// NewParts makes the parts of run runID. Messages go to errOut, with the
// secrets masked; terminal chooses progress bars over progress lines.
func NewParts(d Daemon, runID string, errOut io.Writer, secrets []string, terminal bool, gpuProbeImage string) *Parts {
	e := &Engine{D: d, Plan: &plan.Plan{RunID: runID}, Err: errOut, Out: errOut,
		Opts: Options{Terminal: terminal, GPUProbeImage: gpuProbeImage}}
	e.con = &console{out: errOut, err: errOut, mask: plan.NewMasker(secrets)}
	return &Parts{e: e}
}

// Logf prints a runner message through the run's console (masked, serialised).
func (p *Parts) Logf(format string, a ...any) { p.e.con.logf(format, a...) }

// Mask hides the run's secrets in s.
func (p *Parts) Mask(s string) string { return p.e.con.mask.Mask(s) }

// Pull makes image available as policy (plan.PullMissing, …) says, once per
// run; who names the task in messages. Credentials go to the daemon only.
func (p *Parts) Pull(ctx context.Context, image, policy, who string, auth *nosana.DockerAuth) error {
	return p.e.pull(ctx, &plan.Step{OpID: who, Image: image, Pull: policy, Auth: auth})
}

// CheckGPU makes sure the daemon can give a container the GPUs gpu asks for
// before anything starts (the same probe and error as for Nosana jobs); who
// names the task and what asked for the GPU.
func (p *Parts) CheckGPU(ctx context.Context, image, policy, who string, auth *nosana.DockerAuth, gpu plan.GPURequest) error {
	step := &plan.Step{OpID: who, Image: image, Pull: policy, Auth: auth, GPU: &gpu}
	p.e.Plan.Groups = []plan.Group{{Steps: []*plan.Step{step}}}
	defer func() { p.e.Plan.Groups = nil }()
	err := p.e.checkGPU(ctx)
	if ie, ok := err.(*InfraError); ok {
		// The Nosana wording names the op's gpu flag; who already says what asked.
		return &InfraError{Msg: strings.Replace(ie.Msg, " (gpu: true)", "", 1)}
	}
	return err
}

// StartError explains a failed container start in words (missing command,
// no GPU runtime) the way a Nosana run does.
func (p *Parts) StartError(container, image, who string, err error) error {
	return p.e.startError(&plan.Step{OpID: who, Container: container, Image: image}, err)
}

// RemoveAuthImages removes the images pulled with credentials.
func (p *Parts) RemoveAuthImages(ctx context.Context) { p.e.removeAuthImages(ctx) }

// DeviceRequest is what `docker run --gpus` sends for gpu.
func DeviceRequest(gpu plan.GPURequest) container.DeviceRequest { return deviceRequest(gpu) }
