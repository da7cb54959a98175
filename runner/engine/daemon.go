package engine

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Daemon is the part of the Docker API the engine uses; *client.Client
// satisfies it. Everything that talks to the daemon goes through here.
type Daemon interface {
	Ping(ctx context.Context) (types.Ping, error)
	ImageInspect(ctx context.Context, imageID string, opts ...client.ImageInspectOption) (image.InspectResponse, error)
	ImageList(ctx context.Context, options image.ListOptions) ([]image.Summary, error)
	ImagePull(ctx context.Context, ref string, options image.PullOptions) (io.ReadCloser, error)
	ImageRemove(ctx context.Context, imageID string, options image.RemoveOptions) ([]image.DeleteResponse, error)
	ContainerCreate(ctx context.Context, config *container.Config, hostConfig *container.HostConfig, networkingConfig *network.NetworkingConfig, platform *ocispec.Platform, name string) (container.CreateResponse, error)
	ContainerAttach(ctx context.Context, id string, options container.AttachOptions) (types.HijackedResponse, error)
	ContainerStart(ctx context.Context, id string, options container.StartOptions) error
	ContainerWait(ctx context.Context, id string, condition container.WaitCondition) (<-chan container.WaitResponse, <-chan error)
	ContainerStop(ctx context.Context, id string, options container.StopOptions) error
	ContainerInspect(ctx context.Context, id string) (container.InspectResponse, error)
	ContainerRemove(ctx context.Context, id string, options container.RemoveOptions) error
	ContainerList(ctx context.Context, options container.ListOptions) ([]container.Summary, error)
	NetworkCreate(ctx context.Context, name string, options network.CreateOptions) (network.CreateResponse, error)
	NetworkList(ctx context.Context, options network.ListOptions) ([]network.Summary, error)
	NetworkRemove(ctx context.Context, id string) error
	VolumeCreate(ctx context.Context, options volume.CreateOptions) (volume.Volume, error)
	VolumeList(ctx context.Context, options volume.ListOptions) (volume.ListResponse, error)
	VolumeRemove(ctx context.Context, id string, force bool) error
}

// Connect makes a client from the environment (DOCKER_HOST, …), checks that
// the daemon answers and negotiates the API version with that one ping.
func Connect(ctx context.Context) (*client.Client, error) {
	if v := os.Getenv("DOCKER_API_VERSION"); v != "" {
		// A fixed version switches negotiation off; an old daemon then
		// rejects every call.
		os.Unsetenv("DOCKER_API_VERSION")
	}
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("docker client: %w", err)
	}
	ping, err := cli.Ping(ctx)
	if err != nil {
		host := cli.DaemonHost()
		cli.Close()
		return nil, &InfraError{Msg: fmt.Sprintf("cannot reach the Docker daemon at %s: %v\n  start it (for example `dockerd &` as root, or `systemctl start docker`) or point DOCKER_HOST at a running one", host, err)}
	}
	// Settle the API version now, from this ping: left to the first call,
	// negotiation pings again, and calls made at once race on the version.
	cli.NegotiateAPIVersionPing(ping)
	return cli, nil
}

// InfraError is a failure of the machinery (daemon, pull, download, GPU),
// not of the job: the runner exits 3.
type InfraError struct{ Msg string }

func (e *InfraError) Error() string { return e.Msg }
