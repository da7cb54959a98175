package nomadjob

import (
	"encoding/json"
	"fmt"
	"strings"
)

// dockerConfig is the part of the docker driver's task Config the runner
// acts on (keys as the driver spells them; lint has checked them already).
type dockerConfig struct {
	Image           string          `json:"image"`
	Command         string          `json:"command"`
	Args            []string        `json:"args"`
	Entrypoint      []string        `json:"entrypoint"`
	WorkDir         string          `json:"work_dir"`
	Labels          json.RawMessage `json:"labels"`
	Auth            *dockerAuth     `json:"auth"`
	Ports           []string        `json:"ports"`
	NetworkMode     string          `json:"network_mode"`
	Volumes         []string        `json:"volumes"`
	Mount           json.RawMessage `json:"mount"`
	ForcePull       bool            `json:"force_pull"`
	MemoryHardLimit int64           `json:"memory_hard_limit"`
	ShmSize         int64           `json:"shm_size"`
	Init            bool            `json:"init"`
	ReadonlyRootfs  bool            `json:"readonly_rootfs"`
	PidsLimit       int64           `json:"pids_limit"`
	CapAdd          []string        `json:"cap_add"`
	CapDrop         []string        `json:"cap_drop"`
	ExtraHosts      []string        `json:"extra_hosts"`
	DNSServers      []string        `json:"dns_servers"`
	Tty             bool            `json:"tty"`
	Privileged      bool            `json:"privileged"`
}

type dockerAuth struct {
	Username      string `json:"username"`
	Password      string `json:"password"`
	Email         string `json:"email"`
	ServerAddress string `json:"server_address"`
}

type dockerMount struct {
	Type     string `json:"type"`
	Target   string `json:"target"`
	Source   string `json:"source"`
	ReadOnly bool   `json:"readonly"`
}

// decodeConfig interpolates every string of the Config (HCL2 style: an
// unknown variable is an error) and reads it.
func decodeConfig(raw map[string]any, v vars, path string) (*dockerConfig, error) {
	expanded, err := expandAny(raw, v, path+".Config")
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(expanded)
	if err != nil {
		return nil, fmt.Errorf("%s.Config: %w", path, err)
	}
	var c dockerConfig
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s.Config: the docker driver cannot read it: %w", path, err)
	}
	return &c, nil
}

func expandAny(x any, v vars, where string) (any, error) {
	switch t := x.(type) {
	case string:
		return v.expandStrict(t, where)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			e, err := expandAny(val, v, where+"."+k)
			if err != nil {
				return nil, err
			}
			out[k] = e
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			e, err := expandAny(val, v, fmt.Sprintf("%s[%d]", where, i))
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	}
	return x, nil
}

// labels reads `labels`: HCL's list of one map ([{"k": "v"}]), or a map.
func (c *dockerConfig) labels() (map[string]string, error) {
	if len(c.Labels) == 0 || string(c.Labels) == "null" {
		return nil, nil
	}
	var list []map[string]string
	if err := json.Unmarshal(c.Labels, &list); err == nil {
		out := map[string]string{}
		for _, m := range list {
			for k, v := range m {
				out[k] = v
			}
		}
		return out, nil
	}
	var m map[string]string
	if err := json.Unmarshal(c.Labels, &m); err != nil {
		return nil, fmt.Errorf("labels: want [{\"key\": \"value\"}]")
	}
	return m, nil
}

// mounts reads `mount`: one block or a list of blocks.
func (c *dockerConfig) mounts() ([]dockerMount, error) {
	if len(c.Mount) == 0 || string(c.Mount) == "null" {
		return nil, nil
	}
	var list []dockerMount
	if strings.HasPrefix(strings.TrimSpace(string(c.Mount)), "{") {
		var one dockerMount
		if err := json.Unmarshal(c.Mount, &one); err != nil {
			return nil, fmt.Errorf("mount: %w", err)
		}
		return []dockerMount{one}, nil
	}
	if err := json.Unmarshal(c.Mount, &list); err != nil {
		return nil, fmt.Errorf("mount: %w", err)
	}
	return list, nil
}
