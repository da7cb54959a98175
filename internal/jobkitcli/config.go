package jobkitcli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/jobkit-dev/jobkit/core"
	"github.com/jobkit-dev/jobkit/core/lintconfig"
)

// listFlag is a repeatable flag whose values may also be comma lists.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// configFlags are the escape-hatch flags shared by lint and rules.
type configFlags struct {
	file     string
	none     bool
	disable  listFlag
	enable   listFlag
	flagsCfg *lintconfig.Config
	cache    map[string]*lintconfig.Config // directory -> nearest config (nil: none)
	wd       string                        // the working directory, once known
}

// abs is filepath.Abs with the working directory looked up once: Abs asks
// the system for it on every call (two stat calls), which for a directory
// of a thousand jobs was 4,000 system calls before the first lint.
func (c *configFlags) abs(path string) (string, error) {
	if filepath.IsAbs(path) {
		return filepath.Clean(path), nil
	}
	if c.wd == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		c.wd = wd
	}
	return filepath.Join(c.wd, path), nil
}

func (c *configFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.file, "config", "", "use this config file instead of the nearest "+lintconfig.FileName)
	fs.BoolVar(&c.none, "no-config", false, "ignore "+lintconfig.FileName+" files")
	fs.Var(&c.disable, "disable", "turn off a rule (repeatable, or a comma list); beats the config file")
	fs.Var(&c.enable, "enable", "turn a rule back on (repeatable, or a comma list); beats the config file")
}

// ruleIDs lists every rule id a config may name.
func ruleIDs() []string {
	var ids []string
	for _, r := range core.Rules() {
		ids = append(ids, r.ID)
	}
	return ids
}

// load checks the flags and reads --config. Errors are usage errors (exit 2).
func (c *configFlags) load() error {
	if c.file != "" && c.none {
		return errors.New("--config and --no-config exclude each other")
	}
	ids := ruleIDs()
	var err error
	if c.flagsCfg, err = lintconfig.FromFlags(c.disable, c.enable, ids); err != nil {
		return err
	}
	c.cache = map[string]*lintconfig.Config{}
	if c.file != "" {
		cfg, err := readConfig(c.file, ids)
		if err != nil {
			return err
		}
		c.cache[""] = cfg
	}
	return nil
}

// settings returns the settings for a file (a path on disk, or "" for stdin
// and share links, which take the config found from the working directory).
func (c *configFlags) settings(file string) (*lintconfig.Settings, error) {
	if c.none {
		return lintconfig.Layer(c.flagsCfg), nil
	}
	if c.file != "" {
		return lintconfig.Layer(c.cache[""], c.flagsCfg), nil
	}
	dir := "."
	if file != "" {
		dir = filepath.Dir(file)
	}
	abs, err := c.abs(dir)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", lintconfig.FileName, err)
	}
	cfg, err := c.discover(abs)
	if err != nil {
		return nil, err
	}
	return lintconfig.Layer(cfg, c.flagsCfg), nil
}

// discover finds the nearest config in dir or one of its parents. The
// nearest file wins alone: configs do not merge, so what applies is one file.
func (c *configFlags) discover(dir string) (*lintconfig.Config, error) {
	if cfg, ok := c.cache[dir]; ok {
		return cfg, nil
	}
	var cfg *lintconfig.Config
	p := filepath.Join(dir, lintconfig.FileName)
	if st, err := os.Stat(p); err == nil && !st.IsDir() {
		if cfg, err = readConfig(p, ruleIDs()); err != nil {
			return nil, err
		}
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrPermission) {
		return nil, fmt.Errorf("read %s: %w", p, unwrapPathError(err))
	} else if parent := filepath.Dir(dir); parent != dir {
		var err error
		if cfg, err = c.discover(parent); err != nil {
			return nil, err
		}
	}
	c.cache[dir] = cfg
	return cfg, nil
}

func readConfig(path string, ids []string) (*lintconfig.Config, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, unwrapPathError(err))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	return lintconfig.Parse(shortPath(abs), filepath.Dir(abs), text, ids)
}

// shortPath names a file relative to the working directory when it is
// below it, as users typed it, and absolute otherwise.
func shortPath(abs string) string {
	wd, err := os.Getwd()
	if err != nil {
		return abs
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return abs
	}
	return rel
}

// policyFor resolves the policy of one linted file.
func (c *configFlags) policyFor(file string) (*lintconfig.Policy, error) {
	s, err := c.settings(file)
	if err != nil {
		return nil, err
	}
	abs := ""
	if file != "" {
		if abs, err = c.abs(file); err != nil {
			return nil, fmt.Errorf("resolve %s: %w", file, err)
		}
	}
	return s.For(abs), nil
}
