package cql

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"simple", "CREATE TABLE a (k int PRIMARY KEY);\nDROP TABLE a;", []string{"CREATE TABLE a (k int PRIMARY KEY)", "DROP TABLE a"}},
		{"last without semicolon", "USE ks;\nSELECT * FROM t  \n", []string{"USE ks", "SELECT * FROM t"}},
		{"empty statements", ";;USE ks;;; ;\n;USE b", []string{"USE ks", "USE b"}},
		{"semicolon in string", "INSERT INTO t (a) VALUES ('x;y');USE b", []string{"INSERT INTO t (a) VALUES ('x;y')", "USE b"}},
		{"escaped quote in string", "INSERT INTO t (a) VALUES ('it'';s');USE b", []string{"INSERT INTO t (a) VALUES ('it'';s')", "USE b"}},
		{"semicolon in quoted identifier", `SELECT "a;""b" FROM t;USE b`, []string{`SELECT "a;""b" FROM t`, "USE b"}},
		{"semicolon in dollar body", "CREATE FUNCTION f() CALLED ON NULL INPUT RETURNS int LANGUAGE java AS $$ int x = 1; return x; $$;USE b",
			[]string{"CREATE FUNCTION f() CALLED ON NULL INPUT RETURNS int LANGUAGE java AS $$ int x = 1; return x; $$", "USE b"}},
		{"semicolon in comments", "USE a -- no; split\n/* nor; here */;USE b // x;y", []string{"USE a", "USE b"}},
		{"comment inside statement stays", "SELECT a /* c; */ FROM t;", []string{"SELECT a /* c; */ FROM t"}},
		{"batch", "BEGIN BATCH\n INSERT INTO t (a) VALUES (1);\n UPDATE t SET b = 2 WHERE a = 1;\nAPPLY BATCH;\nUSE b;",
			[]string{"BEGIN BATCH\n INSERT INTO t (a) VALUES (1);\n UPDATE t SET b = 2 WHERE a = 1;\nAPPLY BATCH", "USE b"}},
		{"unlogged and counter batches", "begin unlogged batch insert into t (a) values (1); apply batch; Begin Counter Batch update c set n = n + 1 where k = 1; Apply Batch",
			[]string{"begin unlogged batch insert into t (a) values (1); apply batch", "Begin Counter Batch update c set n = n + 1 where k = 1; Apply Batch"}},
		{"crlf", "USE a;\r\nUSE b;\r\n", []string{"USE a", "USE b"}},
		{"bom", "\uFEFFUSE a;", []string{"USE a"}},
		{"only comments", "-- nothing\n/* here */", nil},
		{"empty", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stmts, err := Split([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range stmts {
				got = append(got, s.Text)
				if tc.in[s.Start:s.End] != s.Text {
					t.Errorf("offsets [%d:%d] slice to %q, not %q", s.Start, s.End, tc.in[s.Start:s.End], s.Text)
				}
				if s.Pos.Offset != s.Start {
					t.Errorf("Pos.Offset %d != Start %d", s.Pos.Offset, s.Start)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Split =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestSplitCommentsAndPositions(t *testing.T) {
	src := "\uFEFF-- @migration first\r\n/* block */ CREATE TABLE a (k int PRIMARY KEY); -- after a\r\n\r\n-- cqltrack:ignore rule-x\nALTER TABLE a ADD v text -- inside\n;\n-- trailing one\n/* trailing two */\n"
	stmts, trailing, err := SplitAll([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 2 {
		t.Fatalf("got %d statements", len(stmts))
	}
	a, b := stmts[0], stmts[1]
	if a.Pos != (Pos{Offset: 36, Line: 2, Col: 13}) {
		t.Errorf("first statement at %+v", a.Pos)
	}
	wantA := []Comment{{Text: "-- @migration first", Pos: Pos{Offset: 3, Line: 1, Col: 1}}, {Text: "/* block */", Pos: Pos{Offset: 24, Line: 2, Col: 1}}}
	if !reflect.DeepEqual(a.Comments, wantA) {
		t.Errorf("first comments = %+v", a.Comments)
	}
	if b.Pos.Line != 5 || b.Pos.Col != 1 {
		t.Errorf("second statement at %+v", b.Pos)
	}
	var texts []string
	for _, c := range b.Comments {
		texts = append(texts, c.Text)
	}
	if want := []string{"-- after a", "-- cqltrack:ignore rule-x", "-- inside"}; !reflect.DeepEqual(texts, want) {
		t.Errorf("second comments = %q, want %q", texts, want)
	}
	if b.Text != "ALTER TABLE a ADD v text" {
		t.Errorf("second text = %q", b.Text)
	}
	if len(trailing) != 2 || trailing[0].Text != "-- trailing one" || trailing[1].Pos.Line != 8 {
		t.Errorf("trailing = %+v", trailing)
	}
	// Comments of empty statements move on to the next real one.
	stmts, _, _ = SplitAll([]byte("-- lost?\n;\nUSE a;"))
	if len(stmts) != 1 || len(stmts[0].Comments) != 1 || stmts[0].Comments[0].Text != "-- lost?" {
		t.Errorf("comment before an empty statement: %+v", stmts)
	}
}

func TestSplitErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"USE a;\nSELECT 'x FROM t;", "line 2:8: unterminated string"},
		{"USE a; /* open", "line 1:8: unterminated /* comment"},
		{"CREATE FUNCTION f() AS $$ x;", "line 1:24: unterminated $$ string"},
	}
	for _, tc := range tests {
		_, err := Split([]byte(tc.in))
		if err == nil || err.Error() != tc.want {
			t.Errorf("Split(%q) error = %v, want %s", tc.in, err, tc.want)
		}
	}
}

func TestParseStatementUsesFilePositions(t *testing.T) {
	src := "USE a;\n\n   SELECT x FROM t WHERE y = ?;"
	stmts, err := Split([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	st, err := ParseStatement(stmts[1])
	if err != nil {
		t.Fatal(err)
	}
	m := st.(*Select).Where[0].Value
	if p := m.Position(); p.Line != 3 || p.Col != 30 || src[p.Offset] != '?' {
		t.Errorf("marker at %+v", p)
	}
	bad, _ := Split([]byte("USE a;\n  SELECT x FROM t WHERE;"))
	_, err = ParseStatement(bad[1])
	if err == nil || err.Error() != "line 2:24: expected column name in WHERE, found end of statement" {
		t.Errorf("error = %v", err)
	}
}
