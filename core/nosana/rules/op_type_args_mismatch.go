package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// opTypeArgsMismatch: the op's type says one thing and its args the other.
//
// The validator checks args against "container/run args OR create-volume
// args" whatever the type says, so {"type": "container/run", "args":
// {"name": "cache"}} reaches the node, which then runs a container without an
// image; a create-volume op written with an image creates a volume and runs
// nothing. Only clear cases are reported (args that fit the other type and
// nothing of their own); missing and unknown fields are the schema's job.
var opTypeArgsMismatch = &rule.Rule{
	ID:       "op-type-args-mismatch",
	Format:   rule.Nosana,
	Severity: diag.Error,
	Summary:  "the op's type does not match its args (run args on a create-volume op, or the reverse)",
	Check:    checkOpTypeArgsMismatch,
}

// runArgKeys are the keys only container/run args have.
var runArgKeys = []string{"image", "cmd", "entrypoint", "env", "gpu", "work_dir", "expose", "private",
	"resources", "volumes", "aliases", "restart_policy", "authentication"}

// firstRunArg returns the first of runArgKeys that args has ("" for none):
// the message names one, and looking for the others is wasted on every op.
func firstRunArg(args *jsonast.Node) string {
	for _, k := range runArgKeys {
		if args.Has(k) {
			return k
		}
	}
	return ""
}

func checkOpTypeArgsMismatch(c *rule.Context) {
	for _, o := range sourceOf(c).Ops {
		typ := o.Node.Get("type")
		if o.Args == nil || !typ.Is(jsonast.String) {
			continue
		}
		run := firstRunArg(o.Args)
		switch {
		case o.Type == "container/run" && run == "" && o.Args.Has("name"):
			d := c.Report(typ, "%s: op %s has the args of a container/create-volume op (only \"name\") but type container/run, which needs an \"image\" to run; write \"type\": \"container/create-volume\"",
				typ.Path(), o.Name())
			d.Fixes = append(d.Fixes, replaceValue(c, typ, `Change the type to "container/create-volume"`, `"container/create-volume"`, true))
		case o.IsVolume() && run != "" && !o.Args.Has("name"):
			d := c.Report(typ, "%s: op %s has the args of a container to run (%q) but type container/create-volume, which only creates the volume named by \"name\" and runs nothing; write \"type\": \"container/run\"",
				typ.Path(), o.Name(), run)
			d.Fixes = append(d.Fixes, replaceValue(c, typ, `Change the type to "container/run"`, `"container/run"`, true))
		}
	}
}
