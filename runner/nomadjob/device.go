package nomadjob

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/nomad/api"
)

// MemoryRule is a device constraint on ${device.attr.memory}: the GPUs
// given to the task must satisfy Operand MiB.
type MemoryRule struct {
	Path    string // Job.TaskGroups[i].Tasks[j].Resources.Devices[k].Constraints[l]
	Operand string // < <= > >= = == !=
	MiB     float64
}

// Holds reports whether a GPU with memMiB satisfies the rule.
func (r MemoryRule) Holds(memMiB float64) bool {
	switch r.Operand {
	case "<":
		return memMiB < r.MiB
	case "<=":
		return memMiB <= r.MiB
	case ">":
		return memMiB > r.MiB
	case ">=":
		return memMiB >= r.MiB
	case "=", "==", "is":
		return memMiB == r.MiB
	case "!=", "not":
		return memMiB != r.MiB
	}
	return true
}

func (r MemoryRule) String() string { return fmt.Sprintf("memory %s %g MiB", r.Operand, r.MiB) }

var sizeRe = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*$`)

// parseMiB reads a device memory size as Nomad writes them ("16 GiB",
// "16384 MiB", "16GB"); a bare number is MiB, the device plugin's unit.
func parseMiB(s string) (float64, bool) {
	m := sizeRe.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, false
	}
	switch strings.ToLower(m[2]) {
	case "", "mib", "mb":
		return n, true
	case "gib", "gb":
		return n * 1024, true
	case "tib", "tb":
		return n * 1024 * 1024, true
	case "kib", "kb":
		return n / 1024, true
	}
	return 0, false
}

// deviceRules keeps the memory constraints of a GPU device request; the
// others (model, vendor attributes) are noted, since the runner gives the
// host's GPUs.
func (b *builder) deviceRules(d *api.RequestedDevice, dpath string) ([]MemoryRule, error) {
	var out []MemoryRule
	for i, c := range d.Constraints {
		if c == nil {
			continue
		}
		cpath := fmt.Sprintf("%s.Constraints[%d]", dpath, i)
		if strings.TrimSpace(c.LTarget) != "${device.attr.memory}" {
			b.note("device constraints other than ${device.attr.memory} (%s) choose among a client's GPUs; the runner gives the task the host's GPUs as --gpus says", cpath)
			continue
		}
		switch c.Operand {
		case "<", "<=", ">", ">=", "=", "==", "!=", "is", "not":
		default:
			b.note("device constraint %s uses operand %q, which the runner does not check", cpath, c.Operand)
			continue
		}
		mib, ok := parseMiB(c.RTarget)
		if !ok {
			return nil, fmt.Errorf("%s.RTarget: %q is not a memory size such as \"16 GiB\"", cpath, c.RTarget)
		}
		out = append(out, MemoryRule{Path: cpath, Operand: c.Operand, MiB: mib})
	}
	if len(d.Affinities) > 0 {
		b.note("device affinities (%s.Affinities) rank a client's GPUs; the runner gives the task the host's GPUs", dpath)
	}
	return out, nil
}
