package nosana

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ContainerRunArgs are the args of container/run.
type ContainerRunArgs struct {
	Image          string            `json:"image"`
	Cmd            *Command          `json:"cmd,omitempty"`
	Entrypoint     *Command          `json:"entrypoint,omitempty"`
	Env            map[string]string `json:"env,omitempty"`
	GPU            bool              `json:"gpu,omitempty"`
	WorkDir        string            `json:"work_dir,omitempty"`
	Expose         Expose            `json:"expose,omitempty"`
	Private        bool              `json:"private,omitempty"`
	Resources      []Resource        `json:"resources,omitempty"`
	Volumes        []VolumeMount     `json:"volumes,omitempty"`
	Aliases        Aliases           `json:"aliases,omitempty"`
	RestartPolicy  *RestartPolicy    `json:"restart_policy,omitempty"`
	Authentication *Authentication   `json:"authentication,omitempty"`
}

// Command is cmd or entrypoint: a string (Shell, run by a shell for cmd and
// taken as one executable name for entrypoint) or an argv list.
type Command struct {
	IsString bool
	Shell    string
	Argv     []string
}

// RemoveIfEmpty is the marker that disappears from cmd, entrypoint and
// resources arrays.
const RemoveIfEmpty = "__remove-if-empty__"

// UnmarshalJSON accepts a string or an array of strings.
func (c *Command) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*c = Command{IsString: true, Shell: s}
		return nil
	}
	var argv []string
	if err := json.Unmarshal(b, &argv); err != nil {
		return fmt.Errorf("expected a string or an array of strings")
	}
	out := argv[:0:0]
	for _, a := range argv {
		if a != RemoveIfEmpty {
			out = append(out, a)
		}
	}
	*c = Command{Argv: out}
	return nil
}

// MarshalJSON writes the form that was read.
func (c Command) MarshalJSON() ([]byte, error) {
	if c.IsString {
		return json.Marshal(c.Shell)
	}
	if c.Argv == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(c.Argv)
}

// List is the command as an argv list: a string is one element (Docker's
// StrSlice semantics; Nosana does not split it).
func (c *Command) List() []string {
	if c == nil {
		return nil
	}
	if c.IsString {
		return []string{c.Shell}
	}
	return c.Argv
}

// Aliases are network aliases: a string (split on ",") or a list.
type Aliases []string

// UnmarshalJSON accepts "a,b" or ["a","b"].
func (a *Aliases) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*a = nil
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				*a = append(*a, p)
			}
		}
		return nil
	}
	var l []string
	if err := json.Unmarshal(b, &l); err != nil {
		return fmt.Errorf("expected a string or an array of strings")
	}
	*a = l
	return nil
}

// VolumeMount mounts the volume made by a create-volume op named Name at Dest.
type VolumeMount struct {
	Name string `json:"name"`
	Dest string `json:"dest"`
}

// RestartPolicy is "no" | "always" | "unless-stopped" | "on-failure" or
// {"policy": "on-failure", "restart_tries": n}.
type RestartPolicy struct {
	Policy       string `json:"policy"`
	RestartTries int    `json:"restart_tries,omitempty"`
}

// UnmarshalJSON accepts the string or the object form.
func (r *RestartPolicy) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*r = RestartPolicy{Policy: s}
		return nil
	}
	type plain RestartPolicy
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("expected a policy name or {\"policy\", \"restart_tries\"}")
	}
	*r = RestartPolicy(p)
	return nil
}

// Authentication holds registry credentials for the image pull.
type Authentication struct {
	Docker *DockerAuth `json:"docker,omitempty"`
}

// DockerAuth is a registry login. Password is a secret.
type DockerAuth struct {
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
	Email    string `json:"email,omitempty"`
	Server   string `json:"server,omitempty"`
}
