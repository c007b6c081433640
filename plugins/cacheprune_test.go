package plugins

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The compilation cache stays under its bound by dropping the modules
// compiled longest ago (an upgrade's leftovers first), leaves everything
// else in the directory alone, spares files another process is writing,
// and looks at most once per interval.
func TestPruneCompileCacheDropsOldestFirst(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	old := filepath.Join(dir, "wazero-v1.11.0-amd64-linux")
	cur := filepath.Join(dir, "wazero-v1.12.0-amd64-linux")
	write := func(path string, size int, age time.Duration) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(old, "a"), 400, 90*24*time.Hour)
	write(filepath.Join(cur, "b"), 400, 40*24*time.Hour)
	write(filepath.Join(cur, "c"), 400, time.Hour)
	write(filepath.Join(cur, "d.123.tmp"), 400, time.Minute) // being written
	write(filepath.Join(dir, "lint", "results.pack"), 4000, 365*24*time.Hour)
	write(filepath.Join(dir, "notes.txt"), 4000, 365*24*time.Hour)

	pruneCompileCache(dir, 1000, time.Hour, now)
	for path, want := range map[string]bool{
		filepath.Join(old, "a"):                    false, // oldest: goes first
		filepath.Join(cur, "b"):                    false, // still over the bound
		filepath.Join(cur, "c"):                    true,
		filepath.Join(cur, "d.123.tmp"):            true,
		filepath.Join(dir, "lint", "results.pack"): true,
		filepath.Join(dir, "notes.txt"):            true,
	} {
		if _, err := os.Stat(path); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", path, err == nil, want)
		}
	}

	// Within the interval nothing is looked at, however full the cache.
	write(filepath.Join(cur, "e"), 4000, 2*time.Hour)
	pruneCompileCache(dir, 1000, time.Hour, now.Add(time.Minute))
	if _, err := os.Stat(filepath.Join(cur, "e")); err != nil {
		t.Errorf("pruned again within the interval: %v", err)
	}
	// After it, the bound holds again.
	pruneCompileCache(dir, 1000, time.Hour, now.Add(2*time.Hour))
	if _, err := os.Stat(filepath.Join(cur, "e")); err == nil {
		t.Error("a cache over its bound was not pruned after the interval")
	}
}

// A missing cache directory (the first run has none) is left missing:
// pruning creates nothing, not even its marker.
func TestPruneCompileCacheWithoutDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "absent")
	pruneCompileCache(dir, 1000, time.Hour, time.Now())
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("pruning a missing cache made %s (%v)", dir, err)
	}
}
