package runnercli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/docker/docker/client"

	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/runner/engine"
	"github.com/jobkit-dev/jobkit/runner/nomadexec"
	"github.com/jobkit-dev/jobkit/runner/nomadjob"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

// nomadConfig are the flags only Nomad jobs use.
type nomadConfig struct {
	meta       imageMap // K=V, reusing the FROM=TO flag type
	payload    string
	infraImage string
}

func nomadFlags(fs *flag.FlagSet, c *nomadConfig) {
	c.meta = imageMap{}
	fs.Var(c.meta, "meta", "Nomad parameterized job: dispatch meta K=V (repeatable)")
	fs.StringVar(&c.payload, "payload", "", "Nomad parameterized job: dispatch payload file")
	fs.StringVar(&c.infraImage, "infra-image", nomadexec.DefaultInfraImage, "Nomad bridge networks: image of the container holding an allocation's network namespace")
}

// runNomad runs a linted Nomad job: decode with Nomad's defaults, plan for
// this host, then execute (or print the plan).
func runNomad(ctx context.Context, c *config, doc *jsonast.Document, name string, stdout, stderr io.Writer) int {
	job, err := nomadjob.Decode(doc)
	if err != nil {
		fmt.Fprintf(stderr, "runner: %s: %v\n", name, err)
		return ExitInvalid
	}
	var payload []byte
	if c.nomad.payload != "" {
		if payload, err = os.ReadFile(c.nomad.payload); err != nil {
			fmt.Fprintf(stderr, "runner: --payload: %v\n", err)
			return ExitInvalid
		}
	}
	var d *client.Client
	dockerVersion := ""
	if !c.planOnly {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		d, err = engine.Connect(cctx)
		// One more round trip, only for a job that asks for the version.
		if err == nil && bytes.Contains(doc.Text, []byte("driver.docker.version")) {
			if v, verr := d.ServerVersion(cctx); verr == nil {
				dockerVersion = v.Version
			}
		}
		cancel()
		if err != nil {
			fmt.Fprintf(stderr, "runner: %s\n", err)
			return ExitInfra
		}
		defer d.Close()
	}
	opts := nomadjob.Options{
		RunID: c.runID, Pull: c.pull, ImageMap: c.images, GPUs: c.gpus, NoGPU: c.noGPU,
		Node:      nomadexec.LocalNode(ctx, dockerVersion),
		AllocRoot: filepath.Join(os.TempDir(), c.runID+"-allocs"),
		PickPort:  freePort, Meta: c.nomad.meta, Payload: payload,
	}
	if c.nomad.payload != "" && payload == nil {
		opts.Payload = []byte{}
	}
	p, err := nomadjob.Build(job, opts)
	if err != nil {
		fmt.Fprintf(stderr, "runner: %s: %v\n", name, err)
		return ExitInvalid
	}
	mask := plan.NewMasker(p.Secrets)
	if c.planOnly {
		var b bytes.Buffer
		_ = nomadjob.Print(&b, p)
		if _, err := io.WriteString(stdout, mask.Mask(b.String())); err != nil {
			return ExitInfra
		}
		return ExitOK
	}
	r := &nomadexec.Runner{
		D: d, Plan: p, Out: stdout, Err: stderr,
		Opts: nomadexec.Options{Timeout: c.timeout, Keep: c.keep, Terminal: isTerminal(stderr), InfraImage: c.nomad.infraImage,
			CacheDir: c.cache, S3Endpoint: c.s3Endpoint},
	}
	rep, runErr := r.Run(ctx)
	if runErr != nil {
		fmt.Fprintf(stderr, "runner: %s\n", mask.Mask(runErr.Error()))
	}
	fmt.Fprintln(stderr)
	rep.Summary(stderr)
	if c.report != "" {
		if err := writeNomadReport(c.report, rep); err != nil {
			fmt.Fprintf(stderr, "runner: %v\n", err)
			if runErr == nil && rep.Status == engine.StatusSuccess {
				return ExitInfra
			}
		}
	}
	switch {
	case rep.Status == engine.StatusError:
		return ExitInfra
	case rep.Status == engine.StatusStopped && ctx.Err() != nil:
		return ExitInterrupt
	case rep.Status == engine.StatusSuccess:
		return ExitOK
	}
	return ExitOpFailed
}

func writeNomadReport(path string, rep *nomadexec.Report) error {
	var b bytes.Buffer
	if err := rep.WriteJSON(&b); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// freePort asks the kernel for a free port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// nomadOnlyFlags lists the Nomad-only flags given (refused for Nosana jobs).
func nomadOnlyFlags(c *config) []string {
	var out []string
	if len(c.nomad.meta) > 0 {
		out = append(out, "--meta")
	}
	if c.nomad.payload != "" {
		out = append(out, "--payload")
	}
	return out
}
