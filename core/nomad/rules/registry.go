package rules

import "github.com/jobkit-dev/jobkit/core/rule"

// Rules returns every semantic Nomad rule, in a stable order.
func Rules() []*rule.Rule {
	return []*rule.Rule{
		BareJob,
		DurationUnits,
		JobRules,
		GroupRules,
		TaskRules,
		ResourcesRules,
		LogConfig,
		RestartPolicy,
		ReschedulePolicy,
		Disconnect,
		UpdateNotAllowed,
		UpdateStrategy,
		Constraint,
		ConstraintTarget,
		Service,
		ServiceName,
		PortLabel,
		Check,
		Network,
		Artifact,
		Template,
		Periodic,
		Parameterized,
		Vault,
		Deprecated,
		DockerConfig,
		DriverConfig,
		Interpolation,
	}
}
