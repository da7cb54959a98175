package rules

import (
	pathpkg "path"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// DriverConfig checks the Config of the exec, raw_exec, java and qemu
// drivers (decoded only when the task starts): known keys, required
// command / image_path, JSON shapes and a few values. Config of other
// drivers (podman, ...) is not checked.
var DriverConfig = &rule.Rule{ID: "nomad-driver-config", Format: rule.Nomad, Severity: diag.Error,
	Summary: "exec, raw_exec, java and qemu task Config (fails only when the task starts)", Check: checkDrivers}

func checkDrivers(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, t := range j.Tasks() {
		spec, ok := otherDrivers[t.Driver]
		if !ok {
			continue
		}
		cfg := view.Get(t.Node, "Config")
		if !cfg.Is(jsonast.Object) {
			if len(spec.required) > 0 {
				report(ctx, at(t.Node, "Config"), "%s: the %s driver needs \"Config\": {%q: ...}; the task fails when it starts", t.Node.Path(), t.Driver, spec.required[0])
			}
			continue
		}
		if checkConfigShape(ctx, cfg, spec, t.Driver) {
			continue // the driver stops at the decode error
		}
		switch t.Driver {
		case "exec", "java":
			for _, k := range []string{"pid_mode", "ipc_mode"} {
				if v, ok := cfg.Get(k).StringValue(); ok && v != "" && v != "private" && v != "host" {
					ctx.Report(cfg.Get(k), "%s: the task fails when it starts: %s must be \"private\" or \"host\", got %q", cfg.Get(k).Path(), k, v)
				}
			}
			if w, ok := cfg.Get("work_dir").StringValue(); ok && w != "" && !pathpkg.IsAbs(w) {
				ctx.Report(cfg.Get("work_dir"), "%s: the task fails when it starts: work_dir must be absolute but got relative path %q", cfg.Get("work_dir").Path(), w)
			}
			if t.Driver == "java" && cfg.Get("jar_path") == nil && cfg.Get("class") == nil {
				report(ctx, cfg, "%s: the task fails when it starts: jar_path or class must be specified", cfg.Path())
			}
		case "qemu":
			if v, ok := cfg.Get("drive_interface").StringValue(); ok {
				switch v {
				case "ide", "scsi", "sd", "mtd", "floppy", "pflash", "virtio", "none":
				default:
					ctx.Report(cfg.Get("drive_interface"), "%s: the task fails when it starts: Unsupported drive_interface %q (use ide, scsi, sd, mtd, floppy, pflash, virtio or none)", cfg.Get("drive_interface").Path(), v)
				}
			}
			if v, ok := cfg.Get("accelerator").StringValue(); ok && v != "tcg" && v != "kvm" {
				ctx.Report(cfg.Get("accelerator"), "%s: use \"tcg\" or \"kvm\"; the task fails when it starts", cfg.Get("accelerator").Path())
			}
		}
	}
}
