package plugins

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The disk compilation cache keeps one file of machine code per module,
// CPU and wazero release (the built-in rules take ~10 MB). Nothing reads
// the file of a module nobody loads any more, such as the built-in rules
// of an earlier cqltrack release, so without a bound the cache grows with
// every upgrade.
const (
	// compileCacheMax bounds the cache: room for about 25 modules the size
	// of the built-in rules.
	compileCacheMax = 256 << 20
	// compileCachePruneEvery is how often a process looks (a marker file in
	// the cache directory remembers the last look).
	compileCachePruneEvery = 24 * time.Hour
	// staleTemp is when a temporary file, which another process may still
	// be writing, counts as abandoned.
	staleTemp = time.Hour
)

const pruneMarker = ".wazero-pruned"

// pruneCompileCache deletes the files written longest ago in dir's wazero
// directories until the others fit in max bytes, at most once per every. A
// module in use stays: it is written when it is compiled, so it is among
// the newest unless max is reached by modules compiled since, and a
// deleted one is only compiled again. Entries of other wazero releases, which this binary
// never reads, are older and go first. Errors only cost disk space, so
// they are ignored.
func pruneCompileCache(dir string, max int64, every time.Duration, now time.Time) {
	marker := filepath.Join(dir, pruneMarker)
	if st, err := os.Stat(marker); err == nil && now.Sub(st.ModTime()) < every {
		return
	}
	type entry struct {
		path string
		size int64
		mod  time.Time
	}
	var (
		entries []entry
		total   int64
	)
	// Only wazero's directories (wazero-<release>-<arch>-<os>): the cache
	// directory may be one the user named, holding other things (the lint
	// result cache among them).
	subdirs, _ := filepath.Glob(filepath.Join(dir, "wazero-*"))
	for _, sub := range subdirs {
		files, err := os.ReadDir(sub)
		if err != nil {
			continue
		}
		for _, d := range files {
			info, err := d.Info()
			if err != nil || !info.Mode().IsRegular() {
				continue
			}
			total += info.Size()
			if strings.HasSuffix(d.Name(), ".tmp") && now.Sub(info.ModTime()) < staleTemp {
				continue // being written by another process: counts, stays
			}
			entries = append(entries, entry{filepath.Join(sub, d.Name()), info.Size(), info.ModTime()})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return a.mod.Compare(b.mod) })
	for _, e := range entries {
		if total <= max {
			break
		}
		if os.Remove(e.path) == nil {
			total -= e.size
		}
	}
	if f, err := os.Create(marker); err == nil {
		f.Close()
		_ = os.Chtimes(marker, now, now)
	}
}
