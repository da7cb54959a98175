package nomadexec

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jobkit-dev/jobkit/runner/engine"
	"github.com/jobkit-dev/jobkit/runner/nomadjob"
)

// LocalNode fingerprints this host the way a Nomad client does, for
// ${node.*} and ${attr.*}: kernel, OS, CPU, memory, hostname, Docker, and
// the GPUs nvidia-smi lists (when it is installed).
func LocalNode(ctx context.Context, dockerVersion string) nomadjob.Node {
	host, _ := os.Hostname()
	sum := sha256.Sum256([]byte("jobkit-node\x00" + host))
	n := nomadjob.Node{
		ID:    fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16]),
		Name:  host,
		Pool:  "default",
		Attrs: map[string]string{},
		Meta:  map[string]string{},
	}
	a := n.Attrs
	a["kernel.name"] = runtime.GOOS
	a["cpu.arch"] = runtime.GOARCH
	a["cpu.numcores"] = strconv.Itoa(runtime.NumCPU())
	a["unique.hostname"] = host
	a["unique.network.ip-address"] = "127.0.0.1"
	a["driver.docker"] = "1"
	a["nomad.version"] = "jobkit-runner"
	if dockerVersion != "" {
		a["driver.docker.version"] = dockerVersion
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		a["kernel.version"] = strings.TrimSpace(string(b))
	}
	a["kernel.arch"] = kernelArch(runtime.GOARCH)
	for k, v := range osRelease() {
		a[k] = v
	}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		a["cpu.modelname"] = v
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		if kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(v, "kB")), 10, 64); err == nil {
			a["memory.totalbytes"] = strconv.FormatInt(kb*1024, 10)
		}
	}
	gpuAttrs(ctx, a)
	return n
}

func osRelease() map[string]string {
	f, err := os.Open("/etc/os-release")
	if err != nil {
		return nil
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		switch k {
		case "ID":
			out["os.name"] = v
		case "VERSION_ID":
			out["os.version"] = v
		}
	}
	return out
}

// procField reads "key : value" from a /proc file (the first match).
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// gpuAttrs adds the GPU facts nvidia-smi gives (the device plugin's
// attributes, as attr.* here since the runner has no device catalogue).
func gpuAttrs(ctx context.Context, a map[string]string) {
	smi, err := exec.LookPath("nvidia-smi")
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, smi, "--query-gpu=index,uuid,name,memory.total", "--format=csv,noheader,nounits").Output()
	if err != nil {
		return
	}
	gpus := engine.ParseNvidiaSMI(string(out))
	if len(gpus) == 0 {
		return
	}
	a["device.nvidia.gpu.count"] = strconv.Itoa(len(gpus))
	a["device.nvidia.gpu.model"] = gpus[0].Name
	a["device.nvidia.gpu.memory"] = fmt.Sprintf("%.0f MiB", gpus[0].MemoryMB)
}

// kernelArch is `uname -m` for the Go architecture (without forking uname
// on every run).
func kernelArch(goarch string) string {
	switch goarch {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	case "386":
		return "i686"
	}
	return goarch
}
