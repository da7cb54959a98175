package resource

import (
	"fmt"
	"strings"
)

// safeName checks a file name that came from a server (an S3 key, a Hugging
// Face file name, ...) before anything is written: it must be a relative,
// clean, slash-separated path that stays inside the resource directory.
// Writes additionally go through os.Root, so a symlink cannot lead outside
// either.
func safeName(name string) error {
	refuse := func(why string) error {
		return fmt.Errorf("refusing file name %q from the server: %s", name, why)
	}
	switch {
	case name == "":
		return refuse("it is empty")
	case strings.ContainsRune(name, 0):
		return refuse("it contains a NUL byte")
	case strings.HasPrefix(name, "/"):
		return refuse("it is an absolute path")
	case strings.Contains(name, "\\"):
		return refuse("it contains a backslash")
	}
	for _, el := range strings.Split(name, "/") {
		switch el {
		case "..":
			return refuse("it escapes the target directory")
		case "", ".":
			return refuse("it is not a clean path")
		}
	}
	return nil
}
