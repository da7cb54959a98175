package rules

import (
	"fmt"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// healthCheck: health checks that cannot work the way they are written.
//
// The node curls http://<container>:<port><path> from its tunnel sidecar, so
// a path without a leading "/" makes a broken URL, and an expected_status
// outside 100–599 can never match. A body is only sent with POST and PUT.
// With deployment_id, only the first GET check expecting 200 of a port
// becomes the load balancer's probe. A websocket check connects to
// ws://localhost:<port> inside the sidecar rather than to the op's container,
// so it does not test the service.
var healthCheck = &rule.Rule{
	ID:       "health-check",
	Format:   rule.Nosana,
	Severity: diag.Warning,
	Summary:  "a health check that cannot work as written (path, status, body, load-balancer probe, websocket)",
	Check:    checkHealthCheck,
}

func checkHealthCheck(c *rule.Context) {
	deployment := c.Doc.Root.Has("deployment_id")
	for _, o := range runOps(c) {
		for _, p := range exposedPorts(o.Args) {
			checks := p.Entry.Get("health_checks")
			var probes []*jsonast.Node // GET checks expecting 200
			httpChecks := 0
			for _, hc := range arrayItems(checks) {
				if !hc.Is(jsonast.Object) {
					continue
				}
				switch typ, _ := closedStr(hc.Get("type")); typ {
				case "http":
					httpChecks++
					if checkHTTPHealth(c, hc) {
						probes = append(probes, hc)
					}
				case "websocket":
					t := hc.Get("type")
					c.Report(t, "%s: the node runs websocket checks against ws://localhost:%s inside its tunnel sidecar, not against this container, so the check does not test the service; use an http check", t.Path(), p.PortNode.Num)
				}
			}
			if !deployment || httpChecks == 0 {
				continue
			}
			if len(probes) == 0 {
				c.Report(checks, "%s: with deployment_id, the load balancer probes the first GET check expecting 200, and port %s has none; add one such as {\"type\": \"http\", \"path\": \"/\", \"method\": \"GET\", \"expected_status\": 200, \"continuous\": true}", checks.Path(), p.PortNode.Num)
				continue
			}
			for _, extra := range probes[1:] {
				d := c.Report(extra, "%s: only the first GET check expecting 200 (%s) becomes the load balancer's probe for port %s; this one is only run by the node", extra.Path(), probes[0].Path(), p.PortNode.Num)
				d.Severity = diag.Info
			}
		}
	}
}

// checkHTTPHealth checks one http health check and reports whether it is a
// GET expecting 200 (a load-balancer probe candidate).
func checkHTTPHealth(c *rule.Context, hc *jsonast.Node) bool {
	if pn := hc.Get("path"); isClosedStr(pn) && !containsLiteral(pn.Str) && !strings.HasPrefix(pn.Str, "/") {
		d := c.Report(pn, "%s: %s must start with \"/\" (the node requests http://<container>:<port><path>); write %s", pn.Path(), jsonString(pn.Str), jsonString("/"+pn.Str))
		d.Fixes = append(d.Fixes, diag.Fix{
			Title: fmt.Sprintf("Change the path to %s", jsonString("/"+pn.Str)),
			Edits: []diag.TextEdit{c.Edit(pn.Start, pn.End, jsonString("/"+pn.Str))},
			Safe:  true,
		})
	}
	sn := hc.Get("expected_status")
	if sn.Is(jsonast.Number) {
		if v, ok := sn.Int(); !ok || v < 100 || v > 599 {
			c.Report(sn, "%s: %s is not an HTTP status code, so the check can never pass; use a status from 100 to 599 such as 200", sn.Path(), sn.Num)
		}
	}
	method, _ := closedStr(hc.Get("method"))
	if m := hc.MemberByKey("body"); m != nil && method != "POST" && method != "PUT" && isClosedStr(hc.Get("method")) {
		c.ReportKey(m, "%s: a body is only sent with POST or PUT, and this check uses %s; remove the body or change the method", m.Path(), method)
	}
	status, _ := sn.Int()
	return method == "GET" && status == 200
}
