package cql

import (
	"fmt"
	"testing"
)

// roundTrip checks what rendering promises for a parsed statement: its text
// parses again, to an equal AST, which renders to the same text. It returns
// the rendering and, when a promise is broken, an error saying which.
func roundTrip(st Stmt) (string, error) {
	out := st.String()
	again, err := Parse(out)
	if err != nil {
		return out, fmt.Errorf("rendering does not parse: %w", err)
	}
	if !Equal(st, again) {
		return out, fmt.Errorf("round trip changed the AST, re-rendered as %s", again.String())
	}
	if re := again.String(); re != out {
		return out, fmt.Errorf("rendering not stable: then %s", re)
	}
	return out, nil
}

// TestRoundTripEdges covers spellings where rendering has to be careful:
// grouping, negative numbers, keywords used as names, quoting.
func TestRoundTripEdges(t *testing.T) {
	tests := []struct{ in, want string }{
		{`INSERT INTO t (a) VALUES (- 1)`, `INSERT INTO t (a) VALUES (- 1)`},
		{`INSERT INTO t (a) VALUES (-1)`, `INSERT INTO t (a) VALUES (-1)`},
		{`UPDATE t SET a = (1 + 2) * 3, b = 1 - (2 - 3), c = 1 - 2 - 3, d = 2 * (3 % 4) WHERE k = 1`, `UPDATE t SET a = (1 + 2) * 3, b = 1 - (2 - 3), c = 1 - 2 - 3, d = 2 * (3 % 4) WHERE k = 1`},
		{`SELECT (int) a, (frozen<list<int>>) ?, - (a + b) FROM t`, `SELECT (int) a, (frozen<list<int>>) ?, - (a + b) FROM t`},
		{`SELECT * FROM t WHERE (a) = (1) AND (b, c) IN ?`, `SELECT * FROM t WHERE (a) = (1) AND (b, c) IN ?`},
		{`SELECT count, ttl, writetime, cast, key, type FROM t`, `SELECT count, ttl, writetime, cast, key, type FROM t`},
		{`SELECT JSON json FROM t`, `SELECT JSON json FROM t`},
		{`SELECT DISTINCT json FROM t`, `SELECT DISTINCT json FROM t`},
		{`SELECT "Func"(a), "U".f, token(a) FROM t`, `SELECT "Func"(a), "U".f, token(a) FROM t`},
		{`UPDATE t SET a = :"Name", b = {f: 1, "G": {x: [1]}}, c = {'k': {1, 2}} WHERE k = ?`, `UPDATE t SET a = :"Name", b = {f: 1, "G": {x: [1]}}, c = {'k': {1, 2}} WHERE k = ?`},
		{`CREATE TABLE t (static int PRIMARY KEY, key text static, "Order" int)`, `CREATE TABLE t (static int PRIMARY KEY, key text STATIC, "Order" int)`},
		{`CREATE TABLE t (k int PRIMARY KEY) WITH x = -1 AND y = NaN AND z = true AND w = {} AND v = 1.5e-3`, `CREATE TABLE t (k int PRIMARY KEY) WITH x = -1 AND y = NaN AND z = true AND w = {} AND v = 1.5e-3`},
		{`CREATE ROLE 'bob'`, `CREATE ROLE bob`},
		{`CREATE USER 'o''brien' WITH PASSWORD 'p''w'`, `CREATE USER 'o''brien' WITH PASSWORD 'p''w'`},
		{`INSERT INTO t (a, b) VALUES ($$it's$$, 'multi
line')`, `INSERT INTO t (a, b) VALUES ($$it's$$, 'multi
line')`},
		{`INSERT INTO t (a) VALUES ('$$')`, `INSERT INTO t (a) VALUES ('$$')`},
		{`CREATE TABLE t (a "default" PRIMARY KEY, b "int", c ks."Type")`, `CREATE TABLE t (a "default" PRIMARY KEY, b "int", c ks."Type")`},
		{`SELECT a FROM t WHERE a = 1 ORDER BY v ANN OF ? DESC`, `SELECT a FROM t WHERE a = 1 ORDER BY v ANN OF ? DESC`},
		{`DELETE m['k'] FROM t WHERE k = 1 IF m['k'] IN ('a', 'b') AND u.f CONTAINS 1`, ""},
	}
	for _, tc := range tests {
		st, err := Parse(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("Parse(%q) succeeded; want an error", tc.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		got, err := roundTrip(st)
		if got != tc.want {
			t.Errorf("Parse(%q).String()\n got: %s\nwant: %s", tc.in, got, tc.want)
		}
		if err != nil {
			t.Errorf("round trip of %q: %v", tc.in, err)
		}
	}
}
