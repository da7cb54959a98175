package engine

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"

	"github.com/jobkit-dev/jobkit/runner/plan"
)

// GPU is one line of nvidia-smi's inventory.
type GPU struct {
	Index    string
	UUID     string
	Name     string
	MemoryMB float64 // MiB
}

// ParseNvidiaSMI reads the output of
// `nvidia-smi --query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits`.
// It tolerates a header line, units ("81559 MiB"), blank lines, extra spaces
// and commas inside the name, and skips lines it cannot read.
func ParseNvidiaSMI(out string) []GPU {
	var gpus []GPU
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ",")
		if len(f) < 4 {
			continue
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		mem := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(f[len(f)-1]), "MiB"))
		mb, err := strconv.ParseFloat(mem, 64)
		if err != nil || mb < 0 {
			continue // header, "[N/A]", garbage
		}
		gpus = append(gpus, GPU{Index: f[0], UUID: f[1], Name: strings.Join(f[2:len(f)-1], ", "), MemoryMB: mb})
	}
	return gpus
}

// CheckVRAM says whether the selected GPUs have at least required GB each.
// It returns "" when they do, and a message saying what is missing otherwise.
func CheckVRAM(gpus []GPU, sel plan.GPURequest, required float64) string {
	if required <= 0 {
		return ""
	}
	var chosen []GPU
	switch {
	case len(sel.DeviceIDs) > 0:
		for _, id := range sel.DeviceIDs {
			for _, g := range gpus {
				if g.Index == id || g.UUID == id {
					chosen = append(chosen, g)
				}
			}
		}
		if len(chosen) < len(sel.DeviceIDs) {
			return fmt.Sprintf("--gpus %s names GPUs this machine does not have (nvidia-smi lists %s)", strings.Join(sel.DeviceIDs, ","), gpuList(gpus))
		}
	default:
		chosen = gpus
	}
	if len(chosen) == 0 {
		return "nvidia-smi lists no GPUs"
	}
	var big []GPU
	for _, g := range chosen {
		if g.MemoryMB/1024 >= required {
			big = append(big, g)
		}
	}
	need := len(chosen)
	if sel.Count > 0 {
		need = sel.Count
	} else if sel.Count < 0 {
		need = 1
	}
	if len(big) >= need {
		return ""
	}
	return fmt.Sprintf("the job needs %g GB of GPU memory (meta.system_requirements.required_vram) but the GPUs here have %s; run it on a machine with a larger GPU, or lower required_vram if the model fits", required, gpuList(chosen))
}

func gpuList(gpus []GPU) string {
	var parts []string
	for _, g := range gpus {
		parts = append(parts, fmt.Sprintf("GPU %s %s %.1f GB", g.Index, g.Name, g.MemoryMB/1024))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// checkGPU makes sure the daemon can give containers GPUs before anything
// starts: it creates and starts a throwaway container with the same device
// request (the daemon refuses at start when it has no GPU runtime), then
// compares the VRAM nvidia-smi reports with meta.system_requirements.
func (e *Engine) checkGPU(ctx context.Context) error {
	var step *plan.Step
	for _, g := range e.Plan.Groups {
		for _, s := range g.Steps {
			if s.GPU != nil && step == nil {
				step = s
			}
		}
	}
	if step == nil {
		return nil
	}
	// The daemon refuses the device request before it runs anything, so any
	// local image will do; the op's own image is pulled only when there is none.
	probe := *step
	if img := e.probeImage(ctx); img != "" {
		probe.Image = img
	} else if err := e.pull(ctx, step); err != nil {
		return err
	}
	cfg := &container.Config{Image: probe.Image, Entrypoint: []string{"true"}, Labels: e.withOwner(map[string]string{plan.LabelOp: "gpu-probe"})}
	hc := &container.HostConfig{NetworkMode: "none", Resources: container.Resources{DeviceRequests: []container.DeviceRequest{deviceRequest(*step.GPU)}}}
	created, err := e.D.ContainerCreate(ctx, cfg, hc, nil, nil, e.Plan.RunID+"-gpu-probe")
	if err != nil {
		return &InfraError{Msg: fmt.Sprintf("GPU check: create a probe container from %s: %v", probe.Image, err)}
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = e.D.ContainerRemove(rctx, created.ID, container.RemoveOptions{Force: true})
	}()
	if err := e.D.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil && strings.Contains(err.Error(), "could not select device driver") {
		return &InfraError{Msg: gpuHelp(step.OpID, err.Error())}
	}
	if e.Plan.RequiredVRAM <= 0 {
		return nil
	}
	smi, err := exec.LookPath("nvidia-smi")
	if err != nil {
		e.con.logf("warning: cannot check the job's required_vram (%g GB): nvidia-smi is not on this machine's PATH", e.Plan.RequiredVRAM)
		return nil
	}
	out, err := exec.CommandContext(ctx, smi, "--query-gpu=index,uuid,name,memory.total", "--format=csv,noheader,nounits").Output()
	if err != nil {
		return &InfraError{Msg: fmt.Sprintf("GPU check: nvidia-smi failed: %v; is the NVIDIA driver loaded?", err)}
	}
	if msg := CheckVRAM(ParseNvidiaSMI(string(out)), *step.GPU, e.Plan.RequiredVRAM); msg != "" {
		return &InfraError{Msg: "GPU check: " + msg}
	}
	return nil
}

func (e *Engine) probeImage(ctx context.Context) string {
	if e.Opts.GPUProbeImage != "" {
		return e.Opts.GPUProbeImage
	}
	imgs, err := e.D.ImageList(ctx, image.ListOptions{})
	if err != nil {
		return ""
	}
	best, size := "", int64(-1)
	for _, im := range imgs {
		if len(im.RepoTags) == 0 || im.RepoTags[0] == "<none>:<none>" {
			continue
		}
		if size < 0 || im.Size < size {
			best, size = im.RepoTags[0], im.Size
		}
	}
	return best
}

// gpuHelp is the one message for "this daemon cannot give GPUs".
func gpuHelp(opID, daemonMsg string) string {
	return fmt.Sprintf("op %s needs a GPU (gpu: true), but the Docker daemon cannot give containers GPUs (%s).\n"+
		"  To run it with a GPU: install the NVIDIA driver and the NVIDIA Container Toolkit "+
		"(https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html), "+
		"run `nvidia-ctk runtime configure --runtime=docker`, then restart dockerd.\n"+
		"  To run it without a GPU: add --no-gpu.", opID, strings.TrimPrefix(daemonMsg, "Error response from daemon: "))
}
