package rules

import (
	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// logisticsConfidential: the job uses logistics (a confidential job).
//
// With logistics the definition and the results move over an API instead of
// public IPFS. With "send": {"type": "api-listen"} a market node does not
// even read the definition it was given: it waits for the definition to be
// posted to its own API. jobkit's local runner runs the file as written and
// keeps the results on this machine, so it says so up front. "ops": [] beside
// logistics is the public placeholder of a confidential job (Nosana's docs
// show it): said as such, not as a job that does nothing.
var logisticsConfidential = &rule.Rule{
	ID:       "logistics-confidential",
	Format:   rule.Nosana,
	Severity: diag.Info,
	Summary:  "logistics make the job confidential; api-listen waits for the definition over the API, which the local runner does not do",
	Check:    checkLogisticsConfidential,
}

func checkLogisticsConfidential(c *rule.Context) {
	m := c.Doc.Root.MemberByKey("logistics")
	if m == nil || m.Value == nil {
		return
	}
	if t := m.Value.Get("send").Get("type"); t != nil {
		if s, ok := t.StringValue(); ok && s == "api-listen" {
			c.Report(t, "%s: with \"api-listen\" a Nosana node ignores this definition and waits for the real one to be posted to its API; jobkit's local runner does not support that and runs the definition in this file", t.Path())
			return
		}
	}
	if ops := c.Doc.Root.Get("ops"); ops.Is(jsonast.Array) && ops.Closed && len(ops.Items) == 0 {
		c.ReportKey(m, "logistics: this is the public placeholder of a confidential job: \"ops\" is empty on purpose and a Nosana node receives the real definition over the API endpoints given here; jobkit can check only what is in this file, and its local runner has nothing to run")
		return
	}
	c.ReportKey(m, "logistics: this is a confidential job: a Nosana node fetches the definition and posts the results over the API endpoints given here instead of public IPFS; jobkit's local runner ignores logistics and keeps the results on this machine")
}
