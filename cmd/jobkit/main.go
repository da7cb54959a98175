// Command jobkit lints, formats, fixes and explains GPU job definitions
// (Nosana and Nomad JSON), and serves the browser editor.
package main

import (
	"os"

	"github.com/jobkit-dev/jobkit/internal/jobkitcli"
)

func main() {
	os.Exit(jobkitcli.Main(os.Args[1:], jobkitcli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
