package schema

import (
	"errors"
	"strings"
	"testing"
)

func TestParseType(t *testing.T) {
	cases := []struct{ in, want string }{
		{"int", "int"},
		{"varchar", "text"},
		{"frozen<map<text, frozen<list<int>>>>", "frozen<map<text, frozen<list<int>>>>"},
		{"map<text,frozen<list<int>>>", "map<text, frozen<list<int>>>"},
		{"vector<float, 3>", "vector<float, 3>"},
		{"frozen<tuple<int, text, frozen<addr>>>", "frozen<tuple<int, text, frozen<addr>>>"},
		{`frozen<"Mixed Case">`, `frozen<"Mixed Case">`},
		{`"text"`, `"text"`},
		{"'org.apache.cassandra.db.marshal.DynamicCompositeType(s=>UTF8Type)'", "'org.apache.cassandra.db.marshal.DynamicCompositeType(s=>UTF8Type)'"},
		{"ks.addr", "addr"},
	}
	for _, c := range cases {
		got, err := ParseType(c.in)
		if err != nil {
			t.Errorf("ParseType(%q): %v", c.in, err)
			continue
		}
		if s := typeText(got); s != c.want {
			t.Errorf("ParseType(%q) renders %q, want %q", c.in, s, c.want)
		}
	}
	for _, bad := range []string{"", "list<int", "map<text, int>>", "vector<float, x>", "'unterminated"} {
		if _, err := ParseType(bad); err == nil {
			t.Errorf("ParseType(%q) accepted", bad)
		}
	}
}

func TestParseVersion(t *testing.T) {
	cases := []struct {
		in   string
		want Version
		bad  bool
	}{
		{"5.0.2", V5_0, false}, {"4.1", V4_1, false}, {"4.0.11", V4_0, false}, {"3.11.17", V3_11, false},
		{"6.0-SNAPSHOT", V5_0, false}, {"4.2", V4_1, false}, {"3.0.29", 0, true}, {"five", 0, true},
	}
	for _, c := range cases {
		got, err := ParseVersion(c.in)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("ParseVersion(%q) = %v, %v", c.in, got, err)
		}
	}
	if V4_1.String() != "4.1" || V3_11.String() != "3.11" {
		t.Errorf("version strings %s %s", V4_1, V3_11)
	}
}

func TestUUID(t *testing.T) {
	u, err := ParseUUID("5a1c395e-b41f-11e5-9f22-ba0be0483c18")
	if err != nil || u.String() != "5a1c395e-b41f-11e5-9f22-ba0be0483c18" {
		t.Errorf("uuid round trip: %v %v", u, err)
	}
	for _, bad := range []string{
		"5a1c395e",                             // short
		"5a1c395eb-41f-11e5-9f22-ba0be0483c18", // a dash out of place
		"5a1c395e-b41f-11e5-9f22-ba0be0483c1g", // not hex
		"5a1c395e-b41f-11e5-9f22-ba0be0483c18a",
	} {
		if _, err := ParseUUID(bad); err == nil {
			t.Errorf("uuid %q accepted", bad)
		}
	}
	if a, b := randomUUID(), randomUUID(); a == b || a.IsZero() || a[6]>>4 != 4 {
		t.Errorf("random uuids %v %v", a, b)
	}
}

func TestTableOptionNormalisation(t *testing.T) {
	cases := []struct {
		with   string
		option string
		want   string
	}{
		{"speculative_retry = '99PERCENTILE'", "speculative_retry", "'99p'"},
		{"speculative_retry = '99.5p'", "speculative_retry", "'99.5p'"},
		{"speculative_retry = '50MS'", "speculative_retry", "'50ms'"},
		{"speculative_retry = 'always'", "speculative_retry", "'ALWAYS'"},
		{"speculative_retry = 'none'", "speculative_retry", "'NEVER'"},
		{"additional_write_policy = 'min(99p,50ms)'", "additional_write_policy", "'MIN(99p,50ms)'"},
		{"read_repair = 'none'", "read_repair", "'NONE'"},
		{"caching = {'keys': 'none'}", "caching", "{'keys': 'NONE', 'rows_per_partition': 'NONE'}"},
		{"compression = {'sstable_compression': 'SnappyCompressor'}", "compression",
			"{'chunk_length_in_kb': '16', 'class': 'org.apache.cassandra.io.compress.SnappyCompressor'}"},
		{"compression = {'class': 'LZ4Compressor', 'chunk_length_kb': 64}", "compression",
			"{'chunk_length_in_kb': '64', 'class': 'org.apache.cassandra.io.compress.LZ4Compressor'}"},
		{"compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_unit': 'DAYS', 'max_threshold': 64}", "compaction",
			"{'class': 'org.apache.cassandra.db.compaction.TimeWindowCompactionStrategy', 'compaction_window_unit': 'DAYS', 'max_threshold': '64', 'min_threshold': '4'}"},
		{"compaction = {'class': 'org.example.MyStrategy', 'x': 'y'}", "compaction", "{'class': 'org.example.MyStrategy', 'x': 'y'}"},
		{"compaction = {'class': 'UnifiedCompactionStrategy', 'scaling_parameters': 'T4'}", "compaction",
			"{'class': 'org.apache.cassandra.db.compaction.UnifiedCompactionStrategy', 'max_threshold': '32', 'min_threshold': '4', 'scaling_parameters': 'T4'}"},
		{"compaction = {'class': 'LeveledCompactionStrategy'}", "bloom_filter_fp_chance", "0.1"},
		{"compaction = {'class': 'LeveledCompactionStrategy'} AND bloom_filter_fp_chance = 0.02", "bloom_filter_fp_chance", "0.02"},
		{"cdc = 'yes'", "cdc", "true"},
		{"extensions = {'ext': 0xcafe}", "extensions", "{'ext': 0xcafe}"},
		{"memtable_flush_period_in_ms = '60000'", "memtable_flush_period_in_ms", "60000"},
	}
	for _, c := range cases {
		cat := newTestCatalog(V5_0)
		if _, _, err := run(cat, "", "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\nCREATE TABLE ks.t (k int PRIMARY KEY) WITH "+c.with); err != nil {
			t.Errorf("WITH %s: %v", c.with, err)
			continue
		}
		o := cat.Keyspaces["ks"].Tables["t"].Options
		v, _ := o.Get(c.option)
		if got := optionLiteral(v); got != c.want {
			t.Errorf("WITH %s: %s = %s, want %s", c.with, c.option, got, c.want)
		}
	}
}

func TestReplicationFactorExpansion(t *testing.T) {
	c := newTestCatalog(V5_0)
	c.Datacenters = []string{"dc1", "dc2"}
	mustRun(t, c, "", "CREATE KEYSPACE ks WITH replication = {'class': 'NetworkTopologyStrategy', 'replication_factor': 3, 'dc2': 1}")
	got := mapLiteral(c.Keyspaces["ks"].Replication)
	if want := "{'class': 'org.apache.cassandra.locator.NetworkTopologyStrategy', 'dc1': '3', 'dc2': '1'}"; got != want {
		t.Errorf("replication %s, want %s", got, want)
	}
	// With the datacenters known, an unknown one is refused.
	_, _, err := run(c, "", "CREATE KEYSPACE k2 WITH replication = {'class': 'NetworkTopologyStrategy', 'dc9': 3}")
	if err == nil || err.Error() != "Unrecognized strategy option {dc9} passed to NetworkTopologyStrategy for keyspace k2" {
		t.Errorf("unknown datacenter: %v", err)
	}
	mustRun(t, c, "", "CREATE KEYSPACE k2 WITH replication = {'class': 'NetworkTopologyStrategy'}")
	if got := mapLiteral(c.Keyspaces["k2"].Replication); got != "{'class': 'org.apache.cassandra.locator.NetworkTopologyStrategy', 'dc1': '1', 'dc2': '1'}" {
		t.Errorf("4.1+ default replication: %s", got)
	}
	old := newTestCatalog(V4_0)
	_, _, err = run(old, "", "CREATE KEYSPACE k2 WITH replication = {'class': 'NetworkTopologyStrategy'}")
	if err == nil || err.Error() != "Configuration for at least one datacenter must be present" {
		t.Errorf("no datacenter on 4.0: %v", err)
	}
}

func TestMaterializedViewsDisabled(t *testing.T) {
	c := newTestCatalog(V5_0)
	c.DisableMaterializedViews = true
	_, _, err := run(c, "", `CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
CREATE TABLE ks.t (k int PRIMARY KEY, v int);
CREATE MATERIALIZED VIEW ks.mv AS SELECT * FROM ks.t WHERE k IS NOT NULL AND v IS NOT NULL PRIMARY KEY (v, k)`)
	if err == nil || err.Error() != "Materialized views are disabled. Enable in cassandra.yaml to use." {
		t.Errorf("got %v", err)
	}
}

func TestEffectString(t *testing.T) {
	cases := []struct {
		e    Effect
		want string
	}{
		{Effect{}, "no change"},
		{Effect{Op: OpCreate, Object: ObjKeyspace, Keyspace: "ks", Name: "ks"}, "create keyspace ks"},
		{Effect{Op: OpAlter, Object: ObjTable, Keyspace: "ks", Name: "t"}, "alter table ks.t"},
		{Effect{Op: OpCreate, Object: ObjIndex, Keyspace: "ks", Name: "i", Table: "t"}, "create index i on ks.t"},
		{Effect{Op: OpDrop, Object: ObjFunction, Keyspace: "ks", Name: "f", ArgTypes: []string{"int", "text"}}, "drop function ks.f(int, text)"},
	}
	for _, c := range cases {
		if got := c.e.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.e, got, c.want)
		}
	}
}

func TestCloneIsDeep(t *testing.T) {
	c := richCatalog(t, V5_0)
	before := c.Render("")
	n := c.Clone()
	shop := n.Keyspaces["shop"]
	shop.Tables["orders"].Options.Compaction["class"] = "changed"
	shop.Tables["orders"].Columns["qty"].Type.Name = "bigint"
	shop.Types["address"].FieldNames[0] = "changed"
	shop.Views["orders_by_item"].Options.Caching["keys"] = "NONE"
	shop.Tables["customers"].Indexes["customers_email_idx"].Options["target"] = "changed"
	if c.Render("") != before {
		t.Error("changing a clone changed the original")
	}
}

func TestCompactStorage(t *testing.T) {
	c := newTestCatalog(V3_11)
	mustRun(t, c, "", `CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
USE ks;
CREATE TABLE c1 (k int PRIMARY KEY, v int) WITH COMPACT STORAGE;
CREATE TABLE c2 (k int, c int, v int, PRIMARY KEY (k, c)) WITH COMPACT STORAGE AND CLUSTERING ORDER BY (c DESC);`)
	ks := c.Keyspaces["ks"]
	if f := ks.Tables["c1"].Flags; len(f) != 0 || !ks.Tables["c1"].IsCompact() {
		t.Errorf("static compact table flags %v", f)
	}
	if f := ks.Tables["c2"].Flags; len(f) != 1 || f[0] != "dense" {
		t.Errorf("dense compact table flags %v", f)
	}
	out := c.Render("ks")
	if !strings.Contains(out, ") WITH COMPACT STORAGE\n    AND CLUSTERING ORDER BY (c DESC)") {
		t.Errorf("render of a compact table:\n%s", out)
	}
	again := newTestCatalog(V3_11)
	mustRun(t, again, "", out)
	if again.Render("ks") != out {
		t.Error("compact tables do not survive render -> apply")
	}
	if _, _, err := run(c, "ks", "ALTER TABLE c1 ADD x int"); err == nil || err.Error() != "Cannot add new column to a COMPACT STORAGE table" {
		t.Errorf("adding to a compact table: %v", err)
	}
	if _, _, err := run(c, "ks", "CREATE TABLE c3 (k int, c int, a int, b int, PRIMARY KEY (k, c)) WITH COMPACT STORAGE"); err == nil ||
		err.Error() != "COMPACT STORAGE with composite PRIMARY KEY allows no more than one column not part of the PRIMARY KEY (got: a, b)" {
		t.Errorf("two values in a dense compact table: %v", err)
	}
	mustRun(t, c, "ks", "ALTER TABLE c2 DROP COMPACT STORAGE")
	if c2 := ks.Tables["c2"]; c2.IsCompact() || len(c2.Flags) != 1 || c2.Flags[0] != "compound" {
		t.Errorf("flags after DROP COMPACT STORAGE: %v", c2.Flags)
	}
	mustRun(t, c, "ks", "ALTER TABLE c2 ADD x int")
	if _, _, err := run(c, "ks", "ALTER TABLE c2 DROP COMPACT STORAGE"); err == nil || err.Error() != "Cannot DROP COMPACT STORAGE on table without COMPACT STORAGE" {
		t.Errorf("second DROP COMPACT STORAGE: %v", err)
	}

	// Cassandra 3.x stores a static compact table with hidden columns.
	rows := map[string][]map[string]any{}
	for _, name := range SystemSchemaTableNames(V3_11) {
		rows[name] = c.SystemSchemaRows(name)
	}
	rows["columns"] = append(rows["columns"],
		map[string]any{"keyspace_name": "ks", "table_name": "c1", "column_name": "column1", "kind": "clustering", "position": int32(0), "clustering_order": "asc", "type": "text"},
		map[string]any{"keyspace_name": "ks", "table_name": "c1", "column_name": "value", "kind": "regular", "position": int32(-1), "clustering_order": "none", "type": "blob"})
	for _, r := range rows["columns"] {
		if r["table_name"] == "c1" && r["column_name"] == "v" {
			r["kind"] = "static"
		}
	}
	loaded, err := LoadSystemSchema(rows)
	if err != nil {
		t.Fatal(err)
	}
	if got := loaded.Render("ks"); got != c.Render("ks") {
		t.Errorf("static compact table loaded from 3.x rows renders differently:\n%s", lineDiff(c.Render("ks"), got))
	}
}

func TestVectorNeedsCassandra5(t *testing.T) {
	c := newTestCatalog(V4_1)
	_, _, err := run(c, "", `CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
CREATE TABLE ks.t (k int PRIMARY KEY, v vector<float, 3>)`)
	if !errors.Is(err, ErrSyntax) {
		t.Errorf("vector column on 4.1: %v", err)
	}
}

func TestConvertAcrossReleases(t *testing.T) {
	src := readFile(t, "testdata/rich.cql")
	old := newTestCatalog(V3_11)
	mustRun(t, old, "", forVersion(src, V3_11))
	// The same migrations replayed on 4.1 give the same schema once the 3.11
	// one is upgraded, but for the options the 3.11 defaults set explicitly.
	newer := newTestCatalog(V4_1)
	mustRun(t, newer, "", forVersion(src, V3_11))
	up := old.Convert(V4_1)
	if up.Version != V4_1 || up.Keyspaces["system_views"] == nil {
		t.Errorf("converted catalog: version %v, system keyspaces %v", up.Version, up.AllKeyspaceNames())
	}
	var left []string
	for _, ch := range DiffVersion(V4_1, up.Keyspaces["shop"], newer.Keyspaces["shop"]) {
		left = append(left, ch.Table+"."+ch.Name)
	}
	for _, l := range left {
		if !strings.HasSuffix(l, ".compression") {
			t.Errorf("after upgrading 3.11 to 4.1 still differs in %s", l)
		}
	}
	if len(left) == 0 {
		t.Error("the 3.11 default chunk length (64 KiB) should survive an upgrade")
	}
	o := up.Keyspaces["shop"].Tables["customers"].Options
	if o.SpeculativeRetry != "95p" || o.ReadRepair != "BLOCKING" || o.Memtable != "default" || o.DCLocalReadRepairChance != 0 {
		t.Errorf("upgraded options: %+v", o)
	}
	down := up.Convert(V3_11)
	if d := down.Keyspaces["shop"].Tables["customers"].Options; d.SpeculativeRetry != "95PERCENTILE" || d.Memtable != "" || d.ReadRepair != "" {
		t.Errorf("downgraded options: %+v", d)
	}
	// A table created on 5.0 without options, held as 3.11 would hold it,
	// has 3.11's defaults for the options 5.0 lacks but for compression
	// (a schema's explicit chunk length, which the conversion keeps).
	fresh := newTestCatalog(V5_0)
	mustRun(t, fresh, "", "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}; CREATE TABLE ks.t (id int PRIMARY KEY);")
	got := fresh.Convert(V3_11).Keyspaces["ks"].Tables["t"].Options
	want := DefaultOptions(V3_11)
	want.Compression = got.Compression
	for _, name := range OptionNames(V3_11, false) {
		g, _ := got.Get(name)
		w, _ := want.Get(name)
		if !optionEqual(g, w) {
			t.Errorf("5.0 defaults held as 3.11: %s = %s, want %s", name, optionLiteral(g), optionLiteral(w))
		}
	}
}

func TestWithoutTables(t *testing.T) {
	c := richCatalog(t, V5_0)
	shop := c.Keyspaces["shop"]
	n := shop.WithoutTables("orders", "nope")
	if n.Tables["orders"] != nil || n.Views["orders_by_item"] != nil || n.Views["customers_by_email"] == nil {
		t.Errorf("tables %v views %v", n.TableNames(), n.ViewNames())
	}
	if shop.Tables["orders"] == nil {
		t.Error("the original lost a table")
	}
}
