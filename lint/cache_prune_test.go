package lint

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCachePruneAge: when a run writes the pack, entries no run used for
// cacheMaxAge go, recent ones stay with their stamp, and old ones this run
// used stay, stamped now.
func TestCachePruneAge(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	old := now.Add(-cacheMaxAge - time.Hour).Unix()
	recent := now.Add(-time.Hour).Unix()
	writeFile(t, filepath.Join(dir, packName), encodePack([]packItem{
		{key: testKey(0), lastUsed: old, data: testFindings("old")},
		{key: testKey(1), lastUsed: recent, data: testFindings("recent")},
		{key: testKey(2), lastUsed: old, data: testFindings("old, used again")},
	}))
	c, files := testCache(dir, 2, 3)
	if _, ok := c.get(files[0]); !ok {
		t.Fatal("an old entry is not found before the pack is written")
	}
	c.put(files[1], nil)
	c.close(now)

	p := readPackFile(t, filepath.Join(dir, packName))
	want := map[cacheKey]int64{testKey(1): recent, testKey(2): now.Unix(), testKey(3): now.Unix()}
	if len(p.index) != len(want) {
		t.Errorf("%d entries, want %d", len(p.index), len(want))
	}
	for key, stamp := range want {
		if e, ok := p.index[key]; !ok || e.lastUsed != stamp {
			t.Errorf("entry %x: %v, last used %d; want last used %d", key[:8], ok, e.lastUsed, stamp)
		}
	}
	if _, ok := p.index[testKey(0)]; ok {
		t.Errorf("an entry unused for %s was kept", cacheMaxAge+time.Hour)
	}
}

// TestCachePruneSize: beyond packMaxSize the least recently used entries
// go, but never those of the current run, however big.
func TestCachePruneSize(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	big := func(i int) []byte { return testFindings(strings.Repeat(string(rune('a'+i%26)), 64<<10)) }
	// 100 entries of 64 KiB, entry i last used i minutes ago: 6.4 MiB.
	var items []packItem
	for i := range 100 {
		items = append(items, packItem{key: testKey(i), lastUsed: now.Add(-time.Duration(i) * time.Minute).Unix(), data: big(i)})
	}
	writeFile(t, filepath.Join(dir, packName), encodePack(items))

	c, files := testCache(dir, 99, 200)
	if _, ok := c.get(files[0]); !ok { // the least recently used
		t.Fatal("entry 99 is not found")
	}
	c.put(files[1], nil)
	c.close(now)

	p := readPackFile(t, filepath.Join(dir, packName))
	for _, i := range []int{99, 200, 0} {
		if _, ok := p.index[testKey(i)]; !ok {
			t.Errorf("entry %d was dropped", i)
		}
	}
	// The kept entries are the most recently used: a prefix of 0..98.
	kept, size := 0, int64(0)
	for i := range 99 {
		e, ok := p.index[testKey(i)]
		if ok && kept < i {
			t.Errorf("entry %d kept after entry %d went", i, kept)
		}
		if ok {
			kept++
			size += packRecordSize + e.n
		}
	}
	if kept == 99 || size > packMaxSize {
		t.Errorf("kept %d of 99 unused entries, %d bytes; the cap is %d bytes", kept, size, packMaxSize)
	}
	if free := packMaxSize - size; free > 3*(packRecordSize+int64(len(big(0)))) {
		t.Errorf("kept %d of 99 unused entries, %d bytes, with %d bytes of the cap unused", kept, size, free)
	}
	if got, _ := p.get(testKey(5)); !bytes.Equal(got, big(5)) {
		t.Errorf("a kept entry was copied wrong")
	}

	// A run whose own entries exceed the cap keeps them all.
	var keys []int
	for i := range 80 {
		keys = append(keys, 1000+i)
	}
	c, files = testCache(dir, keys...)
	for i, f := range files {
		c.put(f, []Finding{{Message: string(big(i))}})
	}
	c.close(now.Add(time.Minute))
	p = readPackFile(t, filepath.Join(dir, packName))
	if len(p.index) != len(keys) {
		t.Errorf("the pack holds %d entries, want the run's %d (and nothing older beyond the cap)", len(p.index), len(keys))
	}
}
