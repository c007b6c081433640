package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/lint/builtin"
	"github.com/cqltrack/cqltrack/plugins"
)

// The result cache remembers the findings of each linted file, so that a
// run over files that did not change (a pre-commit hook, a CI job with a
// restored cache) neither replays nor calls a plugin.
//
// A file's findings depend on its own text and path, on every file
// replayed before it (the schema it sees), on the linter's configuration
// and on the rule modules. The key of a file is therefore a chain: the
// digest of the run's inputs (configuration, module digests), then of each
// file in replay order, so changing a file, the configuration or a module
// changes the keys of that file and of every later one.

// cacheFormat changes when what is stored, or how keys are made, changes.
const cacheFormat = "cqltrack-lint-cache-1"

var (
	builtinDigestOnce sync.Once
	builtinDigest     string
)

// resultCache is the cache of one run.
type resultCache struct {
	dir  string
	keys map[*file]string // linted files only
	// run is the key of the whole run (every linted file's key): one
	// entry holds the findings of all files, so a run over unchanged files
	// reads one entry rather than one per file.
	run string
}

// openCache returns the cache for this run, or nil when it is disabled or
// a plugin module cannot be read (the run then reports that itself).
func openCache(cfg *config.Config, opts Options, files []*file) *resultCache {
	if opts.NoResultCache || opts.NativeBuiltins {
		return nil // native rules are not versioned by a module digest
	}
	dir := opts.CacheDir
	if dir == "" {
		dir = cfg.PluginCacheDir
	}
	if dir == "" {
		d, err := plugins.DefaultCacheDir()
		if err != nil {
			return nil
		}
		dir = filepath.Dir(d) // <user cache>/cqltrack, next to the wazero cache
	}
	dir = filepath.Join(dir, "lint")

	h := sha256.New()
	fmt.Fprintln(h, cacheFormat)
	builtinDigestOnce.Do(func() {
		sum := sha256.Sum256(builtin.Wasm)
		builtinDigest = hex.EncodeToString(sum[:])
	})
	fmt.Fprintln(h, "builtin", builtinDigest)
	for _, p := range cfg.Lint.Plugins {
		data, err := os.ReadFile(p.Path)
		if err != nil {
			return nil
		}
		sum := sha256.Sum256(data)
		fmt.Fprintln(h, "plugin", hex.EncodeToString(sum[:]))
	}
	inputs, err := json.Marshal(struct {
		Lint     config.Lint
		Keyspace config.Keyspace
	}{cfg.Lint, cfg.Keyspace})
	if err != nil {
		return nil
	}
	h.Write(inputs)
	chain := h.Sum(nil)

	c := &resultCache{dir: dir, keys: map[*file]string{}}
	run := sha256.New()
	for _, f := range files {
		h := sha256.New()
		h.Write(chain)
		fmt.Fprintf(h, "\n%s\n%d\n", f.rel, len(f.data))
		h.Write(f.data)
		chain = h.Sum(nil)
		if f.lint {
			k := sha256.New()
			k.Write(chain)
			fmt.Fprintf(k, "\n%s", f.shown) // findings name the file as shown
			c.keys[f] = hex.EncodeToString(k.Sum(nil))
			fmt.Fprintln(run, c.keys[f])
		}
	}
	c.run = "run-" + hex.EncodeToString(run.Sum(nil))
	return c
}

func (c *resultCache) path(key string) string {
	return filepath.Join(c.dir, key[len(key)-2:], key+".json")
}

// get returns the cached findings of a file.
func (c *resultCache) get(f *file) ([]Finding, bool) {
	if c == nil {
		return nil, false
	}
	return c.read(c.keys[f])
}

// put stores the findings of a file.
func (c *resultCache) put(f *file, fs []Finding) {
	if c != nil {
		c.write(c.keys[f], fs)
	}
}

// getRun and putRun read and write the findings of the whole run.
func (c *resultCache) getRun() ([]Finding, bool) {
	if c == nil {
		return nil, false
	}
	return c.read(c.run)
}

func (c *resultCache) putRun(fs []Finding) {
	if c != nil {
		c.write(c.run, fs)
		c.prune(time.Now())
	}
}

// cacheMaxAge is how long an unused entry stays; pruneEvery how often a
// run looks for old entries (a marker file remembers the last look).
const (
	cacheMaxAge = 30 * 24 * time.Hour
	pruneEvery  = 24 * time.Hour
)

// prune removes entries not written for cacheMaxAge, at most once every
// pruneEvery, so that the cache of a long-lived machine does not grow
// without bound. Reads do not refresh an entry: one still in use is
// rewritten by the first run after it is removed.
func (c *resultCache) prune(now time.Time) {
	marker := filepath.Join(c.dir, ".pruned")
	if st, err := os.Stat(marker); err == nil && now.Sub(st.ModTime()) < pruneEvery {
		return
	}
	_ = filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		if info, err := d.Info(); err == nil && now.Sub(info.ModTime()) > cacheMaxAge {
			os.Remove(p)
		}
		return nil
	})
	if f, err := os.Create(marker); err == nil {
		f.Close()
		_ = os.Chtimes(marker, now, now)
	}
}

func (c *resultCache) read(key string) ([]Finding, bool) {
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil, false
	}
	fs, err := decodeFindings(data)
	if err != nil {
		return nil, false // a damaged entry is a miss
	}
	return fs, true
}

// The entries are JSON arrays of findings, in the shape --json prints.

func encodeFindings(fs []Finding) []byte {
	data, err := json.Marshal(fs)
	if err != nil {
		return nil // Finding holds only strings and ints: unreachable
	}
	return data
}

func decodeFindings(data []byte) ([]Finding, error) {
	fs := []Finding{}
	if err := json.Unmarshal(data, &fs); err != nil {
		return nil, err
	}
	return fs, nil
}

// write stores findings under key. Failing to store only costs time on
// the next run, so errors are ignored.
func (c *resultCache) write(key string, fs []Finding) {
	data := encodeFindings(fs)
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), p) != nil {
		os.Remove(tmp.Name())
	}
}
