//go:build !js

package jobschema

// The mutation test lives in package jobschema_test because it lints with
// the whole of core (which imports this package); it reuses the conformance
// test's installation and run of the official validator.
var (
	InstallOfficial = installOfficial
	RunOfficial     = runOfficial
)
