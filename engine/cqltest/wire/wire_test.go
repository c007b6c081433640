package wire

import (
	"bytes"
	"errors"
	"net"
	"reflect"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cql"
)

func TestFrameRoundTrip(t *testing.T) {
	h := Header{Version: 4, Response: true, Flags: FlagWarning, Stream: -1, Opcode: OpEvent}
	b := AppendFrame(nil, h, []byte("abc"))
	want := []byte{0x84, 0x08, 0xff, 0xff, 0x0c, 0, 0, 0, 3, 'a', 'b', 'c'}
	if !bytes.Equal(b, want) {
		t.Fatalf("frame bytes = % x, want % x", b, want)
	}
	f, err := ReadFrame(bytes.NewReader(b), MaxFrameLength)
	if err != nil {
		t.Fatal(err)
	}
	h.Length = 3
	if f.Header != h || string(f.Body) != "abc" {
		t.Fatalf("read back %+v %q", f.Header, f.Body)
	}
}

func TestReadFrameRejectsOversizedBody(t *testing.T) {
	b := AppendFrame(nil, Header{Version: 4, Opcode: OpQuery}, make([]byte, 100))
	if _, err := ReadFrame(bytes.NewReader(b), 99); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("err = %v, want ErrFrameTooLarge", err)
	}
}

func TestNotationsRoundTrip(t *testing.T) {
	var w Writer
	w.Byte(7)
	w.Short(65535)
	w.Int(-5)
	w.Long(1 << 40)
	w.String("héllo")
	w.LongString("select * from t")
	w.UUID([16]byte{1, 2, 3})
	w.StringList([]string{"a", "b"})
	w.Bytes(nil)
	w.Bytes([]byte{})
	w.Value(Value{Unset: true})
	w.Value(Value{Null: true})
	w.Value(Value{Bytes: []byte{9}})
	w.ShortBytes([]byte{1, 2})
	w.Inet(net.ParseIP("127.0.0.2"), 9042)
	w.StringMap([]string{"CQL_VERSION"}, map[string]string{"CQL_VERSION": "3.0.0"})
	w.StringMultimap([]string{"K"}, map[string][]string{"K": {"x", "y"}})
	w.BytesMap([]string{"p"}, map[string][]byte{"p": {0xAA}})

	r := NewReader(w.B)
	got := []any{r.Byte(), r.Short(), r.Int(), r.Long(), r.String(), r.LongString(), r.UUID(),
		r.StringList(), r.Bytes(), r.Bytes(), r.Value(), r.Value(), r.Value(), r.ShortBytes()}
	ip, port := r.Inet()
	got = append(got, ip.String(), port, r.StringMap(), r.StringMultimap(), r.BytesMap())
	want := []any{byte(7), uint16(65535), int32(-5), int64(1 << 40), "héllo", "select * from t",
		[16]byte{1, 2, 3}, []string{"a", "b"}, []byte(nil), []byte{}, Value{Unset: true},
		Value{Null: true}, Value{Bytes: []byte{9}}, []byte{1, 2}, "127.0.0.2", 9042,
		map[string]string{"CQL_VERSION": "3.0.0"}, map[string][]string{"K": {"x", "y"}},
		map[string][]byte{"p": {0xAA}}}
	if r.Err() != nil || r.Len() != 0 {
		t.Fatalf("err %v, %d bytes left", r.Err(), r.Len())
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("item %d = %#v, want %#v", i, got[i], want[i])
		}
	}
}

func TestReaderReportsTruncation(t *testing.T) {
	var w Writer
	w.String("truncated")
	r := NewReader(w.B[:5])
	if s := r.String(); s != "" || !errors.Is(r.Err(), ErrShortBody) {
		t.Fatalf("got %q, err %v", s, r.Err())
	}
	if _, err := DecodeQuery([]byte{0, 0, 0, 9, 's'}); !errors.Is(err, ErrShortBody) {
		t.Fatalf("DecodeQuery err = %v", err)
	}
}

func TestQueryParamsRoundTrip(t *testing.T) {
	q := Query{Query: "SELECT * FROM ks.t WHERE k = ?", Params: QueryParams{
		Consistency: LocalQuorum, Values: []Value{{Bytes: []byte{0, 0, 0, 1}}, {Unset: true}},
		PageSize: 100, PagingState: []byte{1}, SerialConsistency: LocalSerial,
		Timestamp: 1234, HasTimestamp: true,
	}}
	got, err := DecodeQuery(EncodeQuery(q))
	if err != nil {
		t.Fatal(err)
	}
	q.Params.Flags = QueryValues | QueryPageSize | QueryPagingState | QuerySerialConsistency | QueryDefaultTimestamp
	if !reflect.DeepEqual(got, q) {
		t.Fatalf("got %+v\nwant %+v", got, q)
	}
	e := Execute{ID: []byte{0xde, 0xad}, Params: QueryParams{Consistency: One, Names: []string{"k"}, Values: []Value{{Null: true}}}}
	ge, err := DecodeExecute(EncodeExecute(e))
	if err != nil {
		t.Fatal(err)
	}
	if ge.Params.PageSize != -1 || !reflect.DeepEqual(ge.Params.Names, []string{"k"}) || !ge.Params.Values[0].Null {
		t.Fatalf("execute decoded as %+v", ge)
	}
}

func TestDecodeBatch(t *testing.T) {
	var w Writer
	w.Byte(byte(BatchUnlogged))
	w.Short(2)
	w.Byte(0)
	w.LongString("INSERT INTO t (k) VALUES (?)")
	w.Short(1)
	w.Value(Value{Bytes: []byte{1}})
	w.Byte(1)
	w.ShortBytes([]byte{0xab})
	w.Short(0)
	w.Short(uint16(Quorum))
	w.Byte(QuerySerialConsistency | QueryDefaultTimestamp)
	w.Short(uint16(Serial))
	w.Long(99)
	b, err := DecodeBatch(w.B)
	if err != nil {
		t.Fatal(err)
	}
	want := Batch{Type: BatchUnlogged, Statements: []BatchStatement{
		{Query: "INSERT INTO t (k) VALUES (?)", Values: []Value{{Bytes: []byte{1}}}},
		{ID: []byte{0xab}, Values: []Value{}},
	}, Consistency: Quorum, Flags: QuerySerialConsistency | QueryDefaultTimestamp,
		SerialConsistency: Serial, Timestamp: 99, HasTimestamp: true}
	if !reflect.DeepEqual(b, want) {
		t.Fatalf("got %+v\nwant %+v", b, want)
	}
}

func TestErrorBodies(t *testing.T) {
	tests := []*Error{
		{Code: CodeSyntaxError, Message: "line 1:0 no viable alternative at input 'SELEC'"},
		{Code: CodeUnavailable, Message: "Cannot achieve consistency level QUORUM", Consistency: Quorum, Required: 2, Alive: 1},
		{Code: CodeWriteTimeout, Message: "timeout", Consistency: Serial, Received: 0, BlockFor: 2, WriteType: WriteCAS},
		{Code: CodeReadTimeout, Message: "timeout", Consistency: One, BlockFor: 1, DataPresent: true},
		{Code: CodeReadFailure, Message: "failure", Consistency: One, BlockFor: 1, NumFailures: 1},
		{Code: CodeWriteFailure, Message: "failure", Consistency: One, BlockFor: 1, NumFailures: 1, WriteType: WriteSimple},
		{Code: CodeFunctionFailure, Message: "boom", Keyspace: "ks", Function: "f", ArgTypes: []string{"int"}},
		{Code: CodeAlreadyExists, Message: "Cannot add already existing table \"t\" to keyspace \"ks\"", Keyspace: "ks", Table: "t"},
		{Code: CodeUnprepared, Message: "Prepared query with ID 00 not found", ID: []byte{0}},
	}
	for _, e := range tests {
		got, err := DecodeError(EncodeError(e))
		if err != nil {
			t.Fatalf("%v: %v", e, err)
		}
		if !reflect.DeepEqual(got, e) {
			t.Errorf("round trip of %#x: got %+v, want %+v", e.Code, got, e)
		}
	}
}

func TestRowsResultLayout(t *testing.T) {
	m := Metadata{Columns: []Column{
		{Keyspace: "ks", Table: "t", Name: "k", Type: Option{ID: TypeInt}},
		{Keyspace: "ks", Table: "t", Name: "v", Type: Option{ID: TypeList, Elems: []Option{{ID: TypeVarchar}}}},
	}, PagingState: []byte{0xAB}}
	b := EncodeRows(m, [][][]byte{{{0, 0, 0, 1}, nil}})
	r := NewReader(b)
	if kind := r.Int(); kind != ResultRows {
		t.Fatalf("kind %d", kind)
	}
	if flags := r.Int(); flags != MetaGlobalTablesSpec|MetaHasMorePages {
		t.Fatalf("flags %#x", flags)
	}
	if n := r.Int(); n != 2 {
		t.Fatalf("columns %d", n)
	}
	if ps := r.Bytes(); !bytes.Equal(ps, []byte{0xAB}) {
		t.Fatalf("paging state % x", ps)
	}
	if ks, tb := r.String(), r.String(); ks != "ks" || tb != "t" {
		t.Fatalf("global spec %s.%s", ks, tb)
	}
	if n, o := r.String(), r.Option(); n != "k" || o.ID != TypeInt {
		t.Fatalf("col 0 %s %+v", n, o)
	}
	if n, o := r.String(), r.Option(); n != "v" || o.ID != TypeList || o.Elems[0].ID != TypeVarchar {
		t.Fatalf("col 1 %s %+v", n, o)
	}
	if rows, c0, c1 := r.Int(), r.Bytes(), r.Bytes(); rows != 1 || len(c0) != 4 || c1 != nil {
		t.Fatalf("rows %d cells % x %v", rows, c0, c1)
	}
	if r.Err() != nil || r.Len() != 0 {
		t.Fatalf("err %v left %d", r.Err(), r.Len())
	}
}

func TestOptionOf(t *testing.T) {
	addr := cql.Type{Name: "address"}
	resolve := func(ks, name string) (UserType, error) {
		if ks == "ks" && name == "address" {
			return UserType{Keyspace: "ks", Name: "address", FieldNames: []string{"street", "zip"},
				FieldTypes: []cql.Type{cql.Type{Name: "text"}, cql.Type{Name: "int"}}}, nil
		}
		return UserType{}, errors.New("unknown type")
	}
	tests := []struct {
		name string
		typ  cql.Type
		want Option
	}{
		{"text is varchar", cql.Type{Name: "text"}, Option{ID: TypeVarchar}},
		{"duration is custom in v4", cql.Type{Name: "duration"},
			Option{ID: TypeCustom, Custom: "org.apache.cassandra.db.marshal.DurationType"}},
		{"frozen list drops frozen", cql.Type{Name: "frozen", Args: []cql.Type{{Name: "list", Args: []cql.Type{cql.Type{Name: "int"}}}}},
			Option{ID: TypeList, Elems: []Option{{ID: TypeInt}}}},
		{"map", cql.Type{Name: "map", Args: []cql.Type{cql.Type{Name: "text"}, cql.Type{Name: "timeuuid"}}},
			Option{ID: TypeMap, Elems: []Option{{ID: TypeVarchar}, {ID: TypeTimeuuid}}}},
		{"tuple", cql.Type{Name: "tuple", Args: []cql.Type{cql.Type{Name: "int"}, cql.Type{Name: "text"}}},
			Option{ID: TypeTuple, Elems: []Option{{ID: TypeInt}, {ID: TypeVarchar}}}},
		{"udt", addr, Option{ID: TypeUDT, Keyspace: "ks", Name: "address", Fields: []string{"street", "zip"},
			Elems: []Option{{ID: TypeVarchar}, {ID: TypeInt}}}},
		{"vector", cql.Type{Name: "vector", Args: []cql.Type{cql.Type{Name: "float"}}, Dim: 3},
			Option{ID: TypeCustom, Custom: "org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal.FloatType, 3)"}},
		{"vector of udt", cql.Type{Name: "vector", Args: []cql.Type{addr}, Dim: 2},
			Option{ID: TypeCustom, Custom: "org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal.UserType(ks,61646472657373,737472656574:org.apache.cassandra.db.marshal.UTF8Type,7a6970:org.apache.cassandra.db.marshal.Int32Type), 2)"}},
		{"custom class", cql.Type{Name: "custom", Custom: "com.example.MyType"}, Option{ID: TypeCustom, Custom: "com.example.MyType"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := OptionOf(tt.typ, "ks", resolve)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
			var w Writer
			w.Option(got)
			back := NewReader(w.B).Option()
			if !reflect.DeepEqual(back, got) {
				t.Fatalf("option round trip %+v", back)
			}
		})
	}
	if _, err := OptionOf(cql.Type{Name: "missing"}, "ks", resolve); err == nil {
		t.Fatal("unknown user type was accepted")
	}
}

func TestPreparedLayout(t *testing.T) {
	b := EncodePrepared(Prepared{ID: []byte{1, 2}, Variables: []Column{
		{Keyspace: "ks", Table: "t", Name: "k", Type: Option{ID: TypeInt}},
	}, PKIndexes: []uint16{0}, Result: Metadata{}})
	want := []byte{0, 0, 0, 4, 0, 2, 1, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0,
		0, 2, 'k', 's', 0, 1, 't', 0, 1, 'k', 0, 9,
		0, 0, 0, 0, 0, 0, 0, 0}
	if !bytes.Equal(b, want) {
		t.Fatalf("prepared = % x\nwant      % x", b, want)
	}
}

func TestSchemaChangeEvent(t *testing.T) {
	b := EncodeSchemaChangeEvent(SchemaChange{Change: "CREATED", Target: "FUNCTION", Keyspace: "ks", Name: "f", ArgTypes: []string{"int"}})
	r := NewReader(b)
	got := []any{r.String(), r.String(), r.String(), r.String(), r.String(), r.StringList()}
	want := []any{"SCHEMA_CHANGE", "CREATED", "FUNCTION", "ks", "f", []string{"int"}}
	if !reflect.DeepEqual(got, want) || r.Len() != 0 {
		t.Fatalf("got %v", got)
	}
	r = NewReader(EncodeSchemaChangeResult(SchemaChange{Change: "DROPPED", Target: "KEYSPACE", Keyspace: "ks"}))
	if k, c, tg, ks := r.Int(), r.String(), r.String(), r.String(); k != ResultSchemaChange || c != "DROPPED" || tg != "KEYSPACE" || ks != "ks" || r.Len() != 0 {
		t.Fatalf("keyspace change decoded as %d %s %s %s (%d left)", k, c, tg, ks, r.Len())
	}
}
