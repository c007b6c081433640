package migration

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// BenchmarkLoad reads a directory of 500 migrations of 10 statements each
// (with down sections), the size the lint benchmark of issue 5 uses.
func BenchmarkLoad(b *testing.B) {
	fsys := fstest.MapFS{}
	size := 0
	for v := 1; v <= 500; v++ {
		var sb strings.Builder
		for s := 0; s < 10; s++ {
			fmt.Fprintf(&sb, "-- statement %d\nCREATE TABLE IF NOT EXISTS t%d_%d (\n  id uuid PRIMARY KEY,\n  name text,\n  tags set<text>\n) WITH comment = 'table; %d';\n", s, v, s, s)
		}
		sb.WriteString("-- @down\n")
		for s := 9; s >= 0; s-- {
			fmt.Fprintf(&sb, "DROP TABLE IF EXISTS t%d_%d;\n", v, s)
		}
		data := []byte(sb.String())
		size += len(data)
		fsys[fmt.Sprintf("m/V%03d__create_tables_%d.cql", v, v)] = &fstest.MapFile{Data: data}
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Load(fsys, "m"); err != nil {
			b.Fatal(err)
		}
	}
}
