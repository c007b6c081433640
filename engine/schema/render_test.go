package schema

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func richCatalog(t testing.TB, v Version) *Catalog {
	c := newTestCatalog(v)
	mustRun(t, c, "", readFile(t, "testdata/rich.cql"))
	return c
}

func TestRenderGolden(t *testing.T) {
	c := richCatalog(t, V5_0)
	golden(t, "rich.golden.cql", c.Render(""))
}

func TestRenderLeavesOutSystemKeyspaces(t *testing.T) {
	c := richCatalog(t, V5_0)
	for _, name := range []string{"system", "system_schema", "system_auth", "nope"} {
		if got := c.Render(name); got != "" {
			t.Errorf("Render(%q) = %q, want nothing", name, got)
		}
	}
	if all := c.Render(""); strings.Contains(all, "system") {
		t.Errorf("Render of every keyspace mentions a system keyspace")
	}
	if got := c.KeyspaceNames(); !reflect.DeepEqual(got, []string{"Analytics", "shop"}) {
		t.Errorf("KeyspaceNames = %v", got)
	}
}

// Render -> parse -> Apply reproduces the catalog (but for ids and the
// dropped-column history, which CQL does not carry), for every release.
func TestRenderRoundTrip(t *testing.T) {
	for _, v := range []Version{V5_0, V4_1, V4_0, V3_11} {
		t.Run(v.String(), func(t *testing.T) {
			src := readFile(t, "testdata/rich.cql")
			src = forVersion(src, v)
			c := newTestCatalog(v)
			mustRun(t, c, "", src)
			first := c.Render("")
			again := newTestCatalog(v)
			mustRun(t, again, "", first)
			if got := again.Render(""); got != first {
				t.Fatalf("second render differs:\n%s", lineDiff(first, got))
			}
			if !reflect.DeepEqual(comparable(again), comparable(c)) {
				t.Error("catalog rebuilt from the rendered CQL differs")
			}
			for _, name := range c.KeyspaceNames() {
				if ch := DiffVersion(v, c.Keyspaces[name], again.Keyspaces[name]); len(ch) != 0 {
					t.Errorf("Diff after round trip of %s: %+v", name, ch)
				}
			}
		})
	}
}

// forVersion removes what release v lacks from the rich schema: masks,
// vectors and SAI before 5.0, read_repair and additional_write_policy
// before 4.0.
func forVersion(src string, v Version) string {
	if v >= V5_0 {
		return src
	}
	if v < V4_0 {
		src = strings.Replace(src, "\n    AND read_repair = 'NONE';", ";", 1)
		src = strings.Replace(src, "additional_write_policy = '50ms' AND ", "", 1)
	}
	var out []string
	for _, line := range strings.Split(src, "\n") {
		switch {
		case strings.Contains(line, "embedding vector"):
			continue
		case strings.Contains(line, "USING 'sai'"):
			continue
		}
		if i := strings.Index(line, " MASKED WITH"); i >= 0 {
			comma := strings.HasSuffix(line, ",")
			line = line[:i]
			if comma {
				line += ","
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "lengths differ"
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestTypesInDependencyOrder(t *testing.T) {
	c := richCatalog(t, V5_0)
	var names []string
	for _, u := range TypesInDependencyOrder(c.Keyspaces["shop"]) {
		names = append(names, u.Name)
	}
	// address needs geo; contact needs phone and address.
	want := []string{"geo", "address", "phone", "contact"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("order %v, want %v", names, want)
	}
}

func TestSystemSchemaRoundTrip(t *testing.T) {
	for _, v := range []Version{V5_0, V4_1, V4_0, V3_11} {
		t.Run(v.String(), func(t *testing.T) {
			src := readFile(t, "testdata/rich.cql")
			src = forVersion(src, v)
			c := newTestCatalog(v)
			mustRun(t, c, "", src+"\nALTER TABLE shop.events DROP \"Source\";")
			rows := map[string][]map[string]any{}
			for _, name := range SystemSchemaTableNames(v) {
				rows[name] = c.SystemSchemaRows(name)
			}
			loaded, err := LoadSystemSchema(rows)
			if err != nil {
				t.Fatal(err)
			}
			if loaded.Version != v {
				t.Errorf("version detected as %v, want %v", loaded.Version, v)
			}
			want := c.Clone()
			want.NewID, want.Now = nil, nil
			if !reflect.DeepEqual(loaded, want) {
				for name, ks := range want.Keyspaces {
					if !reflect.DeepEqual(ks, loaded.Keyspaces[name]) {
						t.Errorf("keyspace %s differs after rows -> load", name)
					}
				}
			}
			if d := loaded.Keyspaces["shop"].Tables["events"].Dropped["Source"]; d == nil || d.Time != c.nowMicros() {
				t.Errorf("dropped column lost: %+v", d)
			}
		})
	}
}

func TestSystemSchemaRows(t *testing.T) {
	c := richCatalog(t, V5_0)
	find := func(table string, match map[string]any) map[string]any {
		t.Helper()
	rows:
		for _, r := range c.SystemSchemaRows(table) {
			for k, v := range match {
				if !reflect.DeepEqual(r[k], v) {
					continue rows
				}
			}
			return r
		}
		t.Fatalf("no %s row matching %v", table, match)
		return nil
	}
	col := find("columns", map[string]any{"keyspace_name": "shop", "table_name": "orders", "column_name": "placed"})
	if col["kind"] != "clustering" || col["position"] != int32(0) || col["clustering_order"] != "desc" || col["type"] != "timeuuid" {
		t.Errorf("orders.placed row: %v", col)
	}
	col = find("columns", map[string]any{"keyspace_name": "shop", "table_name": "customers", "column_name": "contacts"})
	if col["kind"] != "regular" || col["position"] != int32(-1) || col["clustering_order"] != "none" || col["type"] != "list<frozen<contact>>" {
		t.Errorf("customers.contacts row: %v", col)
	}
	tbl := find("tables", map[string]any{"keyspace_name": "shop", "table_name": "page_views"})
	if !reflect.DeepEqual(tbl["flags"], []string{"compound", "counter"}) || tbl["gc_grace_seconds"] != int32(864000) {
		t.Errorf("page_views row: flags %v gc %v", tbl["flags"], tbl["gc_grace_seconds"])
	}
	ks := find("keyspaces", map[string]any{"keyspace_name": "shop"})
	if ks["replication"].(map[string]string)["class"] != "org.apache.cassandra.locator.NetworkTopologyStrategy" {
		t.Errorf("keyspace row: %v", ks)
	}
	ix := find("indexes", map[string]any{"keyspace_name": "shop", "index_name": "customers_name_sai"})
	if ix["kind"] != "CUSTOM" || ix["options"].(map[string]string)["class_name"] != ClassSAI {
		t.Errorf("SAI index row: %v", ix)
	}
	mask := find("column_masks", map[string]any{"keyspace_name": "shop", "column_name": "ssn"})
	if mask["function_name"] != "mask_inner" || !reflect.DeepEqual(mask["function_argument_values"], []string{"1", "2"}) {
		t.Errorf("mask row: %v", mask)
	}
	agg := find("aggregates", map[string]any{"keyspace_name": "shop", "aggregate_name": "sum_qty"})
	if agg["final_func"] != nil || agg["initcond"] != nil || agg["return_type"] != "int" {
		t.Errorf("aggregate without final function: %v", agg)
	}
	if rows := c.SystemSchemaRows("nope"); rows != nil {
		t.Errorf("unknown table gives rows")
	}
	// Every row has exactly the columns of its table definition.
	for _, def := range SystemSchemaTables(V5_0) {
		for _, r := range c.SystemSchemaRows(def.Name) {
			for k := range r {
				if def.Columns[k] == nil {
					t.Errorf("system_schema.%s row has column %s the table does not define", def.Name, k)
				}
			}
			if len(r) != len(def.Columns) {
				t.Errorf("system_schema.%s row has %d columns, the table %d", def.Name, len(r), len(def.Columns))
				break
			}
		}
	}
}

func TestSystemSchemaTablesByVersion(t *testing.T) {
	has := func(v Version, table, col string) bool {
		for _, tb := range SystemSchemaTables(v) {
			if tb.Name == table {
				return tb.Columns[col] != nil
			}
		}
		return false
	}
	checks := []struct {
		v     Version
		table string
		col   string
		want  bool
	}{
		{V3_11, "tables", "read_repair", false},
		{V4_0, "tables", "read_repair", true},
		{V4_0, "tables", "memtable", false},
		{V4_1, "tables", "memtable", true},
		{V5_0, "tables", "allow_auto_snapshot", true},
		{V4_1, "tables", "allow_auto_snapshot", false},
		{V5_0, "tables", "read_repair_chance", true},
		{V5_0, "column_masks", "function_name", true},
		{V4_1, "column_masks", "function_name", false},
		{V5_0, "views", "where_clause", true},
		{V5_0, "views", "flags", false},
	}
	for _, c := range checks {
		if got := has(c.v, c.table, c.col); got != c.want {
			t.Errorf("%v system_schema.%s has %s: %v, want %v", c.v, c.table, c.col, got, c.want)
		}
	}
	cols := SystemSchemaTables(V5_0)[2] // columns
	if cols.Name != "columns" || typeText(cols.Columns["position"].Type) != "int" ||
		cols.Columns["table_name"].Kind != Clustering || cols.Columns["keyspace_name"].Kind != PartitionKey {
		t.Errorf("system_schema.columns definition: %+v", cols)
	}
}

func TestLoadSystemSchemaDriverTypes(t *testing.T) {
	// A driver hands back int for int columns, its own UUID type and string
	// maps; LoadSystemSchema takes those too.
	type driverUUID [16]byte
	rows := map[string][]map[string]any{
		"keyspaces": {{"keyspace_name": "ks", "durable_writes": true,
			"replication": map[string]string{"class": "org.apache.cassandra.locator.SimpleStrategy", "replication_factor": "3"}}},
		"tables": {{"keyspace_name": "ks", "table_name": "t", "id": driverUUID{1, 2}, "flags": []string{"compound"},
			"gc_grace_seconds": 10, "read_repair": "BLOCKING", "memtable": nil, "allow_auto_snapshot": true,
			"caching": map[string]string{"keys": "ALL", "rows_per_partition": "NONE"}}},
		"columns": {
			{"keyspace_name": "ks", "table_name": "t", "column_name": "k", "kind": "partition_key", "position": 0, "clustering_order": "none", "type": "int"},
			{"keyspace_name": "ks", "table_name": "t", "column_name": "m", "kind": "regular", "position": -1, "clustering_order": "none", "type": "frozen<map<text, frozen<list<\"Weird\">>>>"},
		},
	}
	c, err := LoadSystemSchema(rows)
	if err != nil {
		t.Fatal(err)
	}
	tb := c.Keyspaces["ks"].Tables["t"]
	if tb.ID != (UUID{1, 2}) || tb.Options.GCGraceSeconds != 10 || typeText(tb.Columns["m"].Type) != `frozen<map<text, frozen<list<"Weird">>>>` {
		t.Errorf("loaded table: id %v gc %d type %s", tb.ID, tb.Options.GCGraceSeconds, typeText(tb.Columns["m"].Type))
	}
	if tb.Options.Memtable != "default" {
		t.Errorf("a null memtable loads as %q, want default", tb.Options.Memtable)
	}
	if !strings.Contains(c.Render("ks"), "CREATE TABLE ks.t (\n    k int PRIMARY KEY,") {
		t.Errorf("render of loaded table:\n%s", c.Render("ks"))
	}
	rows["columns"][0]["position"] = "zero"
	if _, err := LoadSystemSchema(rows); err == nil || !strings.Contains(err.Error(), "columns row 0: column position: want int, got string") {
		t.Errorf("bad row: %v", err)
	}
}
