package rules

import (
	"archive/zip"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// TestTimeZoneNames checks the embedded zone list against the zoneinfo.zip
// of the Go running the test (what time.LoadLocation reads without a system
// tz database), so that an outdated list shows up as a failure.
func TestTimeZoneNames(t *testing.T) {
	zr, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
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
	if got := strings.Join(want, "\n"); got != timeZoneNames {
		t.Errorf("timezones.go differs from Go's zoneinfo.zip (%d names there); regenerate it", len(want))
	}
	for tz, ok := range map[string]bool{"Europe/Berlin": true, "UTC": true, "Local": true, "": true, "America/New_York": true,
		"Europe/Berlln": false, "utc": false, "Mars/Olympus": false} {
		if got := knownTimeZone(tz); got != ok {
			t.Errorf("knownTimeZone(%q) = %v, want %v", tz, got, ok)
		}
	}
}
