package cql

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONShape(t *testing.T) {
	st, err := Parse(`INSERT INTO ks.t (a, b) VALUES (?, {'k': [1]}) USING TTL 10`)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["kind"] != "INSERT" {
		t.Errorf("kind = %v in %s", doc["kind"], data)
	}
	table := doc["table"].(map[string]any)
	if table["keyspace"].(map[string]any)["name"] != "ks" || table["name"].(map[string]any)["name"] != "t" {
		t.Errorf("table = %v", table)
	}
	vals := doc["values"].([]any)
	marker := vals[0].(map[string]any)
	if marker["node"] != TermNodeBindMarker || marker["index"] != 0.0 {
		t.Errorf("marker = %v", marker)
	}
	m := vals[1].(map[string]any)
	if m["node"] != TermNodeCollectionLiteral || m["kind"] != "map" {
		t.Errorf("map = %v", m)
	}
	entry := m["entries"].([]any)[0].(map[string]any)
	if entry["key"].(map[string]any)["text"] != "k" || entry["value"].(map[string]any)["node"] != TermNodeCollectionLiteral {
		t.Errorf("entry = %v", entry)
	}
	pos := doc["pos"].(map[string]any)
	if pos["line"] != 1.0 || pos["column"] != 1.0 || pos["offset"] != 0.0 {
		t.Errorf("pos = %v", pos)
	}
	using := doc["using"].([]any)[0].(map[string]any)
	if using["kind"] != "TTL" {
		t.Errorf("using = %v", using)
	}

	// Every statement kind marshals with its kind, and batches nest.
	for _, tc := range parseCases {
		st, err := Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(st)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if !strings.HasPrefix(string(data), `{"kind":"`+string(st.Kind())+`"`) {
			t.Errorf("%s marshals as %.60s", tc.in, data)
		}
	}
	b, _ := Parse(`BEGIN BATCH DELETE FROM t WHERE k = 1; APPLY BATCH`)
	data, _ = json.Marshal(b)
	if !strings.Contains(string(data), `"statements":[{"kind":"DELETE"`) {
		t.Errorf("batch = %s", data)
	}
}

func TestKinds(t *testing.T) {
	ks := Kinds()
	seen := map[Kind]bool{}
	for _, k := range ks {
		if seen[k] {
			t.Errorf("duplicate kind %s", k)
		}
		seen[k] = true
	}
	ks[0] = "changed"
	if Kinds()[0] != KindCreateKeyspace {
		t.Error("Kinds must return a copy")
	}
	if !KindCreateTable.IsDDL() || KindCreateTable.IsDML() || !KindInsert.IsDML() || KindGrant.IsDDL() {
		t.Error("IsDDL/IsDML classify wrongly")
	}
}

func TestPropertyValues(t *testing.T) {
	st, err := Parse(`CREATE TABLE t (k int PRIMARY KEY) WITH comment = 'c' AND gc_grace_seconds = 10 AND bloom_filter_fp_chance = '0.1' AND cdc = true AND caching = {'keys': 'ALL', 'rows_per_partition': 10} AND read_repair = BLOCKING AND comment = 'later'`)
	if err != nil {
		t.Fatal(err)
	}
	opts := st.(*CreateTable).Options
	if s, _ := mustProp(t, opts, "comment").StringValue(); s != "later" {
		t.Errorf("the last definition wins: comment = %q", s)
	}
	if n, ok := mustProp(t, opts, "gc_grace_seconds").NumberValue(); !ok || n != 10 {
		t.Errorf("gc_grace_seconds = %v", n)
	}
	if n, ok := mustProp(t, opts, "bloom_filter_fp_chance").NumberValue(); !ok || n != 0.1 {
		t.Errorf("a numeric string counts as a number: %v", n)
	}
	if b, ok := mustProp(t, opts, "cdc").BoolValue(); !ok || !b {
		t.Errorf("cdc = %v %v", b, ok)
	}
	m, ok := mustProp(t, opts, "caching").MapValue()
	if !ok || m["keys"] != "ALL" || m["rows_per_partition"] != "10" {
		t.Errorf("caching = %v", m)
	}
	if s, ok := mustProp(t, opts, "read_repair").StringValue(); !ok || s != "BLOCKING" {
		t.Errorf("a bare keyword value is kept as text: %q", s)
	}
	if _, ok := mustProp(t, opts, "caching").StringValue(); ok {
		t.Error("a map is not a string")
	}
	if _, ok := mustProp(t, opts, "comment").MapValue(); ok {
		t.Error("a string is not a map")
	}
	if _, ok := FindProperty(opts, "missing"); ok {
		t.Error("found a missing property")
	}
}

func TestEqual(t *testing.T) {
	a, _ := Parse("SELECT a FROM t WHERE k = 1")
	b, _ := Parse("select   A\nfrom T where K=1")
	c, _ := Parse("SELECT a FROM t WHERE k = 2")
	if !Equal(a, b) {
		t.Error("positions and case of unquoted names must not matter")
	}
	if Equal(a, c) {
		t.Error("different literals must differ")
	}
	i1, _ := Parse(`CREATE TABLE t (a "int" PRIMARY KEY)`)
	i2, _ := Parse(`CREATE TABLE t (a int PRIMARY KEY)`)
	if Equal(i1, i2) {
		t.Error(`a user type named "int" is not the native int`)
	}
}

func TestInspectAndBindMarkers(t *testing.T) {
	st, err := Parse(`BEGIN BATCH USING TIMESTAMP ? INSERT INTO t (a, b) VALUES (?, [?, fn(:x)]); UPDATE t SET m[?] = ? WHERE k IN (?, ?) IF c = ?; APPLY BATCH`)
	if err != nil {
		t.Fatal(err)
	}
	ms := BindMarkers(st)
	if len(ms) != 9 {
		t.Fatalf("got %d markers", len(ms))
	}
	for i, m := range ms {
		if m.Index != i {
			t.Errorf("marker %d has index %d", i, m.Index)
		}
	}
	if ms[3].Name != "x" {
		t.Errorf("marker 3 = %+v, want :x", ms[3])
	}
	var kinds []Kind
	Inspect(st, func(n any) bool {
		if s, ok := n.(Stmt); ok {
			kinds = append(kinds, s.Kind())
		}
		_, isCall := n.(*FunctionCall)
		return !isCall // skip inside function calls
	})
	if len(kinds) != 3 || kinds[0] != KindBatch || kinds[1] != KindInsert || kinds[2] != KindUpdate {
		t.Errorf("statements visited: %v", kinds)
	}
	n := 0
	Inspect(st, func(x any) bool {
		if _, ok := x.(*BindMarker); ok {
			n++
		}
		_, isCall := x.(*FunctionCall)
		return !isCall
	})
	if n != 8 {
		t.Errorf("returning false must skip children: %d markers seen, want 8", n)
	}
}
