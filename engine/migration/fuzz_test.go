package migration

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzParse feeds arbitrary names and contents to the splitter and the
// loader: they never panic, every error is a *FileError, and a file that
// parses keeps its invariants: each statement's offsets select its text in
// the file, its line is the file's line, and up statements come before the
// "-- @down" line, down statements after it.
func FuzzParse(f *testing.F) {
	f.Add("V1__a.cql", []byte("CREATE TABLE a (k int PRIMARY KEY);\n-- @down\nDROP TABLE a;\n"))
	f.Add("V002__b.cql", []byte("INSERT INTO t (k) VALUES ('--@down');\n--@DOWN\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		m, err := Parse(name, data)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a *FileError: %v", err)
			}
		} else {
			src := string(data)
			check := func(stmts []Statement, lo, hi int) {
				for _, s := range stmts {
					if s.Start < lo || s.End > hi || s.Start > s.End || src[s.Start:s.End] != s.Text {
						t.Fatalf("statement %q at [%d:%d] outside its section [%d:%d] or not its text", s.Text, s.Start, s.End, lo, hi)
					}
					if line := strings.Count(src[:s.Start], "\n") + 1; line != s.Pos.Line || s.Pos.Offset != s.Start {
						t.Fatalf("statement at offset %d: Pos %v, want line %d", s.Start, s.Pos, line)
					}
				}
			}
			check(m.Up.Statements, 0, m.Up.End)
			if m.HasDown {
				check(m.Down.Statements, m.Down.Start, len(data))
				if m.Up.End > m.Down.Start {
					t.Fatalf("up ends at %d after down starts at %d", m.Up.End, m.Down.Start)
				}
			}
		}
		// The loader sees the same file in a directory, next to a good one.
		fsys := fstest.MapFS{"V0__base.cql": {Data: []byte("SELECT 1 FROM t;")}}
		if strings.Trim(name, "/.") != "" && !strings.ContainsAny(name, "/\\") {
			fsys[name] = &fstest.MapFile{Data: data}
		}
		set, err := Load(fsys, ".")
		if err == nil {
			for i := 1; i < len(set.Migrations); i++ {
				if set.Migrations[i-1].Version >= set.Migrations[i].Version {
					t.Fatalf("set not sorted by version")
				}
			}
			_ = Next(set)
		}
	})
}
