package jobkitcli

import (
	"fmt"

	nomadschema "github.com/jobkit-dev/jobkit/core/nomad/jobschema"
	nosanaschema "github.com/jobkit-dev/jobkit/core/nosana/jobschema"
)

func init() {
	commands["schema"] = command{"print the JSON Schema of a format (nosana or nomad) for editors", runSchema}
}

func runSchema(env Env, args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(env.Stderr, "Usage: jobkit schema nosana|nomad")
		return ExitUsage
	}
	var schema []byte
	switch args[0] {
	case "nosana":
		schema = nosanaschema.JSON()
	case "nomad":
		schema = nomadschema.SchemaJSON
	default:
		fmt.Fprintf(env.Stderr, "jobkit schema: unknown format %q (want nosana or nomad)\n", args[0])
		return ExitUsage
	}
	if _, err := env.Stdout.Write(schema); err != nil {
		return ExitFatal
	}
	return ExitOK
}
