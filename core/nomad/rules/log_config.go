package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// LogConfig checks log rotation against the group's ephemeral disk: Nomad
// requires MaxFiles × MaxFileSizeMB to be strictly less than
// EphemeralDisk.SizeMB (default 300 MB). There is no ×2 for stdout and
// stderr, whatever old docs say.
var LogConfig = &rule.Rule{ID: "nomad-log-config", Format: rule.Nomad, Severity: diag.Error,
	Summary: "log rotation must fit in the group's ephemeral disk (MaxFiles × MaxFileSizeMB < SizeMB)", Check: checkLogConfig}

func checkLogConfig(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, t := range j.Tasks() {
		lc := view.Get(t.Node, "LogConfig")
		files := view.IntOr(lc, "MaxFiles", 10)
		size := view.IntOr(lc, "MaxFileSizeMB", 10)
		if files < 1 {
			nomadSays(ctx, view.Get(lc, "MaxFiles"), "", "minimum number of files is 1; got %d", files)
		}
		if size < 1 {
			nomadSays(ctx, view.Get(lc, "MaxFileSizeMB"), "", "minimum file size is 1MB; got %d", size)
		}
		disk := view.IntOr(view.Get(t.Group.Node, "EphemeralDisk"), "SizeMB", 300)
		if files >= 1 && size >= 1 && files*size >= disk {
			where := lc
			if where == nil {
				where = t.Node
			}
			nomadSays(ctx, where, "lower MaxFiles or MaxFileSizeMB, or raise the group's EphemeralDisk.SizeMB",
				"log storage (%d MB) must be less than requested disk capacity (%d MB)", files*size, disk)
		}
	}
}
