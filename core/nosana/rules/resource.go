package rules

import (
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// resource: args.resources entries the node cannot prepare, or prepares
// differently from what the author expects.
//
// An S3 entry without "url" or "buckets" passes the validator, but the node
// crashes while naming its cache volume. A target must be an absolute path,
// and two resources cannot share one. URLs other than https:// or s3:// are
// not fetched the way the helper expects. A Hugging Face repo is
// "owner/name", and files without a revision come from the moving "main"
// branch. An S3 mount with allowWrite is a volume the node caches across
// jobs, so writes are seen by later jobs using the same resource.
var resource = &rule.Rule{
	ID:       "resource",
	Format:   rule.Nosana,
	Severity: diag.Error,
	Summary:  "a resource the node cannot prepare: S3 without url, relative or shared target, odd URL, HF repo or revision",
	Check:    checkResource,
}

// hfRepo is a Hugging Face repository id: owner/name.
var hfRepo = rule.Regexp(`^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$`)

func checkResource(c *rule.Context) {
	for _, o := range runOps(c) {
		targets := map[string]string{}
		for _, r := range arrayItems(o.Args.Get("resources")) {
			if !r.Is(jsonast.Object) || isSpreadMarker(r) {
				continue
			}
			typ, _ := closedStr(r.Get("type"))
			checkResourceTarget(c, r, targets)
			switch typ {
			case "S3":
				checkS3(c, r)
			case "HF":
				checkHF(c, r)
			}
		}
	}
}

func checkResourceTarget(c *rule.Context, r *jsonast.Node, targets map[string]string) {
	if tn := r.Get("target"); isClosedStr(tn) && !containsLiteral(tn.Str) && !strings.HasPrefix(tn.Str, "/") {
		d := c.Report(tn, "%s: %s is not an absolute path, and the resource is mounted there; write %s", tn.Path(), jsonString(tn.Str), jsonString("/"+tn.Str))
		d.Fixes = append(d.Fixes, diag.Fix{
			Title: "Make the path absolute: " + jsonString("/"+tn.Str),
			Edits: []diag.TextEdit{c.Edit(tn.Start, tn.End, jsonString("/"+tn.Str))},
		})
		return
	}
	t, where := resourceTarget(r)
	if t == "" {
		return
	}
	if prev, dup := targets[t]; dup {
		at := r.Get("target")
		if at == nil {
			at = r
		}
		c.Report(at, "%s: %s is already the target of %s, and two resources cannot be mounted at one place; choose another target", at.Path(), jsonString(t), prev)
		return
	}
	targets[t] = where
}

func checkS3(c *rule.Context, r *jsonast.Node) {
	if !r.Has("url") && !r.Has("buckets") {
		// Placed on "type": "S3" (one line), but about the whole entry.
		t := r.Get("type")
		c.ReportSpan(t.Start, t.End, r.Segments(), "%s: an S3 resource needs \"url\" (optionally with \"bucket\") or \"buckets\"; without them the node crashes while preparing it", r.Path())
	}
	checkResourceURL(c, r.Get("url"))
	for _, b := range arrayItems(r.Get("buckets")) {
		checkResourceURL(c, b.Get("url"))
	}
	if w := r.MemberByKey("allowWrite"); w != nil && trueValue(w.Value) {
		c.ReportKey(w, "%s: the node caches resource volumes across jobs (by URL), so what this op writes is seen by later jobs that use the same S3 resource", w.Path()).Severity = diag.Info
	}
}

func checkResourceURL(c *rule.Context, un *jsonast.Node) {
	u, ok := closedStr(un)
	if !ok || u == "" || containsLiteral(u) {
		return
	}
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "s3://") {
		return
	}
	d := c.Report(un, "%s: %s should start with \"https://\" or \"s3://\"", un.Path(), jsonString(u))
	d.Severity = diag.Warning
	if rest, ok := strings.CutPrefix(u, "http://"); ok {
		d.Message += "; plain http:// sends the download unencrypted"
		d.Fixes = append(d.Fixes, diag.Fix{
			Title: "Use https://",
			Edits: []diag.TextEdit{c.Edit(un.Start, un.End, jsonString("https://"+rest))},
		})
	}
}

func checkHF(c *rule.Context, r *jsonast.Node) {
	if rn := r.Get("repo"); isClosedStr(rn) && rn.Str != "" && !containsLiteral(rn.Str) && !hfRepo().MatchString(rn.Str) {
		c.Report(rn, "%s: %s does not look like a Hugging Face repository id \"owner/name\" (for example \"openai-community/gpt2\")", rn.Path(), jsonString(rn.Str)).Severity = diag.Warning
	}
	if fm := r.MemberByKey("files"); fm != nil && !r.Has("revision") && len(arrayItems(fm.Value)) > 0 {
		c.ReportKey(fm, "%s: without \"revision\" the files come from the \"main\" branch, which can change between runs; pin a commit or tag with \"revision\"", fm.Path()).Severity = diag.Warning
	}
}
