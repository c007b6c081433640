package schema

import (
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// TestStaticCompactTableRoundTrip: a COMPACT STORAGE table without
// clustering columns (Cassandra 3.11) is written to system_schema.columns
// as Cassandra lays it out, its columns static under a hidden clustering
// column and value, and read back as the table that was created: snapshot
// keeps its columns.
func TestStaticCompactTableRoundTrip(t *testing.T) {
	cat := New(V3_11)
	for _, s := range []string{
		"CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE k.a (id int PRIMARY KEY, v text, w int) WITH COMPACT STORAGE",
	} {
		st, err := cql.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cat.Apply(st, ""); err != nil {
			t.Fatal(err)
		}
	}
	kinds := map[string]string{}
	for _, r := range cat.SystemSchemaRows("columns") {
		if r["table_name"] == "a" {
			kinds[r["column_name"].(string)] = r["kind"].(string)
		}
	}
	want := map[string]string{"id": "partition_key", "v": "static", "w": "static", "column1": "clustering", "value": "regular"}
	for c, k := range want {
		if kinds[c] != k {
			t.Errorf("system_schema.columns: %s is %q, want %q (all: %v)", c, kinds[c], k, kinds)
		}
	}
	rows := map[string][]map[string]any{}
	for _, tb := range SystemSchemaTableNames(V3_11) {
		rows[tb] = cat.SystemSchemaRows(tb)
	}
	back, err := LoadSystemSchemaAs(V3_11, rows)
	if err != nil {
		t.Fatal(err)
	}
	got := TableCQL(back.Keyspaces["k"].Tables["a"], V3_11)
	if !strings.Contains(got, "v text") || !strings.Contains(got, "w int") || strings.Contains(got, "column1") || !strings.Contains(got, "COMPACT STORAGE") {
		t.Errorf("read back as:\n%s\nwant id, v and w, compact, no hidden columns", got)
	}
}
