package rules

import (
	"net/url"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/nomad/duration"
	"github.com/jobkit-dev/jobkit/core/nomad/view"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// Check checks service health checks as Nomad does: a known type (http,
// tcp, grpc, script; only http and tcp for the nomad provider), an http
// path, a script command, interval and timeout of at least 1s, a port for
// network checks, unique names and a valid initial status.
var Check = &rule.Rule{ID: "nomad-check", Format: rule.Nomad, Severity: diag.Error,
	Summary: "Nomad's checks of service health checks (type, path, command, interval, timeout, port)", Check: checkChecks}

func checkChecks(ctx *rule.Context) {
	j := model(ctx)
	if j == nil {
		return
	}
	for _, s := range j.services() {
		svc, provider, svcPort := s.Name, s.Provider, s.PortLabel
		names := map[string]bool{}
		for _, c := range view.Objects(view.Get(s.Node, "Checks")) {
			name := checkName(c, svc)
			if names[name] {
				nomadSays(ctx, at(c, "Name"), "give every check of a service its own Name", "check %q is duplicate", name)
			}
			names[name] = true
			checkOne(ctx, c, name, provider, svcPort)
			if s.Task == nil {
				checkGroupCheckTask(ctx, s, c, svc, name)
			} else if tn, ok := view.Str(c, "TaskName"); ok && tn != "" && tn != s.Task.Name {
				nomadSays(ctx, view.Get(c, "TaskName"), "", "Check %s is invalid: may only specify task the check belongs to, got %q", name, tn)
			}
		}
	}
}

func checkOne(ctx *rule.Context, c *jsonast.Node, name, provider, svcPort string) {
	typ := strings.ToLower(view.StrOr(c, "Type", ""))
	valid := map[string]bool{"http": true, "tcp": true, "grpc": true, "script": true}
	list := `"grpc", "http", "script", "tcp"`
	if provider == "nomad" {
		valid = map[string]bool{"http": true, "tcp": true}
		list = `"http", "tcp"`
	}
	wrap := "Check " + name + " invalid: "
	if !valid[typ] {
		nomadSays(ctx, at(c, "Type"), "", "%sinvalid check type (%q), must be one of %s", wrap, typ, list)
		return
	}
	switch typ {
	case "http":
		p, ok := view.Str(c, "Path")
		switch {
		case !ok || p == "":
			nomadSays(ctx, at(c, "Path"), `set a relative "Path" such as "/health"`, "%shttp type must have http path", wrap)
		case !strings.Contains(p, "${"):
			if u, err := url.Parse(p); err != nil {
				nomadSays(ctx, view.Get(c, "Path"), "", "%shttp type must have valid http path", wrap)
			} else if u.IsAbs() {
				nomadSays(ctx, view.Get(c, "Path"), "Nomad adds the address and port itself", "%shttp type must have relative http path", wrap)
			}
		}
	case "script":
		if cmd, _ := view.Str(c, "Command"); cmd == "" {
			nomadSays(ctx, at(c, "Command"), "", "%sscript type must have a valid script path", wrap)
		}
	}
	iv := view.Get(c, "Interval")
	if v, ok := iv.Int(); ok && v < duration.Second || iv == nil {
		if iv == nil || v == 0 {
			nomadSays(ctx, at(c, "Interval"), "set an Interval of at least 1000000000 (1s)", "%smissing required value interval. Interval cannot be less than %v", wrap, "1s")
		} else {
			nomadSays(ctx, iv, "Interval is in nanoseconds", "%sinterval (%v) cannot be lower than %v", wrap, duration.Format(v), "1s")
		}
	}
	to := view.Get(c, "Timeout")
	if v, ok := to.Int(); ok && v < duration.Second || to == nil {
		if to == nil || v == 0 {
			nomadSays(ctx, at(c, "Timeout"), "set a Timeout of at least 1000000000 (1s)", "%smissing required value timeout. Timeout cannot be less than %v", wrap, "1s")
		} else {
			nomadSays(ctx, to, "Timeout is in nanoseconds", "%stimeout (%v) is lower than required minimum timeout %v", wrap, duration.Format(v), "1s")
		}
	}
	if st, ok := view.Str(c, "InitialStatus"); ok {
		switch st {
		case "", "passing", "warning", "critical":
		default:
			nomadSays(ctx, view.Get(c, "InitialStatus"), "", "%sinvalid initial check state (%s), must be one of %q, %q, %q or empty", wrap, st, "passing", "warning", "critical")
		}
	}
	if am, ok := view.Str(c, "AddressMode"); ok && am != "" {
		switch am {
		case "host", "driver", "alloc":
			if am == "driver" && provider == "nomad" {
				nomadSays(ctx, view.Get(c, "AddressMode"), "", "%saddress_mode = driver may only be set for Consul service checks", wrap)
			}
		case "auto":
			nomadSays(ctx, view.Get(c, "AddressMode"), "", "%sinvalid address_mode %q - %s only valid for services", wrap, am, am)
		default:
			nomadSays(ctx, view.Get(c, "AddressMode"), "use host, driver or alloc", "%sinvalid address_mode %q", wrap, am)
		}
	}
	if provider == "nomad" {
		checkNomadProvider(ctx, c, typ, wrap)
	}
	if notes, _ := view.Str(c, "Notes"); len(notes) > 255 {
		nomadSays(ctx, view.Get(c, "Notes"), "", "%snotes must not be longer than 255 characters", wrap)
	}
	if e, _ := view.Bool(c, "Expose"); e {
		if provider == "nomad" {
			nomadSays(ctx, view.Get(c, "Expose"), "", "%sexpose may only be set for Consul service checks", wrap)
		} else if typ != "http" && typ != "grpc" {
			nomadSays(ctx, view.Get(c, "Expose"), "", "%sexpose may only be set on HTTP or gRPC checks", wrap)
		}
	}
	if cr := view.Get(c, "CheckRestart"); cr != nil {
		if l, ok := view.Int(cr, "Limit"); ok && l < 0 {
			nomadSays(ctx, view.Get(cr, "Limit"), "", "%slimit must be greater than or equal to 0 but found %d", wrap, l)
		}
		if g, ok := view.Int(cr, "Grace"); ok && g < 0 {
			nomadSays(ctx, view.Get(cr, "Grace"), "", "%sgrace period must be greater than or equal to 0 but found %d", wrap, g)
		}
	}
	if typ != "script" && view.StrOr(c, "PortLabel", "") == "" && svcPort == "" {
		nomadSays(ctx, c, "set PortLabel on the check or the service", "%scheck requires a port but neither check nor service %+q have a port", wrap, name)
	}
}

// checkGroupCheckTask checks the TaskName of a group service's check: script
// checks need one, and it must name a task of the group.
func checkGroupCheckTask(ctx *rule.Context, s service, c *jsonast.Node, svc, name string) {
	tn, _ := view.Str(c, "TaskName")
	if tn == "" {
		if t, _ := view.Str(c, "Type"); strings.EqualFold(t, "script") {
			nomadSays(ctx, c, `set "TaskName" to the task the script runs in`, "Service [%s]->%s or Check %s must specify task parameter", s.Group.Name, svc, name)
		}
		return
	}
	for _, t := range s.Group.Tasks {
		if t.Name == tn {
			return
		}
	}
	nomadSays(ctx, view.Get(c, "TaskName"), "", "Check %s invalid: refers to non-existent task %s", name, tn)
}

// checkName is a check's name as Nomad sees it: its Name, or the default
// `service: "<service>" check` that Canonicalize gives an unnamed check.
func checkName(c *jsonast.Node, svc string) string {
	if n, _ := view.Str(c, "Name"); n != "" {
		return n
	}
	return "service: \"" + svc + "\" check"
}

// httpMethods are the methods Nomad's own http checks can send.
var httpMethods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true,
	"DELETE": true, "CONNECT": true, "OPTIONS": true, "TRACE": true}

// checkNomadProvider checks what only Consul's checks support
// (ServiceCheck.validateNomad).
func checkNomadProvider(ctx *rule.Context, c *jsonast.Node, typ, wrap string) {
	if m, _ := view.Str(c, "Method"); typ == "http" && m != "" && !httpMethods[m] {
		nomadSays(ctx, view.Get(c, "Method"), "use an upper-case HTTP method such as GET or POST", "%smethod type %q not supported in Nomad http check", wrap, m)
	}
	if ou, _ := view.Str(c, "OnUpdate"); ou == "ignore_warnings" {
		nomadSays(ctx, view.Get(c, "OnUpdate"), "Nomad's checks have no warning state", "%son_update may only be set to ignore_warnings for Consul service checks", wrap)
	}
	if iw, _ := view.Bool(view.Get(c, "CheckRestart"), "IgnoreWarnings"); iw {
		nomadSays(ctx, view.Get(view.Get(c, "CheckRestart"), "IgnoreWarnings"), "", "%signore_warnings on check_restart only supported for Consul service checks", wrap)
	}
	for _, k := range [][2]string{{"SuccessBeforePassing", "success_before_passing"}, {"FailuresBeforeCritical", "failures_before_critical"}, {"FailuresBeforeWarning", "failures_before_warning"}} {
		if v, ok := view.Int(c, k[0]); ok && v != 0 {
			nomadSays(ctx, view.Get(c, k[0]), "", "%s%s may only be set for Consul service checks", wrap, k[1])
		}
	}
	if v, _ := view.Str(c, "TLSServerName"); v != "" {
		nomadSays(ctx, view.Get(c, "TLSServerName"), "", "%stls_server_name may only be set for Consul service checks", wrap)
	}
	if v, _ := view.Bool(c, "TLSSkipVerify"); v {
		nomadSays(ctx, view.Get(c, "TLSSkipVerify"), "", "%stls_skip_verify may only be set for Consul service checks", wrap)
	}
}
