package lint

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/internal/fuzzseed"
)

// The seed corpus of FuzzReadPack lives in testdata/fuzz/FuzzReadPack and
// runs as an ordinary test with "go test". Refresh it with
//
//	go test ./lint -run TestPackFuzzCorpus -update-corpus
var updateCorpus = flag.Bool("update-corpus", false, "rewrite the fuzz seed corpus in testdata/fuzz")

// testKey is a key made from a number, for tests.
func testKey(i int) cacheKey {
	var k cacheKey
	binary.BigEndian.PutUint64(k[:], uint64(i)+1)
	return k
}

// testFindings is the encoded entry of a file with one finding.
func testFindings(msg string) []byte {
	return encodeFindings([]Finding{{File: "V001__a.cql", Version: "001", Line: 1, Column: 1,
		Rule: "truncate", Severity: SeverityError, Message: msg, Plugin: "builtin"}})
}

// testPack is a pack of n entries, entry i last used i minutes before now.
func testPack(n int, now time.Time) []byte {
	var items []packItem
	for i := range n {
		items = append(items, packItem{key: testKey(i), lastUsed: now.Add(-time.Duration(i) * time.Minute).Unix(),
			data: testFindings(fmt.Sprintf("entry %d", i))})
	}
	return encodePack(items)
}

func readPackFile(t *testing.T, path string) *pack {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return readPack(bytes.NewReader(data), int64(len(data)))
}

// testCache opens the cache in dir as a run would, with files whose keys
// are testKey(i) for each i in keys.
func testCache(dir string, keys ...int) (*resultCache, []*file) {
	c := &resultCache{dir: dir, keys: map[*file]cacheKey{}, hits: map[cacheKey][]Finding{}, fresh: map[cacheKey][]byte{}}
	c.pack, c.packMissing = openPack(filepath.Join(dir, packName))
	var files []*file
	for _, k := range keys {
		f := &file{shown: fmt.Sprintf("V%03d__f.cql", k)}
		c.keys[f] = testKey(k)
		c.order = append(c.order, testKey(k))
		files = append(files, f)
	}
	return c, files
}

// TestPackRoundTrip: what a run puts, the next run gets, under the same
// key only.
func TestPackRoundTrip(t *testing.T) {
	dir := t.TempDir()
	c, files := testCache(dir, 1, 2)
	if _, ok := c.get(files[0]); ok {
		t.Fatal("a hit in an empty cache")
	}
	want := []Finding{{File: "V001__a.cql", Version: "001", Line: 3, Column: 7, Rule: "r", Severity: SeverityWarning, Message: "m", Plugin: "p"}}
	c.put(files[0], want)
	c.put(files[1], []Finding{})
	c.close(time.Now())

	c, files = testCache(dir, 1, 2, 3)
	defer c.close(time.Now())
	if got, ok := c.get(files[0]); !ok || !slices.Equal(got, want) {
		t.Errorf("get = %v, %v; want %v", got, ok, want)
	}
	if got, ok := c.get(files[1]); !ok || got == nil || len(got) != 0 {
		t.Errorf("a file without findings: get = %#v, %v; want an empty list", got, ok)
	}
	if _, ok := c.get(files[2]); ok {
		t.Error("a hit for a key never put")
	}
}

// TestPackDamaged: a pack cut short anywhere, a foreign file or a pack of
// another format reads as empty; an entry whose JSON is damaged is a miss.
func TestPackDamaged(t *testing.T) {
	good := testPack(3, time.Now())
	if p := readPack(bytes.NewReader(good), int64(len(good))); len(p.index) != 3 {
		t.Fatalf("a sound pack reads as %d entries, want 3", len(p.index))
	}
	for n := range len(good) {
		if p := readPack(bytes.NewReader(good[:n]), int64(n)); len(p.index) != 0 {
			t.Fatalf("the first %d of %d bytes read as %d entries", n, len(good), len(p.index))
		}
	}
	count := bytes.Clone(good)
	count[packHeaderSize-1]++ // one entry more than the index holds
	offset := bytes.Clone(good)
	offset[packHeaderSize+packRecordSize+40] = 0x7f // the second entry's offset past the end
	for name, data := range map[string][]byte{
		"empty":      {},
		"old entry":  testFindings("an entry of the one-file-per-entry layout"),
		"old format": append([]byte("cqltrack-lint-cache-1\n"), good[len(cacheFormat)+1:]...),
		"count":      count,
		"offset":     offset,
	} {
		if p := readPack(bytes.NewReader(data), int64(len(data))); len(p.index) != 0 {
			t.Errorf("%s: reads as %d entries", name, len(p.index))
		}
	}

	// Damaged data: that entry misses, the others still hit.
	dir := t.TempDir()
	bad := bytes.Clone(good)
	bad[len(bad)-2] = '{' // the last entry's closing bracket
	writeFile(t, filepath.Join(dir, packName), bad)
	c, files := testCache(dir, 0, 1, 2)
	defer c.close(time.Now())
	hits := 0
	for _, f := range files {
		if _, ok := c.get(f); ok {
			hits++
		}
	}
	if hits != 2 {
		t.Errorf("%d hits, want 2 (one entry is damaged)", hits)
	}
}

// TestPackConcurrentWriters: runs that write at once leave one sound pack
// (the old entries and one run's new ones, complete), a reader meanwhile
// sees a sound pack every time, and no temporary file stays behind.
func TestPackConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	writeFile(t, filepath.Join(dir, packName), testPack(20, now)) // keys 0..19
	const writers, each = 4, 50
	var caches []*resultCache
	for w := range writers {
		var keys []int
		for i := range each {
			keys = append(keys, 100*(w+1)+i)
		}
		c, files := testCache(dir, keys...)
		for _, f := range files {
			c.put(f, []Finding{{File: f.shown, Message: "new"}})
		}
		caches = append(caches, c)
	}

	stop := make(chan struct{})
	readerDone := make(chan error)
	go func() {
		var sizes []int
		for {
			select {
			case <-stop:
				readerDone <- nil
				return
			default:
			}
			c, _ := testCache(dir)
			n := len(c.pack.index)
			for key := range c.pack.index {
				if data, ok := c.pack.get(key); !ok {
					readerDone <- fmt.Errorf("entry %x of a pack of %d cannot be read", key[:8], n)
					return
				} else if _, err := decodeFindings(data); err != nil {
					readerDone <- fmt.Errorf("entry %x of a pack of %d: %v", key[:8], n, err)
					return
				}
			}
			c.pack.close()
			if n != 20 && n != 20+each {
				readerDone <- fmt.Errorf("a reader saw a pack of %d entries, want 20 or %d (after %v)", n, 20+each, sizes)
				return
			}
			sizes = append(sizes, n)
		}
	}()
	var wg sync.WaitGroup
	for _, c := range caches {
		wg.Go(func() { c.close(now) })
	}
	wg.Wait()
	close(stop)
	if err := <-readerDone; err != nil {
		t.Error(err)
	}

	p := readPackFile(t, filepath.Join(dir, packName))
	winner := -1
	for w := range writers {
		if _, ok := p.index[testKey(100*(w+1))]; ok {
			winner = w
		}
	}
	if winner < 0 || len(p.index) != 20+each {
		t.Fatalf("the pack holds %d entries (writer %d); want the 20 old ones and one writer's %d", len(p.index), winner, each)
	}
	for i := range 20 {
		if _, ok := p.index[testKey(i)]; !ok {
			t.Errorf("old entry %d lost", i)
		}
	}
	for i := range each {
		if _, ok := p.index[testKey(100*(winner+1)+i)]; !ok {
			t.Errorf("writer %d's entry %d missing", winner, i)
		}
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 1 {
		t.Errorf("left in the cache directory: %v", names)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, ".*")); len(names) != 0 {
		t.Errorf("temporary files left: %v", names)
	}
}

// FuzzReadPack: any file reads as a pack without panicking, every entry it
// indexes can be read, and writing those entries again gives a pack that
// reads the same.
func FuzzReadPack(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		p := readPack(bytes.NewReader(data), int64(len(data)))
		var items []packItem
		for key, e := range p.index {
			entry, ok := p.get(key)
			if !ok {
				t.Fatalf("indexed entry %x (offset %d, length %d) cannot be read", key[:8], e.off, e.n)
			}
			items = append(items, packItem{key: key, lastUsed: e.lastUsed, data: entry})
		}
		again := encodePack(items)
		q := readPack(bytes.NewReader(again), int64(len(again)))
		if len(q.index) != len(p.index) {
			t.Fatalf("rewritten: %d entries, want %d", len(q.index), len(p.index))
		}
		for _, it := range items {
			e := q.index[it.key]
			if got, _ := q.get(it.key); e.lastUsed != it.lastUsed || !bytes.Equal(got, it.data) {
				t.Fatalf("entry %x rewritten as %q (last used %d), want %q (%d)", it.key[:8], got, e.lastUsed, it.data, it.lastUsed)
			}
		}
	})
}

// TestPackFuzzCorpus writes FuzzReadPack's seeds: sound packs, and packs
// damaged in the ways a crash, a disk or an older version would.
func TestPackFuzzCorpus(t *testing.T) {
	if !*updateCorpus {
		t.Skip("run with -update-corpus to rewrite testdata/fuzz")
	}
	now := time.Unix(1_780_000_000, 0)
	good := testPack(3, now)
	seeds := [][]byte{
		encodePack(nil),
		testPack(1, now),
		good,
		good[:len(good)-1],
		good[:packHeaderSize+packRecordSize],
		append([]byte("cqltrack-lint-cache-1\n"), good[len(cacheFormat)+1:]...),
		testFindings("an entry of the one-file-per-entry layout"),
		append(bytes.Clone(good[:packHeaderSize-4]), 0xff, 0xff, 0xff, 0xff),
	}
	texts := make([]string, len(seeds))
	for i, s := range seeds {
		texts[i] = string(s)
	}
	fuzzseed.Write(t, "FuzzReadPack", "[]byte", texts)
}

// TestPackSeedsCurrent: the committed seeds are of the current format; after
// cacheFormat changes, old-format seeds all read as empty packs and the
// fuzzer starts from nothing (refresh them with -update-corpus).
func TestPackSeedsCurrent(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzReadPack", "seed000"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `("`+cacheFormat+`\n`) { // the seed quotes the header line
		t.Errorf("seed000 is not of format %s: run go test ./lint -run TestPackFuzzCorpus -update-corpus", cacheFormat)
	}
}
