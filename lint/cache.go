package lint

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/plugins"
)

// The result cache remembers the findings of each linted file, so that a
// run over files that did not change (a pre-commit hook, a CI job with a
// restored cache) neither replays nor calls a plugin.
//
// A file's findings depend on its own text and path, on every file
// replayed before it (the schema it sees), on the linter's configuration,
// on the rule modules and on cqltrack itself. The key of a file is
// therefore a chain: the digest of the run's inputs (configuration, the
// cqltrack build, plugin module digests), then of each file in replay
// order, so changing a file, the configuration, a module or cqltrack
// changes the keys of that file and of every later one.
//
// All entries live in one pack file, <cache>/lint/results.pack, rather
// than a file per entry: on ext4, creating hundreds of small files and
// their shard directories made a run whose files changed spend more time
// in the kernel than in the linter. The pack is
//
//	cacheFormat "\n"
//	entry count           uint32, big-endian
//	index                 count records of packRecordSize bytes:
//	                      key [32]byte, last used (unix seconds) int64,
//	                      offset uint64, length uint64 (in the data)
//	data                  each entry's findings as a JSON array
//
// so opening it reads the index only, and a hit reads and decodes its own
// entry. A run that computed entries writes a whole new pack (the entries
// kept plus the new ones, most recently used first) to a temporary file
// and renames it over the old one: a concurrent run reads the old pack or
// the new one, never a mix.

// cacheFormat changes when what is stored, or how keys are made, changes.
// It is also the pack's first line, so a pack of another format reads as
// empty.
const cacheFormat = "cqltrack-lint-cache-3"

const (
	packName       = "results.pack"
	packHeaderSize = len(cacheFormat) + 1 + 4
	packRecordSize = 32 + 8 + 8 + 8
)

// cacheMaxAge is how long an entry no run has used stays in the pack.
// touchEvery is how stale an entry's last-used time may get before a run
// that only hit rewrites the pack to refresh it: a run that only hits
// writes nothing unless a day has passed since its entries were stamped.
const (
	cacheMaxAge = 30 * 24 * time.Hour
	touchEvery  = 24 * time.Hour
)

// packMaxSize bounds the entries the pack keeps for files the current run
// did not lint (other branches, configurations, projects): beyond it the
// least recently used go. A 500-file project with two findings per file
// takes about 0.3 MiB, so 4 MiB holds a dozen such states, and rewriting
// a full pack after a run that changed files costs about 10 ms
// (BenchmarkResultCache/write). The entries of the current run are always
// kept, so a project larger than the cap still runs warm the next time.
const packMaxSize = 4 << 20

var (
	buildOnce sync.Once
	build     string
)

// buildIdentity names the cqltrack build that runs: a file's findings
// depend on its code (the replay, the suppressions, the built-in module it
// embeds), not only on the files and the configuration. A released build
// is its module version; any other (a local build, a test binary, a tree
// with uncommitted changes) adds its executable's size and modification
// time, so that a rebuild starts afresh. Stat is cheap where hashing the
// embedded module took 2 ms of every run.
func buildIdentity() string {
	buildOnce.Do(func() {
		build = "unknown"
		if bi, ok := debug.ReadBuildInfo(); ok {
			build = bi.Main.Path + "@" + bi.Main.Version
			if bi.Main.Version != "" && bi.Main.Version != "(devel)" && !strings.HasSuffix(bi.Main.Version, "+dirty") {
				return
			}
		}
		if exe, err := os.Executable(); err == nil {
			if fi, err := os.Stat(exe); err == nil {
				build += fmt.Sprintf(" %s %d %d", exe, fi.Size(), fi.ModTime().UnixNano())
				return
			}
		}
		// No way to tell builds apart: a key no other run shares.
		build += fmt.Sprintf(" %d", time.Now().UnixNano())
	})
	return build
}

type cacheKey [sha256.Size]byte

// resultCache is the cache of one run.
type resultCache struct {
	dir   string
	keys  map[*file]cacheKey // linted files only
	order []cacheKey         // their keys in replay order
	pack  *pack              // as read at the start of the run; never nil
	// packMissing is set when there was no pack at all: the first write
	// then removes the entries of the old one-file-per-entry layout.
	packMissing bool

	mu    sync.Mutex             // put runs on the lint workers
	hits  map[cacheKey][]Finding // decoded, so a key is decoded once
	fresh map[cacheKey][]byte    // computed in this run, encoded
}

// openCache returns the cache for this run, or nil when it is disabled or
// a plugin module cannot be read (the run then reports that itself). The
// caller closes it.
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
	fmt.Fprintln(h, "build", buildIdentity()) // includes the built-in module
	for _, p := range cfg.Lint.Plugins {
		data, err := os.ReadFile(p.Path)
		if err != nil {
			return nil
		}
		sum := sha256.Sum256(data)
		fmt.Fprintln(h, "plugin", hex.EncodeToString(sum[:]))
	}
	// The release decides what the replay accepts and its defaults, so
	// what the rules see: "" and "5.0" build the same and share a key.
	inputs, err := json.Marshal(struct {
		Lint     config.Lint
		Keyspace config.Keyspace
		Release  string
	}{cfg.Lint, cfg.Keyspace, cfg.Schema.Version().String()})
	if err != nil {
		return nil
	}
	h.Write(inputs)
	chain := h.Sum(nil)

	c := &resultCache{
		dir:   dir,
		keys:  map[*file]cacheKey{},
		hits:  map[cacheKey][]Finding{},
		fresh: map[cacheKey][]byte{},
	}
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
			c.keys[f] = cacheKey(k.Sum(nil))
			c.order = append(c.order, c.keys[f])
		}
	}
	c.pack, c.packMissing = openPack(filepath.Join(dir, packName))
	return c
}

// get returns the cached findings of a file.
func (c *resultCache) get(f *file) ([]Finding, bool) {
	if c == nil {
		return nil, false
	}
	key := c.keys[f]
	c.mu.Lock()
	defer c.mu.Unlock()
	if fs, ok := c.hits[key]; ok {
		return fs, true
	}
	data, ok := c.pack.get(key)
	if !ok {
		return nil, false
	}
	fs, err := decodeFindings(data)
	if err != nil {
		return nil, false // a damaged entry is a miss
	}
	c.hits[key] = fs
	return fs, true
}

// getAll returns the cached findings of every file to lint, in order, or
// false when one of them is not cached. In a run over unchanged files
// decoding the entries is most of the work, so they are decoded on
// lintWorkers goroutines.
func (c *resultCache) getAll(files []*file) ([][]Finding, bool) {
	if c == nil {
		return nil, false
	}
	var keys []cacheKey
	for _, f := range files {
		if !f.lint {
			continue
		}
		key := c.keys[f]
		if _, ok := c.pack.index[key]; !ok {
			return nil, false // before decoding anything
		}
		keys = append(keys, key)
	}
	out := make([][]Finding, len(keys))
	ok := make([]bool, len(keys))
	var wg sync.WaitGroup
	chunk := (len(keys) + lintWorkers - 1) / lintWorkers
	for lo := 0; lo < len(keys); lo += chunk {
		wg.Go(func() {
			for i := lo; i < min(lo+chunk, len(keys)); i++ {
				if data, found := c.pack.get(keys[i]); found {
					var err error
					out[i], err = decodeFindings(data)
					ok[i] = err == nil
				}
			}
		})
	}
	wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	all := true
	for i, key := range keys {
		if ok[i] {
			c.hits[key] = out[i]
		}
		all = all && ok[i]
	}
	return out, all
}

// put stores the findings of a file; close writes them.
func (c *resultCache) put(f *file, fs []Finding) {
	if c == nil {
		return
	}
	data := encodeFindings(fs)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fresh[c.keys[f]] = data
}

// close writes a new pack when the run computed entries or used entries
// last stamped more than touchEvery ago, and releases the old one.
// Failing to write only costs time on the next run, so errors are
// ignored.
//
// Two runs that overlap each read the old pack and each write theirs: the
// later rename wins and the other run's new entries are lost, which only
// costs the next run the time to compute them again.
func (c *resultCache) close(now time.Time) {
	if c == nil {
		return
	}
	defer c.pack.close()
	c.mu.Lock()
	defer c.mu.Unlock()
	stale := false
	for key := range c.hits {
		if e := c.pack.index[key]; now.Sub(time.Unix(e.lastUsed, 0)) > touchEvery {
			stale = true
			break
		}
	}
	if len(c.fresh) == 0 && !stale {
		return
	}
	data := c.pack.merge(c.order, c.fresh, c.hits, now)
	c.pack.close() // merge read all it needs; some systems refuse to rename over an open file
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(c.dir, ".results-*.tmp")
	if err != nil {
		return
	}
	// No fsync: a pack cut short by a crash reads as empty, which costs
	// one slow run, while syncing would cost every run that writes.
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), filepath.Join(c.dir, packName)) != nil {
		os.Remove(tmp.Name())
		return
	}
	if c.packMissing {
		removeOldEntries(c.dir)
	}
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

// pack is a pack file as read: its index, and the file to read entries
// from.
type pack struct {
	r       io.ReaderAt // nil when the pack is empty
	file    *os.File    // to close; nil when r is not a file
	records []byte      // the index as read, in order
	data    int64       // where the data starts
	size    int64       // of the data
	index   map[cacheKey]packEntry
}

type packEntry struct {
	lastUsed int64 // unix seconds
	off, n   int64 // in the data
}

// openPack reads the index of the pack at path. A missing, unreadable,
// damaged or foreign file is an empty pack; missing reports whether there
// was no file at all.
func openPack(path string) (p *pack, missing bool) {
	f, err := os.Open(path)
	if err != nil {
		return &pack{}, os.IsNotExist(err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return &pack{}, false
	}
	p = readPack(f, st.Size())
	if p.r == nil {
		f.Close()
	} else {
		p.file = f
	}
	return p, false
}

// readPack reads the index of a pack of size bytes. Anything it does not
// recognise in full makes it an empty pack: a damaged cache must cost
// time, never fail a lint.
func readPack(r io.ReaderAt, size int64) *pack {
	empty := &pack{}
	if size < int64(packHeaderSize) {
		return empty
	}
	head := make([]byte, packHeaderSize)
	if readAt(r, head, 0) != nil {
		return empty
	}
	if string(head[:len(cacheFormat)+1]) != cacheFormat+"\n" {
		return empty
	}
	count := int64(binary.BigEndian.Uint32(head[len(cacheFormat)+1:]))
	// Checked before allocating, so a damaged count cannot ask for more
	// memory than the file holds.
	if count > (size-int64(packHeaderSize))/packRecordSize {
		return empty
	}
	index := make([]byte, count*packRecordSize)
	if readAt(r, index, int64(packHeaderSize)) != nil {
		return empty
	}
	p := &pack{r: r, records: index, data: int64(packHeaderSize) + int64(len(index)), index: make(map[cacheKey]packEntry, count)}
	p.size = size - p.data
	for rec := range slices.Chunk(index, packRecordSize) {
		off := binary.BigEndian.Uint64(rec[40:])
		n := binary.BigEndian.Uint64(rec[48:])
		if off > uint64(p.size) || n > uint64(p.size)-off {
			return empty
		}
		key := cacheKey(rec[:32])
		if _, dup := p.index[key]; dup {
			return empty // not written by merge
		}
		p.index[key] = packEntry{
			lastUsed: int64(binary.BigEndian.Uint64(rec[32:])),
			off:      int64(off),
			n:        int64(n),
		}
	}
	return p
}

// get reads the entry of key.
func (p *pack) get(key cacheKey) ([]byte, bool) {
	e, ok := p.index[key]
	if !ok {
		return nil, false
	}
	data := make([]byte, e.n)
	if err := readAt(p.r, data, p.data+e.off); err != nil {
		return nil, false
	}
	return data, true
}

// readAt fills buf from r at off. io.ReaderAt may report io.EOF along
// with a full buffer that ends at the end of the file: that is no error.
func readAt(r io.ReaderAt, buf []byte, off int64) error {
	n, err := r.ReadAt(buf, off)
	if n == len(buf) {
		return nil
	}
	return err
}

func (p *pack) close() {
	if p.file != nil {
		p.file.Close()
		p.file = nil
	}
}

// packItem is an entry of the pack being written.
type packItem struct {
	key      cacheKey
	lastUsed int64
	data     []byte
}

// merge returns a new pack: first the entries of this run, in replay
// order, stamped now (computed ones from fresh, the others from the old
// pack when this run used them), then the old pack's other entries in
// their order, without those unused for cacheMaxAge and, once the pack
// reaches packMaxSize, without the rest. Every pack is written this way,
// so its entries are in order of last use, most recent first, and cutting
// its tail drops the least recently used.
func (p *pack) merge(run []cacheKey, fresh map[cacheKey][]byte, hits map[cacheKey][]Finding, now time.Time) []byte {
	// The old data is read in one piece: it is no bigger than the pack
	// being written, and one read beats one per entry.
	var old []byte
	if len(p.index) > 0 {
		old = make([]byte, p.size)
		if readAt(p.r, old, p.data) != nil {
			old = nil
		}
	}
	oldData := func(e packEntry) []byte { return old[e.off : e.off+e.n] }

	var items []packItem
	written := make(map[cacheKey]bool, len(run))
	size := int64(packHeaderSize)
	add := func(key cacheKey, lastUsed int64, data []byte) {
		items = append(items, packItem{key: key, lastUsed: lastUsed, data: data})
		written[key] = true
		size += packRecordSize + int64(len(data))
	}
	for _, key := range run {
		if data, ok := fresh[key]; ok {
			add(key, now.Unix(), data)
		} else if _, ok := hits[key]; ok && old != nil {
			add(key, now.Unix(), oldData(p.index[key]))
		}
	}
	if old == nil {
		return encodePack(items)
	}
	for rec := range slices.Chunk(p.records, packRecordSize) {
		key := cacheKey(rec[:32])
		e := p.index[key]
		if written[key] || now.Sub(time.Unix(e.lastUsed, 0)) > cacheMaxAge {
			continue
		}
		if size+packRecordSize+e.n > packMaxSize {
			break
		}
		add(key, e.lastUsed, oldData(e))
	}
	return encodePack(items)
}

// encodePack lays out a pack holding items, in their order.
func encodePack(items []packItem) []byte {
	n := packHeaderSize + len(items)*packRecordSize
	for _, it := range items {
		n += len(it.data)
	}
	buf := make([]byte, 0, n)
	buf = append(buf, cacheFormat+"\n"...)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(items)))
	var off uint64
	for _, it := range items {
		buf = append(buf, it.key[:]...)
		buf = binary.BigEndian.AppendUint64(buf, uint64(it.lastUsed))
		buf = binary.BigEndian.AppendUint64(buf, off)
		buf = binary.BigEndian.AppendUint64(buf, uint64(len(it.data)))
		off += uint64(len(it.data))
	}
	for _, it := range items {
		buf = append(buf, it.data...)
	}
	return buf
}

// removeOldEntries deletes, once (when the first pack is written), the
// entries of the layout before the pack: <dir>/<2 hex>/<key>.json files,
// the whole-run entries among them, and the .pruned marker. Left alone
// they would be harmless but never pruned again. Only names of that
// layout are removed, and a shard directory only when it is then empty.
func removeOldEntries(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	os.Remove(filepath.Join(dir, ".pruned"))
	for _, e := range entries {
		if !e.IsDir() || !isHex(e.Name(), 2) {
			continue
		}
		shard := filepath.Join(dir, e.Name())
		files, err := os.ReadDir(shard)
		if err != nil {
			continue
		}
		for _, f := range files {
			name := strings.TrimPrefix(f.Name(), "run-")
			if strings.HasSuffix(name, ".json") && isHex(strings.TrimSuffix(name, ".json"), 64) ||
				strings.HasPrefix(f.Name(), ".tmp-") {
				os.Remove(filepath.Join(shard, f.Name()))
			}
		}
		os.Remove(shard) // fails, as it should, when something else is there
	}
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}
