package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/rule"
)

func init() {
	commands["rules"] = command{"list every lint rule with its severity and summary", runRules}
}

func runRules(env Env, args []string) int {
	fs := flag.NewFlagSet("jobkit rules", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, code, ok := parseFlags(fs, env, args); !ok {
		return code
	}
	rules := core.Rules()
	if *asJSON {
		type jr struct {
			ID       string        `json:"id"`
			Format   string        `json:"format"`
			Severity diag.Severity `json:"severity"`
			Summary  string        `json:"summary"`
			Doc      string        `json:"doc"`
		}
		var out []jr
		for _, r := range rules {
			out = append(out, jr{r.ID, formatName(r.Format), r.Severity, r.Summary, diag.DocURL(r.ID)})
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, formatName(r.Format), r.Severity, r.Summary)
	}
	if err := tw.Flush(); err != nil {
		return ExitFatal
	}
	return ExitOK
}

func formatName(f rule.Format) string {
	if f == rule.Any {
		return "any"
	}
	return string(f)
}
