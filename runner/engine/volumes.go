package engine

import (
	"context"
	"fmt"
	"slices"

	"github.com/docker/docker/api/types/volume"

	"github.com/jobkit-dev/jobkit/runner/plan"
)

// implicitVolumes creates, with the run's labels, the volumes a step mounts
// that no create-volume op makes. Docker would otherwise create them
// unlabelled when the container is created (as it does on a node), and they
// would stay after every run.
func (e *Engine) implicitVolumes(ctx context.Context, step *plan.Step) error {
	for _, m := range step.Mounts {
		if m.Volume == "" || slices.Contains(e.Plan.Volumes, m.Volume) {
			continue
		}
		labels := e.withOwner(map[string]string{plan.LabelOp: step.OpID})
		if _, err := e.D.VolumeCreate(ctx, volume.CreateOptions{Name: m.Volume, Labels: labels}); err != nil {
			return fmt.Errorf("create volume %s for %s (no create-volume op makes it): %w", m.Volume, m.Target, err)
		}
	}
	return nil
}
