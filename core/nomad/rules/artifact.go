package rules

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Artifact checks artifacts as Nomad does at submit time: a source, a known
// GetterMode, a destination inside the task directory, and a
// GetterOptions.checksum of the form "type:hex" with a supported type and
// the right length (skipped when it uses ${...}).
var Artifact = &rule.Rule{ID: "nomad-artifact", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of artifacts (source, mode, destination, checksum syntax)", Check: checkArtifacts}

var checksumLen = map[string]int{"md5": 16, "sha1": 20, "sha256": 32, "sha512": 64}

func checkArtifacts(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, t := range j.Tasks() {
		for i, a := range view.Objects(view.Get(t.Node, "Artifacts")) {
			wrap := "Artifact " + itoa(i+1) + " validation failed: "
			if src, _ := view.Str(a, "GetterSource"); strings.TrimSpace(src) == "" {
				nomadSays(ctx, at(a, "GetterSource"), "set the URL to download", "%ssource must be specified", wrap)
			} else {
				checkSource(ctx, view.Get(a, "GetterSource"), src)
			}
			if m, ok := view.Str(a, "GetterMode"); ok && m != "any" && m != "file" && m != "dir" {
				nomadSays(ctx, view.Get(a, "GetterMode"), "", "%sinvalid artifact mode %q; must be one of: %s, %s, %s", wrap, m, "any", "file", "dir")
			}
			if d, ok := view.Str(a, "RelativeDest"); ok && !strings.Contains(d, "${") && escapes(d, 1) {
				nomadSays(ctx, view.Get(a, "RelativeDest"), "", "%sdestination escapes allocation directory", wrap)
			}
			cs := view.Get(view.Get(a, "GetterOptions"), "checksum")
			checkChecksum(ctx, cs, wrap)
		}
	}
}

// getters are go-getter's forced getters ("s3::https://...").
var getters = map[string]bool{"git": true, "hg": true, "http": true, "https": true, "s3": true, "gcs": true, "file": true}

// checkSource reports sources go-getter cannot fetch. Nomad does not check
// them at submit time: the task fails when the artifact is downloaded.
func checkSource(ctx *rule.Context, n *jsonast.Node, src string) {
	if strings.Contains(src, "${") {
		return
	}
	if strings.TrimSpace(src) != src || strings.ContainsAny(src, " \t\n") {
		ctx.Report(n, "%s contains white space; the download fails when the task starts (encode spaces as %%20)", n.Path())
		return
	}
	if forced, _, ok := strings.Cut(src, "::"); ok && !strings.Contains(forced, "/") && !getters[forced] {
		ctx.Report(n, "%s: go-getter has no %q getter (use git::, hg::, s3::, gcs::, http:: or https::); the download fails when the task starts", n.Path(), forced+"::")
	}
}

func checkChecksum(ctx *rule.Context, n *jsonast.Node, wrap string) {
	v, ok := n.StringValue()
	if !ok || strings.Contains(v, "${") {
		return
	}
	if v == "" {
		nomadSays(ctx, n, "", "%schecksum value cannot be empty", wrap)
		return
	}
	typ, sum, found := strings.Cut(v, ":")
	if !found {
		nomadSays(ctx, n, `write "sha256:<hex digest>"`, "%schecksum must be given as \"type:value\"; got %q", wrap, v)
		return
	}
	b, err := hex.DecodeString(sum)
	if err != nil {
		nomadSays(ctx, n, "the digest must be hexadecimal", "%sinvalid checksum: %v", wrap, err)
		return
	}
	want, known := checksumLen[typ]
	if !known {
		nomadSays(ctx, n, "use md5, sha1, sha256 or sha512", "%sunsupported checksum type: %s", wrap, typ)
		return
	}
	if len(b) != want {
		nomadSays(ctx, n, "", "%sinvalid %s checksum: %v", wrap, typ, "wrong length: "+itoa(len(b)*2)+" hex digits, want "+itoa(want*2))
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
