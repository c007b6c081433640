package lint

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCachePrune: entries unused for cacheMaxAge go, recent ones stay, and
// a second run within pruneEvery does not walk the cache again.
func TestCachePrune(t *testing.T) {
	dir := t.TempDir()
	c := &resultCache{dir: dir}
	now := time.Now()
	write := func(name string, age time.Duration) string {
		p := filepath.Join(dir, name[len(name)-7:len(name)-5], name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("[]"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := write("old-aa.json", cacheMaxAge+time.Hour)
	recent := write("new-bb.json", time.Hour)
	c.prune(now)
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("an entry unused for %s was kept", cacheMaxAge+time.Hour)
	}
	if _, err := os.Stat(recent); err != nil {
		t.Errorf("a recent entry was removed: %v", err)
	}
	// Within pruneEvery the cache is not walked: an old entry survives.
	old2 := write("old-cc.json", cacheMaxAge+time.Hour)
	c.prune(now.Add(time.Hour))
	if _, err := os.Stat(old2); err != nil {
		t.Errorf("pruned again within %s: %v", pruneEvery, err)
	}
	c.prune(now.Add(pruneEvery + time.Hour))
	if _, err := os.Stat(old2); !os.IsNotExist(err) {
		t.Errorf("not pruned after %s", pruneEvery)
	}
}
