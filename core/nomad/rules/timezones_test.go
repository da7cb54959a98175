//go:build !js

// The zone list is checked natively: in the browser there is no GOROOT.

package rules

import (
	"archive/zip"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var updateZones = flag.Bool("update", false, "rewrite timezones.go from Go's zoneinfo.zip")

// TestTimeZoneNames checks the embedded zone list against the zoneinfo.zip
// of the Go running the test (what time.LoadLocation reads without a system
// tz database), so that an outdated list shows up as a failure.
func TestTimeZoneNames(t *testing.T) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	zr, err := zip.OpenReader(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Fatalf("reading Go's zoneinfo: %v", err)
	}
	defer zr.Close()
	var want []string
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, "/") {
			want = append(want, f.Name)
		}
	}
	sort.Strings(want)
	got := strings.Join(want, "\n")
	if *updateZones {
		src, err := os.ReadFile("timezones.go")
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := strings.Cut(string(src), "`")
		if err := os.WriteFile("timezones.go", []byte(head+"`"+got+"`\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != timeZoneNames {
		t.Errorf("timezones.go differs from Go's zoneinfo.zip (%d names there): go test ./core/nomad/rules -run TestTimeZoneNames -update", len(want))
	}
	for tz, ok := range map[string]bool{"Europe/Berlin": true, "UTC": true, "Local": true, "": true, "America/New_York": true,
		"Europe/Berlln": false, "utc": false, "Mars/Olympus": false} {
		if got := knownTimeZone(tz); got != ok {
			t.Errorf("knownTimeZone(%q) = %v, want %v", tz, got, ok)
		}
	}
}
