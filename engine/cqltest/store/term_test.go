package store

import (
	"context"
	"errors"
	"math/big"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// termOf parses "SELECT * FROM t WHERE x = <term>" and returns the term.
func termOf(t *testing.T, text string) cql.Term {
	t.Helper()
	stmt, err := cql.Parse("INSERT INTO t (x) VALUES (" + text + ")")
	if err != nil {
		t.Fatalf("parse term %q: %v", text, err)
	}
	return stmt.(*cql.Insert).Values[0]
}

func TestFromTermLiterals(t *testing.T) {
	tests := []struct {
		typ, term string
		want      any
	}{
		{"int", "42", int32(42)},
		{"int", "-7", int32(-7)},
		{"bigint", "9000000000", int64(9000000000)},
		{"smallint", "12", int16(12)},
		{"tinyint", "-1", int8(-1)},
		{"varint", "123456789012345678901234567890", func() any { n, _ := new(big.Int).SetString("123456789012345678901234567890", 10); return n }()},
		{"double", "1.5", 1.5},
		{"double", "3", 3.0},
		{"float", "NaN", nil}, // checked below
		{"decimal", "12.50", Decimal{Unscaled: big.NewInt(1250), Scale: 2}},
		{"text", "'it''s'", "it's"},
		{"ascii", "'abc'", "abc"},
		{"boolean", "true", true},
		{"uuid", "550e8400-e29b-41d4-a716-446655440000", uuid4},
		{"blob", "0xcafe", []byte{0xca, 0xfe}},
		{"inet", "'10.1.2.3'", net.IP{10, 1, 2, 3}},
		{"timestamp", "'2024-03-01 12:30:15.123+0000'", time.Date(2024, 3, 1, 12, 30, 15, 123e6, time.UTC)},
		{"timestamp", "'2024-03-01'", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"timestamp", "1000", time.UnixMilli(1000).UTC()},
		{"date", "'2024-03-01'", DateOf(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))},
		{"time", "'12:30:15.5'", Time(45015500000000)},
		{"duration", "1h30m", Duration{Nanos: 90 * 60e9}},
		{"duration", "2mo3d", Duration{Months: 2, Days: 3}},
		{"duration", "P1Y2DT3S", Duration{Months: 12, Days: 2, Nanos: 3e9}},
		{"list<int>", "[1, 2]", []any{int32(1), int32(2)}},
		{"set<text>", "{'b', 'a', 'b'}", []any{"a", "b"}},
		{"map<text, int>", "{'z': 1, 'a': 2}", []MapEntry{{"a", int32(2)}, {"z", int32(1)}}},
		{"tuple<int, text>", "(1, 'x')", []any{int32(1), "x"}},
		{"frozen<list<frozen<set<int>>>>", "[{2, 1}]", []any{[]any{int32(1), int32(2)}}},
		{"vector<float, 2>", "[1.0, 2.5]", []any{float32(1), float32(2.5)}},
		{"int", "null", nil},
	}
	for _, tc := range tests {
		got, err := FromTerm(parseType(t, tc.typ), termOf(t, tc.term), nil)
		if err != nil {
			t.Errorf("%s %s: %v", tc.typ, tc.term, err)
			continue
		}
		if tc.typ == "float" {
			if f, ok := got.(float32); !ok || f == f {
				t.Errorf("NaN: %#v", got)
			}
			continue
		}
		if !reflect.DeepEqual(normalizeForTest(got), normalizeForTest(tc.want)) && Compare(parseType(t, tc.typ), got, tc.want) != 0 {
			t.Errorf("%s %s = %#v, want %#v", tc.typ, tc.term, got, tc.want)
		}
	}
}

func TestFromTermErrors(t *testing.T) {
	tests := []struct {
		typ, term, want string
	}{
		{"int", "'foo'", `Invalid STRING constant (foo) for "value" of type int`},
		{"text", "12", `Invalid INTEGER constant (12) for "value" of type text`},
		{"uuid", "'550e8400-e29b-41d4-a716-446655440000'", `Invalid STRING constant (550e8400-e29b-41d4-a716-446655440000) for "value" of type uuid`},
		{"int", "1.5", `Invalid FLOAT constant (1.5) for "value" of type int`},
		{"boolean", "1", `Invalid INTEGER constant (1) for "value" of type boolean`},
		{"int", "3000000000", "Unable to make int from '3000000000'"},
		{"timestamp", "'yesterday'", "Unable to parse a date/time from 'yesterday'"},
		{"list<int>", "{1}", "Invalid set literal for value of type list<int>"},
		{"int", "[1]", "Invalid list literal for value of type int"},
		{"list<int>", "[1, null]", "null is not supported inside collections"},
		{"timeuuid", "550e8400-e29b-41d4-a716-446655440000", "Unsupported UUID version for timeuuid"},
		{"int", "?", "There were 1 markers(?) in CQL but 0 bound variables"},
	}
	for _, tc := range tests {
		_, err := FromTerm(parseType(t, tc.typ), termOf(t, tc.term), nil)
		var se *schema.Error
		if !errors.As(err, &se) || se.Code != schema.CodeInvalid {
			t.Errorf("%s %s: error %v, want an InvalidRequest", tc.typ, tc.term, err)
			continue
		}
		if se.Msg != tc.want {
			t.Errorf("%s %s:\n got %q\nwant %q", tc.typ, tc.term, se.Msg, tc.want)
		}
	}
}

func TestFromTermBindAndFunctions(t *testing.T) {
	b, _ := Encode(cql.Type{Name: "int"}, int32(5))
	bound := []BoundValue{{Bytes: b}, {Unset: true}, {}}
	for i, want := range []any{int32(5), Unset, nil} {
		got, err := FromTerm(cql.Type{Name: "int"}, &cql.BindMarker{Index: i}, bound)
		if err != nil || got != want {
			t.Errorf("marker %d = %#v, %v; want %#v", i, got, err, want)
		}
	}
	u1, err := FromTerm(cql.Type{Name: "timeuuid"}, termOf(t, "now()"), nil)
	if err != nil {
		t.Fatal(err)
	}
	u2, _ := FromTerm(cql.Type{Name: "timeuuid"}, termOf(t, "now()"), nil)
	if Compare(cql.Type{Name: "timeuuid"}, u1, u2) >= 0 {
		t.Errorf("now() not increasing: %v then %v", u1, u2)
	}
	ts, err := FromTerm(cql.Type{Name: "timestamp"}, termOf(t, "toTimestamp(now())"), nil)
	if err != nil || time.Since(ts.(time.Time)) > time.Minute {
		t.Errorf("toTimestamp(now()) = %v, %v", ts, err)
	}
	if _, err := FromTerm(cql.Type{Name: "int"}, termOf(t, "now()"), nil); err == nil {
		t.Error("now() accepted for an int")
	}
	if v, err := FromTerm(cql.Type{Name: "uuid"}, termOf(t, "uuid()"), nil); err != nil || v.([16]byte)[6]>>4 != 4 {
		t.Errorf("uuid() = %v, %v", v, err)
	}
}

func TestUserTypesJSONAndBatches(t *testing.T) {
	f := newFixture(t,
		"CREATE TYPE ks.addr (street text, zip int)",
		"CREATE TABLE ks.people (id int PRIMARY KEY, name text, home frozen<addr>, nums list<int>)",
		"CREATE TABLE ks.audit (id int PRIMARY KEY, what text)")
	f.exec("INSERT INTO people (id, name, home) VALUES (1, 'ann', {street: 'Main', zip: 10115})")
	wantRows(t, "user type value", f.rows("SELECT home FROM people WHERE id = 1"), "[Main,10115]")
	if msg := f.errMsg("INSERT INTO people (id, home) VALUES (2, {nope: 1})"); msg != "Unknown field 'nope' in value of user defined type addr" {
		t.Errorf("unknown field: %q", msg)
	}
	f.ddl("CREATE TABLE ks.homes (id int PRIMARY KEY, home addr)")
	f.exec("INSERT INTO homes (id, home) VALUES (1, {street: 'Main', zip: 1})")
	f.exec("UPDATE homes SET home.zip = 2 WHERE id = 1")
	wantRows(t, "field update", f.rows("SELECT home FROM homes WHERE id = 1"), "[Main,2]")
	f.exec("DELETE home.street FROM homes WHERE id = 1")
	wantRows(t, "field delete", f.rows("SELECT home FROM homes WHERE id = 1"), "[null,2]")
	wantRows(t, "field condition", render(f.exec("UPDATE homes SET home.street = 'Elm' WHERE id = 1 IF home.zip = 2")), "true")
	wantRows(t, "after conditional field update", f.rows("SELECT home FROM homes WHERE id = 1"), "[Elm,2]")
	if msg := f.errMsg("UPDATE people SET home.zip = 3 WHERE id = 1"); msg != "Invalid operation (home.zip = 3) for frozen UDT column home" {
		t.Errorf("frozen field update: %q", msg)
	}
	f.exec(`INSERT INTO people JSON '{"id": 3, "name": "cy", "nums": [3, 1], "home": {"street": "Elm", "zip": 1}}'`)
	wantRows(t, "INSERT JSON", f.rows("SELECT name, nums, home FROM people WHERE id = 3"), "cy [3,1] [Elm,1]")
	res := f.exec("SELECT JSON id, name FROM people WHERE id = 3")
	wantRows(t, "SELECT JSON", render(res), `{"id": 3, "name": "cy"}`)

	ins, _ := cql.Parse("INSERT INTO people (id, name) VALUES (?, 'dee')")
	aud, _ := cql.Parse("INSERT INTO audit (id, what) VALUES (?, ?)")
	one, _ := Encode(cql.Type{Name: "int"}, int32(4))
	what, _ := Encode(cql.Type{Name: "text"}, "added dee")
	_, err := f.st.ExecuteBatch(context.Background(), BatchLogged, []BatchItem{
		{Stmt: ins, Table: f.table("people"), Bound: []BoundValue{{Bytes: one}}},
		{Stmt: aud, Table: f.table("audit"), Bound: []BoundValue{{Bytes: one}, {Bytes: what}}},
	}, ExecOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, "batch table 1", f.rows("SELECT name FROM people WHERE id = 4"), "dee")
	wantRows(t, "batch table 2", f.rows("SELECT what FROM audit WHERE id = 4"), "added dee")
	// A CQL BATCH over two tables, tables found by name.
	f.opts.Resolve = func(name cql.QualifiedName) (*schema.Table, error) { return f.table(name.Name.Name), nil }
	f.exec("BEGIN UNLOGGED BATCH USING TIMESTAMP 77 INSERT INTO people (id, name) VALUES (5, 'eve'); INSERT INTO audit (id, what) VALUES (5, 'added eve'); APPLY BATCH")
	f.opts.Resolve = nil
	wantRows(t, "CQL batch table 1", f.rows("SELECT name, writetime(name) FROM people WHERE id = 5"), "eve 77")
	wantRows(t, "CQL batch table 2", f.rows("SELECT what, writetime(what) FROM audit WHERE id = 5"), "added eve 77")
	if msg := f.errMsg("BEGIN BATCH USING TIMESTAMP 5 INSERT INTO audit (id) VALUES (9) USING TIMESTAMP 6; APPLY BATCH"); !strings.Contains(msg, "Timestamp must be set either on BATCH or individual statements") {
		t.Errorf("double timestamp: %q", msg)
	}
}
