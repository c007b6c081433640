package schema

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cql"
)

const diffBase = `
CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
USE ks;
CREATE TYPE addr (street text, city text);
CREATE TABLE t (k int, c int, v text, w int, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC);
CREATE INDEX t_v ON t (v);
CREATE FUNCTION f(a int, b int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return a;';
`

func diffCatalogs(t *testing.T, from, to string) (*Catalog, *Catalog) {
	a, b := newTestCatalog(V5_0), newTestCatalog(V5_0)
	mustRun(t, a, "", diffBase+from)
	mustRun(t, b, "", diffBase+to)
	return a, b
}

func summary(changes []Change) []string {
	out := make([]string, len(changes))
	for i, c := range changes {
		name := c.Name
		if c.Table != "" {
			name = c.Table + "." + c.Name
		}
		s := fmt.Sprintf("%s %s %s", c.Op, c.Object, name)
		if !c.InPlace {
			s += " (not in place)"
		}
		out[i] = s
	}
	return out
}

func TestDiff(t *testing.T) {
	cases := []struct {
		name     string
		from, to string
		want     []string
	}{
		{"identical", "", "", nil},
		{"create and drop tables",
			"CREATE TABLE old (k int PRIMARY KEY);",
			"CREATE TABLE fresh (k int PRIMARY KEY, v text) WITH comment = 'new'; CREATE INDEX ON fresh (v);",
			[]string{"create table fresh", "create index fresh.fresh_v_idx", "drop table old"}},
		{"columns and options",
			"",
			"ALTER TABLE t ADD z set<int>; ALTER TABLE t DROP w; ALTER TABLE t WITH gc_grace_seconds = 60 AND compaction = {'class': 'LeveledCompactionStrategy'};",
			[]string{"create column t.z", "drop column t.w", "alter option t.compaction", "alter option t.gc_grace_seconds"}},
		{"clustering order",
			"",
			"DROP INDEX t_v; DROP TABLE t; CREATE TABLE t (k int, c int, v text, w int, PRIMARY KEY (k, c)); CREATE INDEX t_v ON t (v);",
			[]string{"alter table t (not in place)"}},
		{"primary key",
			"",
			"DROP INDEX t_v; DROP TABLE t; CREATE TABLE t (k int, c int, v text, w int, PRIMARY KEY ((k, c))); CREATE INDEX t_v ON t (v);",
			[]string{"alter table t (not in place)", "alter option t.bloom_filter_fp_chance"}[:1]},
		{"column type",
			"",
			"DROP INDEX t_v; DROP TABLE t; CREATE TABLE t (k int, c int, v text, w bigint, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC); CREATE INDEX t_v ON t (v);",
			[]string{"alter column t.w (not in place)"}},
		{"static column",
			"",
			"DROP INDEX t_v; DROP TABLE t; CREATE TABLE t (k int, c int, v text, w int static, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC); CREATE INDEX t_v ON t (v);",
			[]string{"alter column t.w (not in place)"}},
		{"type field added", "", "ALTER TYPE addr ADD zip int;", []string{"alter type addr"}},
		{"type field renamed", "", "ALTER TYPE addr RENAME city TO town;", []string{"alter type addr"}},
		{"type fields reordered", "", "DROP TYPE addr; CREATE TYPE addr (city text, street text);", []string{"alter type addr (not in place)"}},
		{"types created and dropped", "CREATE TYPE gone (a int);", "CREATE TYPE geo (lat double); CREATE TYPE place (g frozen<geo>, name text);",
			[]string{"create type geo", "create type place", "drop type gone"}},
		{"index changed", "", "DROP INDEX t_v; CREATE INDEX t_v ON t (w);", []string{"drop index t.t_v", "create index t.t_v"}},
		{"index dropped, trigger added", "", "DROP INDEX t_v; CREATE TRIGGER audit ON t USING 'org.example.Audit';",
			[]string{"drop index t.t_v", "create trigger t.audit"}},
		{"views",
			"CREATE MATERIALIZED VIEW by_w AS SELECT * FROM t WHERE k IS NOT NULL AND c IS NOT NULL AND w IS NOT NULL PRIMARY KEY (w, k, c);" +
				"CREATE MATERIALIZED VIEW by_v AS SELECT k, c, v FROM t WHERE k IS NOT NULL AND c IS NOT NULL AND v IS NOT NULL PRIMARY KEY (v, k, c);" +
				"CREATE MATERIALIZED VIEW gone AS SELECT k, c FROM t WHERE k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (c, k);",
			"CREATE MATERIALIZED VIEW by_w AS SELECT * FROM t WHERE k IS NOT NULL AND c IS NOT NULL AND w IS NOT NULL PRIMARY KEY (w, k, c) WITH comment = 'x';" +
				"CREATE MATERIALIZED VIEW by_v AS SELECT k, c, v, w FROM t WHERE k IS NOT NULL AND c IS NOT NULL AND v IS NOT NULL PRIMARY KEY (v, k, c);" +
				"CREATE MATERIALIZED VIEW fresh AS SELECT k, c FROM t WHERE k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (c, k);",
			[]string{"drop view by_v", "drop view gone", "create view by_v", "alter option by_w.comment", "create view fresh"}},
		{"functions and aggregates",
			"CREATE FUNCTION g(a int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return a;';",
			"CREATE OR REPLACE FUNCTION f(a int, b int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return b;'; CREATE AGGREGATE agg(int) SFUNC f STYPE int INITCOND 0;",
			[]string{"alter function f(int, int)", "create aggregate agg(int)", "drop function g(int)"}},
		{"keyspace options", "", "ALTER KEYSPACE ks WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3} AND durable_writes = false;",
			[]string{"alter keyspace ks"}},
		{"masks", "ALTER TABLE t ADD m text MASKED WITH mask_null();", "ALTER TABLE t ADD m text MASKED WITH mask_inner(1, null);",
			[]string{"alter column t.m"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, b := diffCatalogs(t, tc.from, tc.to)
			changes := Diff(a.Keyspaces["ks"], b.Keyspaces["ks"])
			if got := summary(changes); !reflect.DeepEqual(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Fatalf("changes:\n got %q\nwant %q", got, tc.want)
			}
			for _, ch := range changes {
				if !ch.InPlace && (ch.CQL != "" || ch.Reason == "") {
					t.Errorf("a change that cannot be made in place has CQL %q or no reason", ch.CQL)
				}
			}
			checkScripts(t, a, b, changes)
		})
	}
}

// checkScripts runs the forward script on a and the reverse script on b and
// expects b and a back, when every change can be made in place.
func checkScripts(t *testing.T, a, b *Catalog, changes []Change) {
	t.Helper()
	for _, ch := range changes {
		if !ch.InPlace {
			if !strings.Contains(Script(changes), "-- cannot apply in place") {
				t.Errorf("script does not flag the change that cannot be made in place:\n%s", Script(changes))
			}
			return
		}
	}
	fwd := a.Clone()
	if _, _, err := run(fwd, "", Script(changes)); err != nil {
		t.Fatalf("forward script: %v\n%s", err, Script(changes))
	}
	if rest := Diff(fwd.Keyspaces["ks"], b.Keyspaces["ks"]); len(rest) != 0 {
		t.Errorf("after the forward script still differs: %q\n%s", summary(rest), Script(changes))
	}
	reversible := true
	for _, ch := range changes {
		reversible = reversible && ch.Reverse != ""
	}
	if !reversible {
		return
	}
	back := b.Clone()
	if _, _, err := run(back, "", ReverseScript(changes)); err != nil {
		t.Fatalf("reverse script: %v\n%s", err, ReverseScript(changes))
	}
	if rest := Diff(back.Keyspaces["ks"], a.Keyspaces["ks"]); len(rest) != 0 {
		t.Errorf("after the reverse script still differs: %q\n%s", summary(rest), ReverseScript(changes))
	}
}

func TestDiffWholeKeyspace(t *testing.T) {
	c := richCatalog(t, V5_0)
	shop := c.Keyspaces["shop"]
	created := Diff(nil, shop)
	empty := newTestCatalog(V5_0)
	if _, _, err := run(empty, "", Script(created)); err != nil {
		t.Fatalf("creating the keyspace from the diff: %v\n%s", err, Script(created))
	}
	if rest := Diff(empty.Keyspaces["shop"], shop); len(rest) != 0 {
		t.Errorf("keyspace created from the diff differs: %q", summary(rest))
	}
	dropped := Diff(shop, nil)
	if got := summary(dropped); !reflect.DeepEqual(got, []string{"drop keyspace shop"}) {
		t.Errorf("dropping a keyspace: %q", got)
	}
	if _, _, err := run(empty, "", Script(dropped)); err != nil || empty.Keyspaces["shop"] != nil {
		t.Errorf("drop script: %v", err)
	}
	if _, _, err := run(empty, "", ReverseScript(dropped)); err != nil {
		t.Fatalf("reverse of the drop: %v", err)
	}
	if rest := Diff(empty.Keyspaces["shop"], shop); len(rest) != 0 {
		t.Errorf("keyspace recreated by the reverse of its drop differs: %q", summary(rest))
	}
}

func TestDiffGolden(t *testing.T) {
	a := richCatalog(t, V5_0)
	b := richCatalog(t, V5_0)
	mustRun(t, b, "shop", `
DROP MATERIALIZED VIEW customers_by_email;
ALTER TABLE customers ADD loyalty int;
DROP INDEX customers_scores_idx;
ALTER TABLE customers DROP scores;
ALTER TABLE orders WITH comment = 'orders by customer and year' AND default_time_to_live = 3600;
ALTER TYPE phone ADD country text;
DROP INDEX customers_prefs_keys;
CREATE TABLE audit_log (day date, at timeuuid, what text, PRIMARY KEY (day, at)) WITH CLUSTERING ORDER BY (at DESC);
DROP TABLE page_views;
CREATE TABLE page_views (page text, day date, views counter, PRIMARY KEY (page, day)) WITH CLUSTERING ORDER BY (day DESC);
`)
	changes := Diff(a.Keyspaces["shop"], b.Keyspaces["shop"])
	var out strings.Builder
	for _, s := range summary(changes) {
		out.WriteString("# " + s + "\n")
	}
	out.WriteString("\n-- forward\n" + Script(changes) + "\n-- reverse\n" + ReverseScript(changes))
	golden(t, "diff.golden.cql", out.String())
}

// diffKeyspaces builds two keyspaces of n tables each, b differing from a
// in a column and an option of every tenth table.
func diffKeyspaces(b testing.TB, n int) (*Keyspace, *Keyspace) {
	var src, src2 strings.Builder
	src.WriteString("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3};\n")
	src2.WriteString(src.String())
	for i := 0; i < n; i++ {
		stmt := fmt.Sprintf("CREATE TABLE ks.t%d (id uuid, day date, at timeuuid, a text, b int, c map<text, text>, PRIMARY KEY ((id, day), at)) WITH CLUSTERING ORDER BY (at DESC)", i)
		src.WriteString(stmt + ";\n")
		if i%10 == 0 {
			stmt = strings.Replace(stmt, "b int", "b int, d blob", 1) + " AND gc_grace_seconds = 3600"
		}
		src2.WriteString(stmt + ";\n")
	}
	x, y := New(V5_0), New(V5_0)
	mustRun(b, x, "", src.String())
	mustRun(b, y, "", src2.String())
	return x.Keyspaces["ks"], y.Keyspaces["ks"]
}

func TestDiffLargeKeyspaces(t *testing.T) {
	a, b := diffKeyspaces(t, 100)
	if got := len(Diff(a, b)); got != 20 {
		t.Errorf("%d changes, want 20 (a column and an option in 10 tables)", got)
	}
}

func BenchmarkDiff500(b *testing.B) {
	x, y := diffKeyspaces(b, 500)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(Diff(x, y)) != 100 {
			b.Fatal("unexpected number of changes")
		}
	}
}

func BenchmarkApplyRich(b *testing.B) {
	stmts, err := cql.ParseScript([]byte(readFile(b, "testdata/rich.cql")))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := New(V5_0)
		ks := ""
		for _, s := range stmts {
			if u, ok := s.(*cql.Use); ok {
				ks = u.Keyspace.Name
			}
			if _, err := c.Apply(s, ks); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkRender500(b *testing.B) {
	x, _ := diffKeyspaces(b, 500)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = RenderKeyspace(x, V5_0)
	}
}

func TestDiffCatalogs(t *testing.T) {
	a, b := newTestCatalog(V5_0), newTestCatalog(V5_0)
	mustRun(t, a, "", "CREATE KEYSPACE gone WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\nCREATE KEYSPACE kept WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};")
	mustRun(t, b, "", "CREATE KEYSPACE kept WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2};\nCREATE KEYSPACE added WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\nCREATE TABLE added.t (k int PRIMARY KEY);")
	got := summary(DiffCatalogs(a, b))
	want := []string{"create keyspace added", "create table t", "drop keyspace gone", "alter keyspace kept"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if n := len(DiffCatalogs(a, a.Clone())); n != 0 {
		t.Errorf("a catalog differs from its clone in %d ways", n)
	}
}
