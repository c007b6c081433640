package wire

import "testing"

func BenchmarkEncodeRows(b *testing.B) {
	m := Metadata{Columns: []Column{
		{Keyspace: "ks", Table: "t", Name: "k", Type: Option{ID: TypeInt}},
		{Keyspace: "ks", Table: "t", Name: "v", Type: Option{ID: TypeVarchar}},
		{Keyspace: "ks", Table: "t", Name: "m", Type: Option{ID: TypeMap, Elems: []Option{{ID: TypeVarchar}, {ID: TypeBigint}}}},
	}}
	rows := make([][][]byte, 100)
	for i := range rows {
		rows[i] = [][]byte{{0, 0, 0, byte(i)}, []byte("some text value"), make([]byte, 40)}
	}
	b.ReportAllocs()
	for b.Loop() {
		EncodeRows(m, rows)
	}
}

func BenchmarkDecodeQuery(b *testing.B) {
	body := EncodeQuery(Query{Query: "SELECT v FROM ks.t WHERE k = ? AND c > ?", Params: QueryParams{
		Consistency: LocalQuorum, Values: []Value{{Bytes: []byte{0, 0, 0, 1}}, {Bytes: []byte{0, 0, 0, 2}}},
		PageSize: 5000, HasTimestamp: true, Timestamp: 1}})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeQuery(body); err != nil {
			b.Fatal(err)
		}
	}
}
