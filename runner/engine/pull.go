package engine

import (
	"context"
	"encoding/json"
	"fmt"
	cerrdefs "github.com/containerd/errdefs"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/registry"

	"github.com/jobkit-dev/jobkit/runner/plan"
)

type pullOnce struct {
	once sync.Once
	err  error
}

// pull makes step.Image available as the pull policy says. Each image is
// pulled once per run. Credentials go into the API's auth header only.
func (e *Engine) pull(ctx context.Context, step *plan.Step) error {
	v, _ := e.pulled.LoadOrStore(step.Image, &pullOnce{})
	p := v.(*pullOnce)
	p.once.Do(func() { p.err = e.pullImage(ctx, step) })
	return p.err
}

func (e *Engine) pullImage(ctx context.Context, step *plan.Step) error {
	ref := step.Image
	if ref == "" {
		return &InfraError{Msg: fmt.Sprintf("op %s has no image (args.image is empty)", step.OpID)}
	}
	if step.Pull != plan.PullAlways {
		_, err := e.D.ImageInspect(ctx, ref)
		if err == nil {
			return nil
		}
		if !cerrdefs.IsNotFound(err) {
			return &InfraError{Msg: fmt.Sprintf("inspect image %s: %v", ref, err)}
		}
		if step.Pull == plan.PullNever {
			return &InfraError{Msg: fmt.Sprintf("image %s is not on this machine and --pull never forbids pulling it (op %s)", ref, step.OpID)}
		}
	}
	opts := image.PullOptions{}
	if a := step.Auth; a != nil {
		enc, err := registry.EncodeAuthConfig(registry.AuthConfig{
			Username: a.Username, Password: a.Password, ServerAddress: a.Server, // Email: unused by registries since API v1.23
		})
		if err != nil {
			return &InfraError{Msg: fmt.Sprintf("encode the registry credentials of op %s: %v", step.OpID, err)}
		}
		opts.RegistryAuth = enc
	}
	e.con.logf("pull %s", ref)
	rc, err := e.D.ImagePull(ctx, ref, opts)
	if err == nil {
		err = e.followPull(ref, rc)
		rc.Close()
	}
	if err != nil {
		return &InfraError{Msg: pullHelp(ref, step, e.con.mask.Mask(err.Error()))}
	}
	if step.Auth != nil {
		e.authPull.Store(ref, true)
	}
	return nil
}

// pullHelp turns a daemon error into a message that says what to do. On
// Docker 20.10 auth failures are HTTP 500, so the text decides.
func pullHelp(ref string, step *plan.Step, msg string) string {
	low := strings.ToLower(msg)
	switch {
	case strings.Contains(low, "unauthorized") || strings.Contains(low, "authentication required") ||
		strings.Contains(low, "no basic auth credentials") || strings.Contains(low, "denied"):
		if step.Auth == nil {
			return fmt.Sprintf("pull %s: the registry wants credentials; add args.authentication.docker {username, password} to op %s (%s)", ref, step.OpID, msg)
		}
		return fmt.Sprintf("pull %s: the registry refused the credentials of op %s (user %q); check args.authentication.docker (%s)", ref, step.OpID, step.Auth.Username, msg)
	case strings.Contains(low, "manifest unknown") || strings.Contains(low, "not found"):
		return fmt.Sprintf("pull %s: no such image or tag in the registry (op %s); check args.image (%s)", ref, step.OpID, msg)
	case strings.Contains(low, "no such host") || strings.Contains(low, "dial tcp") || strings.Contains(low, "timeout"):
		return fmt.Sprintf("pull %s: cannot reach the registry (%s); check the network, or use --image-map %s=LOCAL_IMAGE", ref, msg, ref)
	}
	return fmt.Sprintf("pull %s (op %s): %s", ref, step.OpID, msg)
}

// pullEvent is one line of the pull's JSON stream.
type pullEvent struct {
	ID             string `json:"id"`
	Status         string `json:"status"`
	Progress       string `json:"progress"`
	ProgressDetail struct {
		Current, Total int64
	} `json:"progressDetail"`
	Error       string `json:"error"`
	ErrorDetail *struct {
		Message string `json:"message"`
	} `json:"errorDetail"`
}

// followPull reads the pull stream to its end. On a terminal it redraws one
// line per layer; otherwise it prints a plain line when a layer changes state.
func (e *Engine) followPull(ref string, rc io.Reader) error {
	dec := json.NewDecoder(rc)
	layers := map[string]string{}
	var order []string
	drawn := 0
	for {
		var ev pullEvent
		if err := dec.Decode(&ev); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("read pull progress: %w", err)
		}
		if ev.Error != "" {
			return fmt.Errorf("%s", ev.Error)
		}
		if ev.ID == "" || strings.HasPrefix(ev.Status, "Pulling from") {
			if ev.Status != "" && !e.Opts.Terminal {
				e.con.logf("pull %s: %s", ref, ev.Status)
			}
			continue
		}
		prev, seen := layers[ev.ID]
		if !seen {
			order = append(order, ev.ID)
		}
		line := ev.Status
		if ev.Progress != "" {
			line += " " + ev.Progress
		}
		layers[ev.ID] = line
		if e.Opts.Terminal {
			e.con.mu.Lock()
			if drawn > 0 {
				fmt.Fprintf(e.con.err, "\x1b[%dA", drawn)
			}
			for _, id := range order {
				fmt.Fprintf(e.con.err, "\x1b[2K%s: %s\n", id, layers[id])
			}
			drawn = len(order)
			e.con.mu.Unlock()
		} else if !seen || strings.SplitN(prev, " ", 2)[0] != strings.SplitN(ev.Status, " ", 2)[0] {
			e.con.logf("pull %s: layer %s: %s", ref, ev.ID, ev.Status)
		}
	}
	return nil
}

// removeAuthImages removes images pulled with credentials (as the node
// does): private images do not stay on the machine.
func (e *Engine) removeAuthImages(ctx context.Context) {
	var refs []string
	e.authPull.Range(func(k, _ any) bool { refs = append(refs, k.(string)); return true })
	sort.Strings(refs)
	for _, ref := range refs {
		if _, err := e.D.ImageRemove(ctx, ref, image.RemoveOptions{PruneChildren: true}); err != nil && !cerrdefs.IsNotFound(err) {
			e.con.logf("warning: remove private image %s: %v", ref, err)
		}
	}
}
