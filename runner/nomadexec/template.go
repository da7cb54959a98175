package nomadexec

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/jobkit-dev/jobkit/runner/nomadjob"
)

// serviceFuncs are consul-template functions that read Consul, Vault or
// Nomad's catalogue, none of which exists on this host.
var serviceFuncs = map[string]string{
	"key": "Consul", "keyExists": "Consul", "keyOrDefault": "Consul", "ls": "Consul", "safeLs": "Consul",
	"tree": "Consul", "safeTree": "Consul", "service": "Consul", "services": "Consul", "connect": "Consul",
	"caRoots": "Consul", "caLeaf": "Consul", "datacenters": "Consul", "node": "Consul", "nodes": "Consul",
	"secret": "Vault", "secrets": "Vault", "pkiCert": "Vault",
	"nomadService": "Nomad", "nomadServices": "Nomad", "nomadVar": "Nomad", "nomadVarList": "Nomad",
	"nomadVarListSafe": "Nomad", "nomadVarExists": "Nomad",
}

// renderTemplates renders the task's templates into the allocation and
// returns the KEY=VALUE lines of those with Envvars, in order.
func renderTemplates(t *nomadjob.Task, allocDir string) ([]string, error) {
	env := map[string]string{}
	for _, kv := range t.Env {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	var extra []string
	for _, tm := range t.Templates {
		text := tm.Embedded
		if tm.Source != "" {
			b, err := os.ReadFile(tm.Source)
			if err != nil {
				return nil, fmt.Errorf("%s.SourcePath: %w", tm.Path, err)
			}
			text = string(b)
		}
		out, err := render(tm, text, env, filepath.Join(allocDir, t.Name), allocDir)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tm.Path, err)
		}
		if err := os.MkdirAll(filepath.Dir(tm.Dest), 0o777); err != nil {
			return nil, fmt.Errorf("%s.DestPath: %w", tm.Path, err)
		}
		if err := os.WriteFile(tm.Dest, out, os.FileMode(tm.Perms)); err != nil {
			return nil, fmt.Errorf("%s.DestPath: %w", tm.Path, err)
		}
		_ = os.Chmod(tm.Dest, os.FileMode(tm.Perms)) // WriteFile's mode passes through the umask
		if tm.Envvars {
			vars, err := parseEnvFile(out)
			if err != nil {
				return nil, fmt.Errorf("%s (Envvars): %w", tm.Path, err)
			}
			extra = append(extra, vars...)
		}
	}
	return extra, nil
}

func render(tm nomadjob.Template, text string, env map[string]string, taskDir, allocDir string) ([]byte, error) {
	funcs := templateFuncs(env, taskDir, allocDir)
	for name, system := range serviceFuncs {
		funcs[name] = func(...any) (string, error) {
			return "", fmt.Errorf("%s needs %s, which the runner does not have; run this job on a Nomad cluster, or put the value in the template", name, system)
		}
	}
	tpl := template.New("template").Funcs(funcs)
	if tm.Source != "" {
		tpl = template.New(filepath.Base(tm.Source)).Funcs(funcs)
	}
	if tm.LeftDelim != "" || tm.RightDelim != "" {
		tpl = tpl.Delims(tm.LeftDelim, tm.RightDelim)
	}
	if tm.ErrMissingKey {
		tpl = tpl.Option("missingkey=error")
	}
	tpl, err := tpl.Parse(text)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := tpl.Execute(&b, nil); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// templateFuncs are the consul-template functions that need no service.
// file reads paths relative to the task directory, as Nomad does, and only
// inside the allocation.
func templateFuncs(env map[string]string, taskDir, allocDir string) template.FuncMap {
	return template.FuncMap{
		"env": func(k string) string { return env[k] },
		"envOrDefault": func(k, def string) string {
			if v, ok := env[k]; ok && v != "" {
				return v
			}
			return def
		},
		"file": func(p string) (string, error) {
			full := p
			if !filepath.IsAbs(p) {
				full = filepath.Join(taskDir, p)
			}
			full = filepath.Clean(full)
			if full != allocDir && !strings.HasPrefix(full, allocDir+string(filepath.Separator)) {
				return "", fmt.Errorf("file %q is outside the allocation directory", p)
			}
			b, err := os.ReadFile(full)
			return string(b), err
		},
		"toLower": strings.ToLower, "toUpper": strings.ToUpper, "trimSpace": strings.TrimSpace,
		"toTitle":    func(s string) string { return strings.ToUpper(s[:min(1, len(s))]) + s[min(1, len(s)):] },
		"trimPrefix": func(p, s string) string { return strings.TrimPrefix(s, p) },
		"trimSuffix": func(p, s string) string { return strings.TrimSuffix(s, p) },
		"split":      func(sep, s string) []string { return strings.Split(s, sep) },
		"join":       func(sep string, l []string) string { return strings.Join(l, sep) },
		"replaceAll": func(from, to, s string) string { return strings.ReplaceAll(s, from, to) },
		"contains":   func(sub, s string) bool { return strings.Contains(s, sub) },
		"regexReplaceAll": func(re, to, s string) (string, error) {
			r, err := regexp.Compile(re)
			if err != nil {
				return "", err
			}
			return r.ReplaceAllString(s, to), nil
		},
		"regexMatch": func(re, s string) (bool, error) { return regexp.MatchString(re, s) },
		"indent": func(n int, s string) string {
			pad := strings.Repeat(" ", n)
			return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
		},
		"parseBool":  strconv.ParseBool,
		"parseInt":   func(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) },
		"parseUint":  func(s string) (uint64, error) { return strconv.ParseUint(s, 10, 64) },
		"parseFloat": func(s string) (float64, error) { return strconv.ParseFloat(s, 64) },
		"parseJSON": func(s string) (any, error) {
			var v any
			err := json.Unmarshal([]byte(s), &v)
			return v, err
		},
		"toJSON": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
		"toJSONPretty": func(v any) (string, error) {
			b, err := json.MarshalIndent(v, "", "  ")
			return string(b), err
		},
		"base64Encode": func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) },
		"base64Decode": func(s string) (string, error) {
			b, err := base64.StdEncoding.DecodeString(s)
			return string(b), err
		},
		"base64URLEncode": func(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) },
		"sha256Hex": func(s string) string {
			h := sha256.Sum256([]byte(s))
			return hex.EncodeToString(h[:])
		},
		"timestamp": func(layout ...string) string {
			if len(layout) > 0 {
				return time.Now().UTC().Format(layout[0])
			}
			return time.Now().UTC().Format(time.RFC3339)
		},
		"loop": func(a ...int) ([]int, error) {
			start, end := 0, 0
			switch len(a) {
			case 1:
				end = a[0]
			case 2:
				start, end = a[0], a[1]
			default:
				return nil, fmt.Errorf("loop takes 1 or 2 numbers")
			}
			if end-start > 1<<16 {
				return nil, fmt.Errorf("loop of %d items is too long", end-start)
			}
			var out []int
			for i := start; i < end; i++ {
				out = append(out, i)
			}
			return out, nil
		},
		"add":      func(b, a int) int { return a + b },
		"subtract": func(b, a int) int { return a - b },
		"multiply": func(b, a int) int { return a * b },
		"divide": func(b, a int) (int, error) {
			if b == 0 {
				return 0, fmt.Errorf("divide by zero")
			}
			return a / b, nil
		},
		"modulo": func(b, a int) (int, error) {
			if b == 0 {
				return 0, fmt.Errorf("modulo by zero")
			}
			return a % b, nil
		},
		"minimum": func(a, b int) int { return min(a, b) },
		"maximum": func(a, b int) int { return max(a, b) },
	}
}

// parseEnvFile reads KEY=VALUE lines (blank lines and # comments skipped,
// surrounding quotes removed), as Nomad reads an Envvars template.
func parseEnvFile(b []byte) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("line %d is not KEY=VALUE: %q", n, line)
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		out = append(out, k+"="+v)
	}
	return out, nil
}
