// Command jobkit lints, formats, fixes and explains GPU job definitions
// (Nosana and Nomad JSON), and serves the browser editor.
package main

import (
	"os"

	"github.com/jobkit-dev/jobkit/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
