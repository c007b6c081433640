package lint

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkResultCache is the result cache alone for a run over 500 files
// with two findings each, against a pack full to packMaxSize: warm opens
// the pack and reads every file's findings (a run over unchanged files),
// write opens it, stores 500 new entries and writes a new pack (a run whose
// files all changed).
//
//	go test ./lint -run '^$' -bench ResultCache -count 6
func BenchmarkResultCache(b *testing.B) {
	finding := func(i, line int, rule, msg string) Finding {
		return Finding{File: fmt.Sprintf("migrations/V%04d__gen_%d.cql", i, i), Version: fmt.Sprintf("%04d", i),
			Line: line, Column: 1, Rule: rule, Severity: SeverityWarning, Message: msg, Plugin: "builtin"}
	}
	findings := func(i int) []Finding {
		return []Finding{
			finding(i, 4, "secondary-index", "secondary index t_kind ON t: a query by it asks every node of the cluster and slows with its size; use SAI (USING 'sai') on 5.0, or a lookup table"),
			finding(i, 10, "column-drop", "ALTER TABLE t DROP extra: the data is gone for good and clients still using the column fail; stop using it in every client first"),
		}
	}
	dir := b.TempDir()
	now := time.Now()
	var items []packItem
	size := packHeaderSize
	for i := 0; size < packMaxSize; i++ {
		it := packItem{key: testKey(i), lastUsed: now.Add(-time.Duration(i) * time.Second).Unix(), data: encodeFindings(findings(i))}
		size += packRecordSize + len(it.data)
		items = append(items, it)
	}
	pack := encodePack(items)
	var keys []int
	for i := range 500 {
		keys = append(keys, i)
	}

	b.Run("warm", func(b *testing.B) {
		writeFile(b, filepath.Join(dir, packName), pack)
		for b.Loop() {
			c, files := testCache(dir, keys...)
			for _, f := range files {
				f.lint = true
			}
			if found, ok := c.getAll(files); !ok || len(found) != 500 {
				b.Fatalf("%d of 500 found", len(found))
			}
			c.pack.close()
		}
	})
	b.Run("write", func(b *testing.B) {
		writeFile(b, filepath.Join(dir, packName), pack)
		run := 0
		for b.Loop() {
			run++
			for i := range keys {
				keys[i] = run*1_000_000 + i
			}
			c, files := testCache(dir, keys...)
			for i, f := range files {
				c.put(f, findings(i))
			}
			c.close(now)
		}
	})
}
