package jobschema

import "testing"

// TestHCLNamesSuggest checks that an HCL name typed in an API job suggests
// its API key, and that every entry of hclNames names a block and a field
// the catalogue has (suggest drops an alias whose field is missing, so a
// typo in the table would silently lose the suggestion).
func TestHCLNamesSuggest(t *testing.T) {
	c := Load()
	for block, names := range hclNames {
		b := c.Blocks[block]
		if b == nil {
			t.Errorf("hclNames: no block %q in the catalogue", block)
			continue
		}
		for name, key := range names {
			if b.Field(key) == nil {
				t.Errorf("hclNames: block %s has no field %q (for %q)", block, key, name)
			}
		}
	}
	for _, tc := range []struct{ block, key, want string }{
		{"Job", "group", "TaskGroups"},
		{"Task", "logs", "LogConfig"},
		{"Task", "volume_mount", "VolumeMounts"},
		{"Resources", "memory", "MemoryMB"},
		{"PeriodicConfig", "cron", "Spec"},
		{"Port", "static", "Value"},
	} {
		b := c.Blocks[tc.block]
		if b == nil {
			t.Fatalf("no block %q in the catalogue", tc.block)
		}
		if got := suggest(tc.key, b); got != tc.want {
			t.Errorf("suggest(%q) in %s = %q, want %q", tc.key, tc.block, got, tc.want)
		}
	}
}
