// Package cli is the runner command: flags, lint, plan, execute, report.
// cmd/runner is a thin main around Main so that tests can run it in-process.
package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/core/rule"
	"github.com/jobkit-dev/jobkit/runner/engine"
	"github.com/jobkit-dev/jobkit/runner/plan"
)

// Exit codes.
const (
	ExitOK        = 0   // every op succeeded
	ExitOpFailed  = 1   // an op failed, or the run was stopped by --timeout
	ExitInvalid   = 2   // invalid job or usage
	ExitInfra     = 3   // daemon unreachable, pull or download failed, no GPU
	ExitInterrupt = 130 // stopped by Ctrl-C or SIGTERM (after cleaning up)
)

const usage = `usage: runner [flags] JOB.json|-

Runs a Nosana job definition on the local Docker daemon, the way a Nosana
node would: lint first, then groups in order, ops of a group together.
Runs a Nomad JSON job's docker tasks the way a Nomad client would: lint
first, then every allocation (Count per group), tasks in lifecycle order.

flags:
`

type imageMap map[string]string

func (m imageMap) String() string { return fmt.Sprint(map[string]string(m)) }
func (m imageMap) Set(v string) error {
	from, to, ok := strings.Cut(v, "=")
	if !ok || from == "" || to == "" {
		return fmt.Errorf("want FROM=TO, got %q", v)
	}
	m[from] = to
	return nil
}

type config struct {
	planOnly   bool
	pull       string
	images     imageMap
	gpus       string
	noGPU      bool
	timeout    time.Duration
	grace      time.Duration
	keep       bool
	report     string
	cache      string
	runID      string
	s3Endpoint string
	hfEndpoint string
	health     time.Duration
	continuous time.Duration
	file       string
	nomad      nomadConfig
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{images: imageMap{}}
	fs := flag.NewFlagSet("runner", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	fs.BoolVar(&c.planOnly, "plan", false, "print the execution plan and exit (no Docker needed)")
	fs.StringVar(&c.pull, "pull", plan.PullMissing, "image pull policy: missing, always or never")
	fs.Var(c.images, "image-map", "use image TO wherever the job says FROM (FROM=TO, repeatable)")
	fs.StringVar(&c.gpus, "gpus", "all", "GPUs for gpu ops: all, a count N, or device ids like 0,2")
	fs.BoolVar(&c.noGPU, "no-gpu", false, "run GPU ops without GPUs")
	fs.DurationVar(&c.timeout, "timeout", 0, "stop the run after this long (e.g. 30m); 0 means no limit")
	fs.DurationVar(&c.grace, "grace", 10*time.Second, "time between SIGTERM and SIGKILL when stopping an op")
	fs.BoolVar(&c.keep, "keep", false, "keep the run's containers, network and volumes")
	fs.StringVar(&c.report, "report", "", "write the run report (Nosana flow-state JSON) to this file")
	fs.StringVar(&c.cache, "cache", "", "resource download cache (default "+engine.DefaultCacheDir()+")")
	fs.StringVar(&c.runID, "run-id", "", "name of the run (default: random); containers are RUNID-<op index>")
	fs.StringVar(&c.s3Endpoint, "s3-endpoint", "", "S3 endpoint for S3 resources (default: the resource's own or AWS)")
	fs.StringVar(&c.hfEndpoint, "hf-endpoint", "", "Hugging Face endpoint for HF resources (default $HF_ENDPOINT or https://huggingface.co)")
	fs.DurationVar(&c.health, "health-interval", time.Second, "interval of startup health checks")
	fs.DurationVar(&c.continuous, "continuous-interval", 30*time.Second, "interval of continuous health checks")
	nomadFlags(fs, &c.nomad)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != 1 {
		fs.Usage()
		return nil, fmt.Errorf("give exactly one job file (or - for stdin)")
	}
	c.file = pos[0]
	switch c.pull {
	case plan.PullMissing, plan.PullAlways, plan.PullNever:
	default:
		return nil, fmt.Errorf("--pull %s: use missing, always or never", c.pull)
	}
	if _, err := plan.ParseGPUs(c.gpus); err != nil {
		return nil, err
	}
	if c.runID == "" {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		c.runID = "jobkit-" + hex.EncodeToString(b)
	}
	return c, nil
}

// Main runs the command and returns the exit code. ctx carries Ctrl-C and
// SIGTERM: when it is cancelled, ops are stopped and everything is removed.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "runner: %v\n", err)
		}
		return ExitInvalid
	}
	text, err := readJob(c.file, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "runner: %v\n", err)
		return ExitInvalid
	}
	name := c.file
	if name == "-" {
		name = "<stdin>"
	}
	res := core.Lint(text, core.Options{})
	if errs := printDiagnostics(stderr, name, res, false); errs > 0 {
		fmt.Fprintf(stderr, "runner: %s has %d error(s); fix them first (jobkit lint %s)\n", name, errs, name)
		return ExitInvalid
	}
	if res.Format == rule.Nomad {
		return runNomad(ctx, c, res.Doc, name, stdout, stderr)
	}
	if fl := nomadOnlyFlags(c); len(fl) > 0 {
		fmt.Fprintf(stderr, "runner: %s is a Nosana job; %s apply to Nomad jobs only\n", name, strings.Join(fl, " and "))
		return ExitInvalid
	}
	job, err := nosana.Decode(text)
	if err != nil {
		fmt.Fprintf(stderr, "runner: %s: %v\n", name, err)
		return ExitInvalid
	}
	popts := plan.Options{RunID: c.runID, Pull: c.pull, ImageMap: c.images, GPUs: c.gpus, NoGPU: c.noGPU}
	p, err := plan.Build(job, popts)
	if err != nil {
		fmt.Fprintf(stderr, "runner: %s: %v\n", name, err)
		return ExitInvalid
	}
	if c.planOnly {
		if err := plan.Print(stdout, p); err != nil {
			return ExitInfra
		}
		return ExitOK
	}
	return execute(ctx, c, job, p, popts, stdout, stderr)
}

func execute(ctx context.Context, c *config, job *nosana.Job, p *plan.Plan, popts plan.Options, stdout, stderr io.Writer) int {
	mask := plan.NewMasker(p.Secrets)
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	cli, err := engine.Connect(cctx)
	cancel()
	if err != nil {
		fmt.Fprintf(stderr, "runner: %s\n", mask.Mask(err.Error()))
		return ExitInfra
	}
	defer cli.Close()
	e := &engine.Engine{
		D: cli, Job: job, Plan: p, Out: stdout, Err: stderr,
		Opts: engine.Options{
			Plan: popts, Timeout: c.timeout, Grace: c.grace, Keep: c.keep, CacheDir: c.cache,
			Terminal: isTerminal(stderr), HealthTick: c.health, Continuous: c.continuous,
			S3Endpoint: c.s3Endpoint, HFEndpoint: c.hfEndpoint,
		},
	}
	rep, runErr := e.Run(ctx)
	if runErr != nil {
		fmt.Fprintf(stderr, "runner: %s\n", mask.Mask(runErr.Error()))
	}
	fmt.Fprintln(stderr)
	rep.Summary(stderr)
	if c.report != "" {
		if err := writeReport(c.report, rep); err != nil {
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

func writeReport(path string, rep *engine.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := rep.WriteJSON(f); err != nil {
		f.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return f.Close()
}

func readJob(path string, stdin io.Reader) ([]byte, error) {
	if path == "-" {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("read job from stdin: %w", err)
		}
		return b, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read job: %w", err)
	}
	return b, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
