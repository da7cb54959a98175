// Package cli is the runner command: flags, lint, plan, execute, report.
// cmd/runner is a thin main around Main so that tests can run it in-process.
package runnercli

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
	"github.com/jobkit-dev/jobkit/internal/version"
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
	runsDir    string
	hostAccess bool
	logLines   int
	file       string
	version    bool
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
	fs.StringVar(&c.runsDir, "runs-dir", "", "where each run gets a folder with its lock and a log file per op (default "+engine.DefaultRunsDir()+")")
	fs.BoolVar(&c.hostAccess, "host-access", false, "local debugging: let containers reach the host as host.docker.internal and each other by op id (a Nosana node allows neither)")
	fs.IntVar(&c.logLines, "report-lines", engine.DefaultReportLines, "lines of each op's log the report keeps at the start and at the end (the log file has all)")
	fs.BoolVar(&c.version, "version", false, "print the version and exit")
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
	if c.version {
		return c, nil
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
	if c.timeout < 0 {
		return nil, fmt.Errorf("--timeout %s: give a positive duration such as 30m, or 0 for no limit", c.timeout)
	}
	if c.grace < 0 {
		return nil, fmt.Errorf("--grace %s: give a positive duration such as 10s", c.grace)
	}
	if c.logLines < 1 {
		return nil, fmt.Errorf("--report-lines %d: give at least 1", c.logLines)
	}
	if c.runID == "" {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		c.runID = "jobkit-" + hex.EncodeToString(b)
	}
	if err := engine.CheckRunID(c.runID); err != nil {
		return nil, err
	}
	if c.runsDir == "" {
		c.runsDir = engine.DefaultRunsDir()
	}
	return c, nil
}

// Main runs the command and returns the exit code. ctx carries Ctrl-C and
// SIGTERM: when it is cancelled, ops are stopped and everything is removed.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "gc" {
		return gc(ctx, args[1:], stdout, stderr)
	}
	c, err := parseFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "runner: %v\n", err)
		}
		return ExitInvalid
	}
	if c.version {
		fmt.Fprintf(stdout, "runner %s\n", version.Version)
		return ExitOK
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
	// The job the lint just checked, read from the same model its rules
	// read (one view of the job for jobkit lint, the editor and the runner).
	job, err := nosana.NewSource(res.Doc).Job()
	if err != nil {
		fmt.Fprintf(stderr, "runner: %s: %v\n", name, err)
		return ExitInvalid
	}
	popts := plan.Options{RunID: c.runID, Pull: c.pull, ImageMap: c.images, GPUs: c.gpus, NoGPU: c.noGPU, HostAccess: c.hostAccess}
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
	reportWritten := false
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "runner: %s\n", mask.Mask(fmt.Sprintf(format, a...)))
		return code
	}
	// Everything that can be checked before a long run is checked first.
	// An existing report is overwritten only when the new one is written,
	// and a report file made here is removed if the run never writes it.
	var report *os.File
	if c.report != "" {
		_, statErr := os.Stat(c.report)
		f, err := os.OpenFile(c.report, os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			return fail(ExitInvalid, "--report: %v", err)
		}
		report = f
		defer func() {
			report.Close()
			if report != nil && statErr != nil && !reportWritten {
				os.Remove(c.report)
			}
		}()
	}
	lock, err := engine.LockRun(c.runsDir, c.runID)
	if err != nil {
		return fail(ExitInvalid, "%v", err)
	}
	defer lock.Unlock()

	// --timeout counts from here, and covers the daemon ping too.
	start := time.Now()
	runCtx := ctx
	if c.timeout > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	cctx, cancel := context.WithTimeout(runCtx, 30*time.Second)
	cli, err := engine.Connect(cctx)
	cancel()
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return fail(ExitInterrupt, "interrupted while connecting to the Docker daemon; nothing was started")
		case runCtx.Err() != nil:
			return fail(ExitOpFailed, "--timeout %s passed while connecting to the Docker daemon; nothing was started", c.timeout)
		}
		return fail(ExitInfra, "%s", err.Error())
	}
	defer cli.Close()
	owner := engine.NewOwner(c.runID, lock.Path)
	reapOrphans(runCtx, cli, c.runsDir, stderr)
	timeout := time.Duration(0)
	if c.timeout > 0 {
		timeout = max(c.timeout-time.Since(start), time.Millisecond)
	}
	e := &engine.Engine{
		D: cli, Job: job, Plan: p, Out: stdout, Err: stderr,
		Opts: engine.Options{
			Plan: popts, Timeout: timeout, Grace: c.grace, Keep: c.keep, CacheDir: c.cache,
			Terminal: isTerminal(stderr), HealthTick: c.health, Continuous: c.continuous,
			S3Endpoint: c.s3Endpoint, HFEndpoint: c.hfEndpoint,
			RunDir: lock.Dir, ReportLines: c.logLines, Owner: owner,
		},
	}
	rep, runErr := e.Run(ctx)
	if runErr != nil {
		fmt.Fprintf(stderr, "runner: %s\n", mask.Mask(runErr.Error()))
	}
	fmt.Fprintln(stderr)
	rep.Summary(stderr)
	fmt.Fprintf(stderr, "logs: %s\n", lock.Dir)
	if report != nil {
		reportWritten = true
		if err := writeReport(report, rep); err != nil {
			fmt.Fprintf(stderr, "runner: %v\n", err)
			if runErr == nil && rep.Outcome == engine.StatusSuccess {
				return ExitInfra
			}
		}
	}
	switch {
	case rep.Outcome == engine.StatusError:
		return ExitInfra
	case rep.Outcome == engine.StatusStopped && ctx.Err() != nil:
		return ExitInterrupt
	case rep.Outcome == engine.StatusSuccess:
		return ExitOK
	}
	return ExitOpFailed
}

// reapOrphans removes what runs that died on this host left behind (their
// runner was killed: SIGKILL, OOM), and says what it removed.
func reapOrphans(ctx context.Context, d engine.Daemon, runsDir string, stderr io.Writer) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	orphans, err := engine.FindOrphans(ctx, d, runsDir)
	if err != nil {
		fmt.Fprintf(stderr, "runner: warning: looking for what dead runs left: %v\n", err)
		return
	}
	removed, err := engine.RemoveOrphans(ctx, d, orphans)
	for _, o := range removed {
		fmt.Fprintf(stderr, "runner: removed %s, left by a runner that died\n", o)
	}
	if err != nil {
		fmt.Fprintf(stderr, "runner: warning: %v\n", err)
	}
}

// writeReport writes the report into the file opened before the run.
func writeReport(f *os.File, rep *engine.Report) error {
	if err := f.Truncate(0); err != nil {
		return fmt.Errorf("write report %s: %w", f.Name(), err)
	}
	if err := rep.WriteJSON(f); err != nil {
		return fmt.Errorf("write report %s: %w", f.Name(), err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write report %s: %w", f.Name(), err)
	}
	return nil
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
