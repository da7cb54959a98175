// Package rules holds jobkit's semantic rules for Nosana job definitions:
// the checks a JSON Schema cannot express (references between ops, literals,
// ports, volumes, what the node really does). One rule per file; this file is
// the one place they are registered.
package rules

import "github.com/jobkit-dev/jobkit/core/rule"

// Rules returns every semantic Nosana rule.
func Rules() []*rule.Rule {
	return []*rule.Rule{
		// --- ops, dependencies, literals ---
		duplicateOpID, opTypeArgsMismatch, unknownDependency, dependencyCycle,
		dependencyGroupOrder, dependencyNeverReady, literalReference,
		unreferenceableID, resultsRegex, networkAlias, logisticsConfidential,
		// --- values, resources, images ---
		portRange, duplicatePort, exposeSingleObject, healthCheck,
		privateWithoutExpose, plaintextSecret, dockerAuth,
		volume, resource, gpuVRAM, gpuNoOptOut, globalImageUnused,
		cmdEntrypoint, imageReference, envName, restartPolicy, emptyValue,
	}
}
