package jobkitcli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/lintconfig"
	"github.com/jobkit-dev/jobkit/core/rule"
)

func init() {
	commands["rules"] = command{"list every lint rule with its severity and summary, as configured here", runRules}
}

func runRules(env Env, args []string) int {
	fs := flag.NewFlagSet("jobkit rules", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	var cf configFlags
	cf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: jobkit rules [flags]\n\nLists every rule with its severity as configured for files in the current directory\n"+
			"(the nearest "+lintconfig.FileName+", --config, --disable, --enable).\n\nFlags:")
		fs.PrintDefaults()
	}
	if _, code, ok := parseFlags(fs, env, args); !ok {
		return code
	}
	if err := cf.load(); err != nil {
		fmt.Fprintf(env.Stderr, "jobkit rules: %v\n", err)
		return ExitUsage
	}
	settings, err := cf.settings("")
	if err != nil {
		fmt.Fprintf(env.Stderr, "jobkit rules: %v\n", err)
		return ExitUsage
	}
	rules := core.Rules()
	effective := func(r *rule.Rule) string {
		sev, on := settings.Effective(r.ID, r.Severity)
		if !on {
			return lintconfig.Off
		}
		return sev.String()
	}
	if *asJSON {
		type jr struct {
			ID       string        `json:"id"`
			Format   string        `json:"format"`
			Severity diag.Severity `json:"severity"`
			// Effective is the severity after the config and flags, or "off".
			Effective string `json:"effective"`
			Summary   string `json:"summary"`
			Doc       string `json:"doc"`
		}
		var out []jr
		for _, r := range rules {
			out = append(out, jr{r.ID, formatName(r.Format), r.Severity, effective(r), r.Summary, diag.DocURL(r.ID)})
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return ExitFatal
		}
		return ExitOK
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tFORMAT\tSEVERITY\tSUMMARY")
	for _, r := range rules {
		sev := effective(r)
		if sev != r.Severity.String() {
			sev += " (default " + r.Severity.String() + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, formatName(r.Format), sev, r.Summary)
	}
	if err := tw.Flush(); err != nil {
		return ExitFatal
	}
	printSettings(env.Stdout, settings)
	return ExitOK
}

// printSettings says which config is in effect and what it ignores, so a
// user can see why a rule is quiet.
func printSettings(w io.Writer, s *lintconfig.Settings) {
	fmt.Fprintln(w)
	file := false
	for _, c := range s.Layers {
		if c.Source == "flags" {
			var parts []string
			if len(c.Disable) > 0 {
				parts = append(parts, "--disable "+strings.Join(c.Disable, ","))
			}
			if len(c.Enable) > 0 {
				parts = append(parts, "--enable "+strings.Join(c.Enable, ","))
			}
			if len(parts) > 0 {
				fmt.Fprintf(w, "Flags: %s\n", strings.Join(parts, " "))
			}
			continue
		}
		file = true
		fmt.Fprintf(w, "Config: %s\n", c.Source)
		for _, ig := range c.Ignore {
			var parts []string
			if len(ig.Files) > 0 {
				parts = append(parts, "files "+strings.Join(ig.Files, ", "))
			}
			if len(ig.Paths) > 0 {
				parts = append(parts, "fields "+strings.Join(ig.Paths, ", "))
			}
			rules := "every rule"
			if len(ig.Rules) > 0 {
				rules = strings.Join(ig.Rules, ", ")
			}
			fmt.Fprintf(w, "  ignore %s in %s\n", rules, strings.Join(parts, " and "))
		}
	}
	if !file {
		fmt.Fprintf(w, "Config: none (no %s in this directory or above; see docs/config.md)\n", lintconfig.FileName)
	}
}

func formatName(f rule.Format) string {
	if f == rule.Any {
		return "any"
	}
	return string(f)
}
