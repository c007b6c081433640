package store

import (
	"testing"
	"time"
)

func TestInsertSelectBasics(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.users (id int PRIMARY KEY, name text, age int, tags set<text>)")
	f.exec("INSERT INTO ks.users (id, name, age) VALUES (1, 'ann', 31)")
	f.exec("INSERT INTO users (id, name) VALUES (2, 'bob')")
	f.exec("INSERT INTO users (id, name, tags) VALUES (?, ?, ?)", bind(t, "int", int32(3)), bind(t, "text", "cy"), bind(t, "set<text>", []any{"b", "a"}))
	res := f.exec("SELECT * FROM ks.users WHERE id = 1")
	wantRows(t, "columns", columnNames(res), "id", "age", "name", "tags")
	wantRows(t, "row 1", render(res), "1 31 ann null")
	wantRows(t, "projection", f.rows("SELECT name AS who, id FROM users WHERE id IN (3, 2)"), "bob 2", "cy 3")
	wantRows(t, "set", f.rows("SELECT tags FROM users WHERE id = 3"), "[a,b]")
	wantRows(t, "missing", f.rows("SELECT * FROM users WHERE id = 9"))
	if got := f.exec("SELECT count(*) FROM users").Rows[0][0]; got != int64(3) {
		t.Errorf("count(*) = %v, want 3", got)
	}
	if cols := columnNames(f.exec("SELECT count(*) AS n, writetime(name), ttl(name) FROM users WHERE id = 1")); cols[0] != "n" || cols[1] != "writetime(name)" || cols[2] != "ttl(name)" {
		t.Errorf("columns %v", cols)
	}
}

func TestWildcardColumnOrder(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.o (k int, c int, zz int, aa list<int>, mm text, st text static, fz frozen<list<int>>, PRIMARY KEY (k, c))")
	// Alphabetical within statics and regulars, collections included.
	wantRows(t, "SELECT * columns", columnNames(f.exec("SELECT * FROM o")), "k", "c", "st", "aa", "fz", "mm", "zz")
}

func TestRowMarker(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.t (id int PRIMARY KEY, a text, b text)")
	f.exec("INSERT INTO t (id, a) VALUES (1, 'x')")
	f.exec("UPDATE t SET a = null WHERE id = 1")
	wantRows(t, "inserted row with all columns null stays", f.rows("SELECT * FROM t WHERE id = 1"), "1 null null")

	f.exec("UPDATE t SET a = 'y' WHERE id = 2")
	wantRows(t, "updated row exists", f.rows("SELECT * FROM t WHERE id = 2"), "2 y null")
	f.exec("UPDATE t SET a = null WHERE id = 2")
	wantRows(t, "updated row with all columns null disappears", f.rows("SELECT * FROM t WHERE id = 2"))
	f.exec("DELETE a FROM t WHERE id = 1")
	wantRows(t, "column delete keeps the row", f.rows("SELECT id FROM t"), "1")
	f.exec("DELETE FROM t WHERE id = 1")
	wantRows(t, "row delete", f.rows("SELECT id FROM t"))
}

func TestTimestampOrdering(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.t (id int PRIMARY KEY, v text)")
	tests := []struct {
		stmt string
		want []string
	}{
		{"INSERT INTO t (id, v) VALUES (1, 'b') USING TIMESTAMP 200", []string{"b"}},
		{"INSERT INTO t (id, v) VALUES (1, 'a') USING TIMESTAMP 100", []string{"b"}}, // older write loses
		{"UPDATE t USING TIMESTAMP 300 SET v = 'c' WHERE id = 1", []string{"c"}},     // newer wins
		{"DELETE FROM t USING TIMESTAMP 250 WHERE id = 1", []string{"c"}},            // delete older than the cell
		{"DELETE FROM t USING TIMESTAMP 300 WHERE id = 1", nil},                      // tombstone wins a tie
		{"INSERT INTO t (id, v) VALUES (1, 'd') USING TIMESTAMP 299", nil},           // shadowed by the delete
		{"INSERT INTO t (id, v) VALUES (1, 'e') USING TIMESTAMP 301", []string{"e"}}, // after the delete
		{"UPDATE t USING TIMESTAMP 301 SET v = 'f' WHERE id = 1", []string{"f"}},     // tie: greater value
		{"UPDATE t USING TIMESTAMP 301 SET v = 'a' WHERE id = 1", []string{"f"}},     // tie: smaller value loses
		{"INSERT INTO t (id, v) VALUES (1, 'g')", []string{"g"}},                     // server time is later
		{"INSERT INTO t (id, v) VALUES (1, 'h')", []string{"h"}},                     // clock stands still: still ordered
		{"DELETE FROM t WHERE id = 1", nil},
	}
	for _, tc := range tests {
		f.exec(tc.stmt)
		wantRows(t, tc.stmt, f.rows("SELECT v FROM t WHERE id = 1"), tc.want...)
	}
	if got := f.exec("SELECT writetime(v) FROM t WHERE id = 2"); len(got.Rows) != 0 {
		t.Errorf("writetime of a missing row: %v", got.Rows)
	}
	f.exec("INSERT INTO t (id, v) VALUES (2, 'x') USING TIMESTAMP 12345")
	wantRows(t, "writetime", f.rows("SELECT writetime(v) FROM t WHERE id = 2"), "12345")
	f.opts = ExecOptions{Timestamp: 20000, HasTimestamp: true}
	f.exec("INSERT INTO t (id, v) VALUES (2, 'y')")
	wantRows(t, "client timestamp", f.rows("SELECT v, writetime(v) FROM t WHERE id = 2"), "y 20000")
}

func TestTTLExpiry(t *testing.T) {
	f := newFixture(t,
		"CREATE TABLE ks.t (id int PRIMARY KEY, a text, b text)",
		"CREATE TABLE ks.d (id int PRIMARY KEY, a text) WITH default_time_to_live = 60")
	f.exec("INSERT INTO t (id, a, b) VALUES (1, 'x', 'y') USING TTL 10")
	f.exec("UPDATE t USING TTL 100 SET b = 'z' WHERE id = 1")
	f.exec("INSERT INTO t (id, a) VALUES (2, 'keep')")
	f.exec("UPDATE t USING TTL 5 SET a = 'gone' WHERE id = 3")
	f.exec("INSERT INTO d (id, a) VALUES (1, 'default')")
	f.exec("INSERT INTO d (id, a) VALUES (2, 'forever') USING TTL 0")

	wantRows(t, "ttl()", f.rows("SELECT ttl(a), ttl(b) FROM t WHERE id = 1"), "10 100")
	f.clock.Advance(4 * time.Second)
	wantRows(t, "ttl() counts down", f.rows("SELECT ttl(a) FROM t WHERE id = 1"), "6")
	f.clock.Advance(2 * time.Second)
	wantRows(t, "updated row gone when its only cell expires", f.rows("SELECT * FROM t WHERE id = 3"))
	f.clock.Advance(5 * time.Second)
	wantRows(t, "expired marker and cell, live cell keeps the row", f.rows("SELECT * FROM t WHERE id = 1"), "1 null z")
	wantRows(t, "no TTL", f.rows("SELECT a FROM t WHERE id = 2"), "keep")
	wantRows(t, "table default TTL", f.rows("SELECT ttl(a) FROM d WHERE id = 1"), "49")
	f.clock.Advance(50 * time.Second)
	wantRows(t, "default TTL expired, TTL 0 overrides it", f.rows("SELECT id FROM d"), "2")
	f.clock.Advance(90 * time.Second)
	wantRows(t, "all expired", f.rows("SELECT id FROM t"), "2")
}

func TestCollections(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.c (id int PRIMARY KEY, l list<int>, s set<text>, m map<text, int>, fl frozen<list<int>>)")
	steps := []struct {
		stmt, want string
	}{
		{"INSERT INTO c (id, l, s, m, fl) VALUES (1, [1, 2], {'b', 'a'}, {'x': 1}, [9])", "[1,2] [a,b] {x:1} [9]"},
		{"UPDATE c SET l = l + [3], s = s + {'c'}, m = m + {'y': 2} WHERE id = 1", "[1,2,3] [a,b,c] {x:1,y:2} [9]"},
		{"UPDATE c SET l = [0] + l WHERE id = 1", "[0,1,2,3] [a,b,c] {x:1,y:2} [9]"},
		{"UPDATE c SET l = [-2, -1] + l WHERE id = 1", "[-2,-1,0,1,2,3] [a,b,c] {x:1,y:2} [9]"},
		{"UPDATE c SET l[1] = 10, m['x'] = 5 WHERE id = 1", "[-2,10,0,1,2,3] [a,b,c] {x:5,y:2} [9]"},
		{"UPDATE c SET l = l - [0, 2], s = s - {'a'}, m = m - {'y'} WHERE id = 1", "[-2,10,1,3] [b,c] {x:5} [9]"},
		{"DELETE l[0], m['x'], s FROM c WHERE id = 1", "[10,1,3] null null [9]"},
		{"UPDATE c SET l = [7], fl = [1, 2] WHERE id = 1", "[7] null null [1,2]"},
		{"UPDATE c SET l = null WHERE id = 1", "null null null [1,2]"},
		{"UPDATE c SET s = {}, m = {} WHERE id = 1", "null null null [1,2]"},
	}
	for _, st := range steps {
		f.exec(st.stmt)
		wantRows(t, st.stmt, f.rows("SELECT l, s, m, fl FROM c WHERE id = 1"), st.want)
	}
	if msg := f.errMsg("UPDATE c SET l[0] = 1 WHERE id = 1"); msg != "Attempted to set an element on a list which is null" {
		t.Errorf("list index on null: %q", msg)
	}
	f.exec("UPDATE c SET l = [7] WHERE id = 1")
	if msg := f.errMsg("UPDATE c SET l[5] = 1 WHERE id = 1"); msg != "List index 5 out of bound, list has size 1" {
		t.Errorf("list index error: %q", msg)
	}
	if msg := f.errMsg("UPDATE c SET fl = fl + [3] WHERE id = 1"); msg != "Invalid operation (fl = fl + [3]) for non counter column fl" {
		t.Errorf("frozen append error: %q", msg)
	}
}

func TestCounters(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.cnt (id text PRIMARY KEY, hits counter, misses counter)")
	f.exec("UPDATE cnt SET hits = hits + 1 WHERE id = 'a'")
	f.exec("UPDATE cnt SET hits = hits + 5, misses = misses - 2 WHERE id = 'a'")
	f.exec("BEGIN COUNTER BATCH UPDATE cnt SET hits = hits + 1 WHERE id = 'a'; UPDATE cnt SET hits = hits + 1 WHERE id = 'b'; APPLY BATCH")
	wantRows(t, "counters", f.rows("SELECT id, hits, misses FROM cnt"), "a 7 -2", "b 1 null")
	if msg := f.errMsg("UPDATE cnt SET hits = 3 WHERE id = 'a'"); msg != "Cannot set the value of counter column hits (counters can only be incremented/decremented, not set)" {
		t.Errorf("counter set: %q", msg)
	}
	if msg := f.errMsg("INSERT INTO cnt (id, hits) VALUES ('a', 1)"); msg != "INSERT statements are not allowed on counter tables, use UPDATE instead" {
		t.Errorf("counter insert: %q", msg)
	}
	if msg := f.errMsg("BEGIN BATCH UPDATE cnt SET hits = hits + 1 WHERE id = 'a'; APPLY BATCH"); msg != "Cannot include a counter statement in a logged batch" {
		t.Errorf("counter in logged batch: %q", msg)
	}
}

func TestStaticColumnsAndRangeDeletes(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.ev (p text, c int, s text static, v text, PRIMARY KEY (p, c)) WITH CLUSTERING ORDER BY (c DESC)")
	for i := 1; i <= 5; i++ {
		f.exec("INSERT INTO ev (p, c, v) VALUES ('a', ?, 'x')", bind(t, "int", int32(i)))
	}
	f.exec("UPDATE ev SET s = 'shared' WHERE p = 'a'")
	f.exec("UPDATE ev SET s = 'only static' WHERE p = 'b'")
	wantRows(t, "desc clustering order, static on every row", f.rows("SELECT c, s FROM ev WHERE p = 'a'"),
		"5 shared", "4 shared", "3 shared", "2 shared", "1 shared")
	wantRows(t, "static-only partition", f.rows("SELECT p, c, s, v FROM ev WHERE p = 'b'"), "b null only static null")
	wantRows(t, "ORDER BY reverses", f.rows("SELECT c FROM ev WHERE p = 'a' ORDER BY c ASC LIMIT 2"), "1", "2")
	wantRows(t, "slice", f.rows("SELECT c FROM ev WHERE p = 'a' AND c > 1 AND c <= 3"), "3", "2")

	f.exec("DELETE FROM ev WHERE p = 'a' AND c >= 4")
	wantRows(t, "range delete", f.rows("SELECT c FROM ev WHERE p = 'a'"), "3", "2", "1")
	f.exec("INSERT INTO ev (p, c, v) VALUES ('a', 5, 'back')")
	wantRows(t, "write after range delete", f.rows("SELECT c, v FROM ev WHERE p = 'a' AND c = 5"), "5 back")
	f.exec("DELETE FROM ev WHERE p = 'a'")
	wantRows(t, "partition delete", f.rows("SELECT c FROM ev WHERE p = 'a'"))
	wantRows(t, "DISTINCT", f.rows("SELECT DISTINCT p, s FROM ev"), "b only static")
}

func TestTruncateDropAndRecreate(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.t (id int PRIMARY KEY, v text, old text)")
	f.exec("INSERT INTO t (id, v, old) VALUES (1, 'x', 'o')")
	f.exec("TRUNCATE t")
	wantRows(t, "truncate", f.rows("SELECT * FROM t"))

	f.exec("INSERT INTO t (id, v, old) VALUES (1, 'x', 'o')")
	f.clock.Advance(time.Second)
	f.ddl("ALTER TABLE t DROP old")
	wantRows(t, "dropped column gone", f.rows("SELECT * FROM t"), "1 x")
	f.clock.Advance(time.Second)
	f.ddl("ALTER TABLE t ADD old text")
	wantRows(t, "re-added column does not resurrect data", f.rows("SELECT id, old FROM t"), "1 null")

	f.ddl("DROP TABLE t")
	f.ddl("CREATE TABLE ks.t (id int PRIMARY KEY, v text)")
	wantRows(t, "re-created table starts empty", f.rows("SELECT * FROM t"))
}

func TestSelectRestrictions(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.m (k text, c1 int, c2 int, v int, PRIMARY KEY (k, c1, c2))")
	for _, k := range []string{"a", "b", "c"} {
		for c1 := 1; c1 <= 3; c1++ {
			for c2 := 1; c2 <= 2; c2++ {
				f.exec("INSERT INTO m (k, c1, c2, v) VALUES (?, ?, ?, ?)", bind(t, "text", k), bind(t, "int", int32(c1)), bind(t, "int", int32(c2)), bind(t, "int", int32(c1*10+c2)))
			}
		}
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"SELECT v FROM m WHERE k = 'a' AND c1 = 2", []string{"21", "22"}},
		{"SELECT v FROM m WHERE k = 'a' AND c1 = 2 AND c2 = 2", []string{"22"}},
		{"SELECT v FROM m WHERE k = 'a' AND c1 IN (3, 1) AND c2 = 1", []string{"11", "31"}},
		{"SELECT v FROM m WHERE k = 'a' AND (c1, c2) > (2, 1)", []string{"22", "31", "32"}},
		{"SELECT v FROM m WHERE k = 'a' AND c1 = 1 AND c2 < 2", []string{"11"}},
		{"SELECT v FROM m WHERE k = 'a' ORDER BY c1 DESC, c2 DESC LIMIT 3", []string{"32", "31", "22"}},
		{"SELECT k, v FROM m WHERE k IN ('c', 'a') AND c1 = 1 AND c2 = 1", []string{"a 11", "c 11"}},
		{"SELECT k, v FROM m WHERE k IN ('c', 'a', 'c') AND c1 = 1 AND c2 = 1", []string{"a 11", "c 11"}}, // IN values are a set
		{"SELECT k, v FROM m WHERE k IN ('c', 'a') AND c1 = 3 ORDER BY c1 DESC, c2 DESC", []string{"a 32", "c 32", "a 31", "c 31"}},
		{"SELECT k, v FROM m PER PARTITION LIMIT 1", nil}, // filled below: one row per partition
		{"SELECT v FROM m WHERE k = 'b' AND v > 25 ALLOW FILTERING", []string{"31", "32"}},
		{"SELECT v FROM m WHERE c1 = 3 AND c2 = 2 ALLOW FILTERING", []string{"32", "32", "32"}},
		{"SELECT count(*) FROM m WHERE k = 'a'", []string{"6"}},
		{"SELECT DISTINCT k FROM m WHERE k = 'b'", []string{"b"}},
	}
	for _, tc := range tests {
		got := f.rows(tc.query)
		if tc.want == nil {
			if len(got) != 3 {
				t.Errorf("%s: %d rows, want one per partition: %q", tc.query, len(got), got)
			}
			continue
		}
		wantRows(t, tc.query, got, tc.want...)
	}
	// Token ranges cover every partition exactly once, in token order.
	all := f.rows("SELECT DISTINCT k, token(k) FROM m")
	if len(all) != 3 {
		t.Fatalf("distinct partitions: %q", all)
	}
	seen := 0
	for _, part := range []string{"SELECT DISTINCT k FROM m WHERE token(k) <= 0", "SELECT DISTINCT k FROM m WHERE token(k) > 0"} {
		seen += len(f.rows(part))
	}
	if seen != 3 {
		t.Errorf("token ranges returned %d partitions, want 3", seen)
	}
	wantRows(t, "token of a key", f.rows("SELECT DISTINCT k FROM m WHERE token(k) = token('b')"), "b")
}

func TestValidationErrors(t *testing.T) {
	f := newFixture(t,
		"CREATE TABLE ks.t (id int, c int, v text, n int, PRIMARY KEY (id, c))",
		"CREATE TABLE ks.comp (a int, b int, v text, PRIMARY KEY ((a, b)))")
	tests := []struct {
		stmt, want string
	}{
		{"INSERT INTO t (c, v) VALUES (1, 'x')", "Some partition key parts are missing: id"},
		{"INSERT INTO comp (a, v) VALUES (1, 'x')", "Some partition key parts are missing: b"},
		{"INSERT INTO t (id, v) VALUES (1, 'x')", "Some clustering keys are missing: c"},
		{"INSERT INTO t (id, c, x) VALUES (1, 1, 'x')", "Undefined column name x"},
		{"INSERT INTO t (id, c, v) VALUES ('foo', 1, 'x')", `Invalid STRING constant (foo) for "id" of type int`},
		{"INSERT INTO t (id, c, v) VALUES (1, 1, 2)", `Invalid INTEGER constant (2) for "v" of type text`},
		{"INSERT INTO t (id, c) VALUES (1)", "Unmatched column names/values"},
		{"UPDATE t SET v = 'x' WHERE id = 1", "Some clustering keys are missing: c"},
		{"UPDATE t SET id = 2 WHERE id = 1 AND c = 1", "PRIMARY KEY part id found in SET part"},
		{"UPDATE t SET v = 'x' WHERE id = 1 AND c = 1 AND v = 'y'", "Non PRIMARY KEY columns found in where clause: v "},
		{"DELETE FROM t WHERE c = 1", "Some partition key parts are missing: id"},
		{"SELECT * FROM t WHERE v = 'x'", filteringMsg},
		{"SELECT * FROM t WHERE c = 1", filteringMsg},
		{"SELECT * FROM t WHERE id = 1 AND n > 3", filteringMsg},
		{"SELECT nope FROM t", "Undefined column name nope"},
		{"SELECT * FROM t ORDER BY c DESC", "ORDER BY is only supported when the partition key is restricted by an EQ or an IN."},
		{"SELECT * FROM t WHERE id = 1 ORDER BY v DESC", "Order by is currently only supported on the clustered columns of the PRIMARY KEY, got v"},
		{"SELECT * FROM t WHERE id = 1 LIMIT 0", "LIMIT must be strictly positive"},
		{"INSERT INTO t (id, c, v) VALUES (1, 1, 'x') USING TTL -1", "A TTL must be greater or equal to 0, but was -1"},
		{"UPDATE t USING TIMESTAMP 5 SET v = 'x' WHERE id = 1 AND c = 1 IF v = 'y'", "Cannot provide custom timestamp for conditional updates"},
		{"UPDATE t SET v = 'x' WHERE id IN (1, 2) AND c = 1 IF EXISTS", "IN on the partition key is not supported with conditional updates"},
		{"INSERT INTO t (id, c, v) VALUES (1, 1, 'x') IF NOT EXISTS USING TIMESTAMP 3", "Cannot provide custom timestamp for conditional updates"},
		{"BEGIN BATCH INSERT INTO t (id, c) VALUES (1, 1) IF NOT EXISTS; INSERT INTO t (id, c) VALUES (2, 1); APPLY BATCH", "Batch with conditions cannot span multiple partitions"},
	}
	for _, tc := range tests {
		if got := f.errMsg(tc.stmt); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.stmt, got, tc.want)
		}
	}
	unset := BoundValue{Unset: true}
	if got := f.errMsg("INSERT INTO t (id, c, v) VALUES (?, 1, 'x')", unset); got != "Invalid unset value for column id" {
		t.Errorf("unset key: %q", got)
	}
	f.exec("INSERT INTO t (id, c, v) VALUES (1, 1, 'keep')")
	f.exec("INSERT INTO t (id, c, v, n) VALUES (1, 1, ?, 5)", unset)
	wantRows(t, "unset leaves a column alone", f.rows("SELECT v, n FROM t WHERE id = 1 AND c = 1"), "keep 5")
}

func TestAggregates(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.a (k int, c int, i int, d double, n text, PRIMARY KEY (k, c))")
	f.exec("INSERT INTO a (k, c, i, d, n) VALUES (1, 1, 10, 1.5, 'x')")
	f.exec("INSERT INTO a (k, c, i, d) VALUES (1, 2, 3, 2.5)")
	f.exec("INSERT INTO a (k, c, i, d, n) VALUES (1, 3, 8, 5.0, 'y')")
	tests := []struct {
		query string
		want  string
	}{
		{"SELECT count(*), count(n), min(i), max(i), sum(i), avg(i) FROM a WHERE k = 1", "3 2 3 10 21 7"},
		{"SELECT sum(d), avg(d), min(n), max(n) FROM a WHERE k = 1", "9 3 x y"},
		{"SELECT k, count(*) FROM a WHERE k = 1 AND c > 1", "1 2"},
		{"SELECT count(*), max(i) FROM a WHERE k = 2", "0 null"},
	}
	for _, tc := range tests {
		wantRows(t, tc.query, f.rows(tc.query), tc.want)
	}
	res := f.exec("SELECT max(i) AS top, sum(d) FROM a")
	wantRows(t, "aggregate column names", columnNames(res), "top", "system.sum(d)")
	if msg := f.errMsg("SELECT sum(n) FROM a"); msg != "Invalid call to function sum, none of its type signatures match (column n is of type text)" {
		t.Errorf("sum of text: %q", msg)
	}
}
